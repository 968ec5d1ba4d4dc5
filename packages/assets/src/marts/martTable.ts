import { createHash } from 'node:crypto';
import { type ClickHouse, checkIdentifier, encodeCopyLine } from '@vitrina/io';
import type pg from 'pg';
import { z } from 'zod';
import { martDdl } from '../sql.ts';

export const schemaVersionsDdl = martDdl('schema_versions');
export const reconciliationDdl = martDdl('reconciliation');

const versionRow = z.object({ version: z.string() });
const describedColumn = z.object({ name: z.string(), type: z.string() });

/** Per client, the tables already made sure of in this process: parallel partitions of one mart create it once. */
const ensured = new WeakMap<ClickHouse, Map<string, Promise<void>>>();

/**
 * Makes sure the mart's table exists as its DDL says: created when missing, dropped and re-created
 * when its DDL changed since (the hash in `schema_versions`). A changed DDL also changes the asset's
 * code version, so the engine refills every partition of the new table. Processes sharing the
 * warehouse take turns (ClickHouse has no locks; PostgreSQL's advisory lock stands in), so two
 * cannot both drop and create the table or record its version twice.
 */
export function ensureMartTable(
  clickhouse: ClickHouse,
  warehouse: pg.Pool,
  table: string,
  ddl: string,
): Promise<void> {
  checkIdentifier(table);
  const version = createHash('sha256').update(ddl).digest('hex').slice(0, 16);
  const tables = ensured.get(clickhouse) ?? new Map<string, Promise<void>>();
  ensured.set(clickhouse, tables);
  const key = `${table}:${version}`;
  let done = tables.get(key);
  if (!done) {
    done = withAdvisoryLock(warehouse, `vitrina mart ddl ${clickhouse.qualify(table)}`, () =>
      createIfChanged(clickhouse, table, ddl, version),
    );
    done.catch(() => tables.delete(key));
    tables.set(key, done);
  }
  return done;
}

async function createIfChanged(clickhouse: ClickHouse, table: string, ddl: string, version: string) {
  await clickhouse.ensureDatabase();
  await clickhouse.command(schemaVersionsDdl);
  await clickhouse.command(reconciliationDdl);
  const versions = clickhouse.qualify('schema_versions');
  const [current] = z
    .array(versionRow)
    .parse(
      await clickhouse.rows(
        `SELECT argMax(version, created_at) AS version FROM ${versions} WHERE mart = '${table}' GROUP BY mart`,
      ),
    );
  if (current?.version === version) {
    await clickhouse.command(ddl); // IF NOT EXISTS: brings back a table dropped by hand
    return;
  }
  await clickhouse.command(`DROP TABLE IF EXISTS ${clickhouse.qualify(table)}`);
  await clickhouse.command(ddl);
  await clickhouse.insert(versions, ['mart', 'version'], encodeCopyLine([table, version]));
}

/** The mart's columns in table order. */
export async function martColumns(clickhouse: ClickHouse, table: string): Promise<string[]> {
  const described = z
    .array(describedColumn)
    .parse(await clickhouse.rows(`DESCRIBE TABLE ${clickhouse.qualify(table)}`));
  return described.map((column) => column.name);
}

/** How long a process waits for another to finish creating a mart's table. */
const LOCK_WAIT_MS = 120_000;

/** Runs `work` holding a session-level advisory lock on `name`, waiting for it at most LOCK_WAIT_MS. */
async function withAdvisoryLock<T>(pool: pg.Pool, name: string, work: () => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const { rows } = await client.query<{ locked: boolean }>(
        'select pg_try_advisory_lock(hashtext($1)) as locked',
        [name],
      );
      if (rows[0]?.locked) break;
      if (Date.now() > deadline)
        throw new Error(`${name}: another process held the lock for over ${LOCK_WAIT_MS / 1000} s`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    try {
      return await work();
    } finally {
      await client.query('select pg_advisory_unlock(hashtext($1))', [name]);
    }
  } finally {
    client.release();
  }
}
