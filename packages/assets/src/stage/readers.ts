import {
  type ExtractionSpec,
  extractionQuery,
  inBatches,
  streamMysql,
  streamOracle,
  streamPostgres,
  streamPostgresQuery,
} from '@vitrina/io';
import type { System } from '@vitrina/sample-company/contracts';
import type { WarehouseResources } from '../resources.ts';

/** The source databases, as their contracts name them. */
export type SourceSystem = System;

export const systemNames: Record<SourceSystem, string> = {
  crm: 'CRM (Bitrix24 on MySQL)',
  payments: 'payments core (PostgreSQL)',
  registry: 'clients registry (Oracle)',
};

export interface SourceRead extends ExtractionSpec {
  system: SourceSystem;
}

/**
 * Streams one source table's rows in batches, by the extraction query compiled for its system's
 * dialect and read the way each system reads best: MySQL through mysql2's row stream (one query on
 * its own connection), PostgreSQL through `COPY (…) TO STDOUT`, the registry as Oracle or its
 * PostgreSQL stand-in. A failure names the system and keeps its cause, so a refused connection is
 * still retried as transient.
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
    const query = extractionQuery('mysql', read);
    yield* streamMysql(resources.crmUrl, query.sql, query.parameters, {
      batchSize: 5000,
      ...resources.timeouts,
    });
    return;
  }
  if (read.system === 'payments') {
    const query = extractionQuery('postgres', read, { inlineTimestamps: true });
    yield* streamPostgres(resources.payments, query.sql, read.columns, resources.timeouts);
    return;
  }
  const registry = resources.registry;
  const query = extractionQuery(registry.dialect, read);
  if (registry.dialect === 'postgres')
    yield* streamPostgresQuery(registry.pool, query, 5000, resources.timeouts);
  else yield* inBatches(streamOracle(registry.connection, query, resources.timeouts), 5000);
}
