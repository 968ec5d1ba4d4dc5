import { ClickHouse } from '@vitrina/io';
import pg from 'pg';

/** Columns that record when or by which run a row was written, not what it says. */
const VOLATILE_COLUMNS = new Set([
  'run_id',
  'loaded_at',
  'quarantined_at',
  'checked_at',
  'geocoded_at',
  'expires_at',
]);
/** Serial ids: the same rows get other numbers when written again. */
const SERIAL_COLUMNS = new Set(['quarantine.rows.id']);
/** ClickHouse tables that are logs of the runs themselves, not data. */
const RUN_LOGS = new Set(['reconciliation', 'schema_versions']);

export interface TableChecksum {
  table: string;
  rows: number;
  checksum: string;
}

/**
 * An order-independent checksum of every table in the warehouse's layers (stage, dimension, bi,
 * quarantine), over its columns but those naming a run or a load time.
 */
export async function warehouseChecksums(url: string): Promise<TableChecksum[]> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    const { rows: columns } = await db.query<{ table: string; column: string }>(
      `select table_schema || '.' || table_name as table, column_name as column
       from information_schema.columns
       where table_schema in ('stage', 'dimension', 'bi', 'quarantine')
       order by table_schema, table_name, ordinal_position`,
    );
    const byTable = new Map<string, string[]>();
    for (const { table, column } of columns) {
      if (VOLATILE_COLUMNS.has(column) || SERIAL_COLUMNS.has(`${table}.${column}`)) continue;
      byTable.set(table, [...(byTable.get(table) ?? []), column]);
    }
    const sums: TableChecksum[] = [];
    for (const [table, names] of byTable) {
      const row = names
        .map((name) => `coalesce(${pg.escapeIdentifier(name)}::text, '∅')`)
        .join(` || '|' || `);
      const { rows } = await db.query<{ rows: number; checksum: string | null }>(
        `select count(*)::int as rows, md5(string_agg(h, '' order by h)) as checksum
         from (select md5(${row}) as h from ${table}) hashed`,
      );
      sums.push({ table, rows: rows[0]!.rows, checksum: rows[0]!.checksum ?? 'empty' });
    }
    return sums;
  } finally {
    await db.end();
  }
}

/** The same for every table of a ClickHouse database (staging leftovers and run logs apart). */
export async function martChecksums(serverUrl: string, database: string): Promise<TableChecksum[]> {
  const clickhouse = new ClickHouse(serverUrl);
  try {
    const tables = await clickhouse.rows<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = '${database}' AND name NOT LIKE '%__staging_%' ORDER BY name`,
    );
    const sums: TableChecksum[] = [];
    for (const { name } of tables) {
      if (RUN_LOGS.has(name)) continue;
      const columns = await clickhouse.rows<{ name: string }>(`DESCRIBE TABLE ${database}.\`${name}\``);
      const hashed = columns
        .filter((column) => !VOLATILE_COLUMNS.has(column.name))
        .map((column) => `toString(\`${column.name}\`)`)
        .join(', ');
      // Aliases no column has: ClickHouse resolves a bare name to the alias first.
      const [row] = await clickhouse.rows<{ vitrina_rows: string; vitrina_sum: string }>(
        `SELECT toString(count()) AS vitrina_rows, toString(sum(cityHash64(${hashed}))) AS vitrina_sum FROM ${database}.\`${name}\``,
      );
      sums.push({
        table: `${database}.${name}`,
        rows: Number(row?.vitrina_rows ?? 0),
        checksum: row?.vitrina_sum ?? 'empty',
      });
    }
    return sums;
  } finally {
    await clickhouse.close();
  }
}

/** Staging tables left in a ClickHouse database. */
export async function leakedStagingTables(serverUrl: string, database: string): Promise<string[]> {
  const clickhouse = new ClickHouse(serverUrl);
  try {
    const rows = await clickhouse.rows<{ name: string }>(
      `SELECT name FROM system.tables WHERE database = '${database}' AND name LIKE '%__staging_%'`,
    );
    return rows.map((row) => row.name);
  } finally {
    await clickhouse.close();
  }
}
