import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Readable } from 'node:stream';
import { type ClickHouse, checkIdentifier, encodeCopyLine } from '@vitrina/core';
import { z } from 'zod';

const sqlDir = resolve(import.meta.dirname, '../../../../sql/clickhouse');

/** A file of sql/clickhouse/ by name, e.g. `payments.sql` or `payments.source.sql`. */
export function clickhouseSql(file: string): string {
  return readFileSync(resolve(sqlDir, file), 'utf8');
}

export const schemaVersionsDdl = clickhouseSql('schema_versions.sql');
export const reconciliationDdl = clickhouseSql('reconciliation.sql');

const versionRow = z.object({ version: z.string() });
const describedColumn = z.object({ name: z.string(), type: z.string() });

/** Per client, the tables already made sure of in this process: parallel partitions of one mart create it once. */
const ensured = new WeakMap<ClickHouse, Map<string, Promise<void>>>();

/**
 * Makes sure the mart's table exists as its DDL says: created when missing, dropped and re-created
 * when its DDL changed since (the hash in `schema_versions`). A changed DDL also changes the asset's
 * code version, so the engine refills every partition of the new table.
 */
export function ensureMartTable(clickhouse: ClickHouse, table: string, ddl: string): Promise<void> {
  checkIdentifier(table);
  const version = createHash('sha256').update(ddl).digest('hex').slice(0, 16);
  const tables = ensured.get(clickhouse) ?? new Map<string, Promise<void>>();
  ensured.set(clickhouse, tables);
  const key = `${table}:${version}`;
  let done = tables.get(key);
  if (!done) {
    done = createIfChanged(clickhouse, table, ddl, version);
    done.catch(() => tables.delete(key));
    tables.set(key, done);
  }
  return done;
}

async function createIfChanged(clickhouse: ClickHouse, table: string, ddl: string, version: string) {
  await clickhouse.ensureDatabase();
  await clickhouse.query(schemaVersionsDdl);
  await clickhouse.query(reconciliationDdl);
  const versions = clickhouse.qualify('schema_versions');
  const [current] = z
    .array(versionRow)
    .parse(
      await clickhouse.rows(
        `SELECT argMax(version, created_at) AS version FROM ${versions} WHERE mart = '${table}' GROUP BY mart`,
      ),
    );
  if (current?.version === version) {
    await clickhouse.query(ddl); // IF NOT EXISTS: brings back a table dropped by hand
    return;
  }
  await clickhouse.query(`DROP TABLE IF EXISTS ${clickhouse.qualify(table)}`);
  await clickhouse.query(ddl);
  await clickhouse.query(
    `INSERT INTO ${versions} (mart, version) FORMAT TabSeparated`,
    Readable.from([encodeCopyLine([table, version])]),
  );
}

/** The mart's columns in table order. */
export async function martColumns(clickhouse: ClickHouse, table: string): Promise<string[]> {
  const described = z
    .array(describedColumn)
    .parse(await clickhouse.rows(`DESCRIBE TABLE ${clickhouse.qualify(table)}`));
  return described.map((column) => column.name);
}
