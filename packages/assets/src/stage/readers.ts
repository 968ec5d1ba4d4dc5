import {
  extractionQuery,
  streamMysql,
  streamOracle,
  streamPostgres,
  streamPostgresQuery,
} from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';

export type SourceSystem = 'crm' | 'payments' | 'registry';

export const systemNames: Record<SourceSystem, string> = {
  crm: 'CRM (Bitrix24 on MySQL)',
  payments: 'payments core (PostgreSQL)',
  registry: 'clients registry (Oracle)',
};

export interface SourceRead {
  system: SourceSystem;
  /** The table as the source names it: `b_crm_deal`, `core.transactions`, `REGISTRY.LEGAL_CLIENTS`. */
  table: string;
  columns: readonly string[];
  /** Rows with the cursor column in [from, to), timestamps as `YYYY-MM-DD HH:MM:SS`. */
  cursor?: { column: string; from: string; to?: string };
}

const timestamp = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

function checkedTimestamp(value: string): string {
  if (!timestamp.test(value)) throw new Error(`expected a timestamp as YYYY-MM-DD HH:MM:SS, got "${value}"`);
  return value;
}

/** The condition on the cursor, with `render` turning a checked timestamp into the dialect's literal or bind. */
function cursorCondition(
  read: SourceRead,
  quote: (name: string) => string,
  render: (value: string) => string,
) {
  if (!read.cursor) return '';
  const column = quote(read.cursor.column);
  const parts = [`${column} >= ${render(checkedTimestamp(read.cursor.from))}`];
  if (read.cursor.to) parts.push(`${column} < ${render(checkedTimestamp(read.cursor.to))}`);
  return ` where ${parts.join(' and ')}`;
}

/**
 * Streams one source table's rows in batches, in the way each system reads best: MySQL through
 * mysql2's row stream (one query on its own connection), PostgreSQL through `COPY (…) TO STDOUT`,
 * the registry through the query compiled for Oracle or its PostgreSQL stand-in. A failure names
 * the system and keeps its cause, so a refused connection is still retried as transient.
 */
export async function* readSource(
  resources: WarehouseResources,
  read: SourceRead,
): AsyncGenerator<readonly unknown[]> {
  try {
    yield* rows(resources, read);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${systemNames[read.system]}, ${read.table}: ${message}`, { cause: error });
  }
}

async function* rows(resources: WarehouseResources, read: SourceRead): AsyncGenerator<readonly unknown[]> {
  if (read.system === 'crm') {
    const params: string[] = [];
    const where = cursorCondition(
      read,
      (name) => `\`${name}\``,
      (value) => {
        params.push(value);
        return '?';
      },
    );
    const columns = read.columns.map((name) => `\`${name}\``).join(', ');
    yield* streamMysql(resources.crmUrl, `select ${columns} from ${read.table}${where}`, params, 5000);
    return;
  }
  if (read.system === 'payments') {
    const where = cursorCondition(
      read,
      (name) => name,
      (value) => `'${value}'::timestamp`,
    );
    yield* streamPostgres(
      resources.payments,
      `select ${read.columns.join(', ')} from ${read.table}${where}`,
      read.columns,
    );
    return;
  }
  const registry = resources.registry;
  const query = extractionQuery(registry.dialect, read);
  if (registry.dialect === 'postgres') {
    yield* streamPostgresQuery(registry.pool, query);
    return;
  }
  let batch: unknown[] = [];
  for await (const row of streamOracle(registry.connection, query)) {
    batch.push(row);
    if (batch.length >= 5000) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
}
