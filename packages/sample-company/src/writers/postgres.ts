import { readFileSync } from 'node:fs';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { encodeCopyLine, ensureDatabase } from '@vitrina/io';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Generated, SqlValue, TableIncrement } from '../rows.ts';
import type { Tally } from '../summary.ts';

/** "core"."transactions", "REGISTRY"."USER_PROFILES": every identifier quoted, as the registry needs. */
const quoteName = (name: string) =>
  name
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');

/** COPY text lines in chunks of about 64 KB, counted as they are encoded. */
function* copyChunks(
  table: TableIncrement,
  rows: Iterable<Generated<Record<string, SqlValue>>>,
): Generator<string> {
  let chunk = '';
  for (const { row, change } of rows) {
    if (change === 'noise') continue;
    chunk += encodeCopyLine(table.columns.map((column) => row[column]));
    if (chunk.length > 65_536) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}

async function copyInto(
  client: pg.ClientBase,
  target: string,
  table: TableIncrement,
  rows: Iterable<Generated<Record<string, SqlValue>>>,
): Promise<void> {
  const columns = table.columns.map((column) => `"${column}"`).join(', ');
  const stream = client.query(copyFrom(`copy ${target} (${columns}) from stdin`));
  await pipeline(Readable.from(copyChunks(table, rows)), stream);
}

/**
 * Writes one table's increment: upserts through a temporary table, appends after deleting what an
 * earlier seed of the same day wrote, or updates columns by key.
 */
async function writeTable(
  client: pg.ClientBase,
  table: TableIncrement,
  rows: Iterable<Generated<Record<string, SqlValue>>>,
): Promise<void> {
  const target = quoteName(table.table);
  const mode = table.mode;
  if (mode.kind === 'append') {
    await client.query(
      `delete from ${target} where "${mode.replace.column}" >= $1 and "${mode.replace.column}" < $2`,
      [mode.replace.from, mode.replace.to],
    );
    await copyInto(client, target, table, rows);
    return;
  }
  const columns = table.columns.map((column) => `"${column}"`);
  await client.query(
    `create temporary table seed_rows on commit drop as select ${columns.join(', ')} from ${target} with no data`,
  );
  await copyInto(client, 'seed_rows', table, rows);
  const key = mode.key.map((column) => `"${column}"`);
  const others = columns.filter((column) => !key.includes(column));
  if (mode.kind === 'upsert') {
    await client.query(
      `insert into ${target} (${columns.join(', ')}) select ${columns.join(', ')} from seed_rows
       on conflict (${key.join(', ')}) do update set ${others.map((column) => `${column} = excluded.${column}`).join(', ')}`,
    );
  } else {
    await client.query(
      `update ${target} t set ${others.map((column) => `${column} = s.${column}`).join(', ')}
       from seed_rows s where ${key.map((column) => `t.${column} = s.${column}`).join(' and ')}`,
    );
  }
  await client.query('drop table seed_rows');
}

/** A PostgreSQL source system (the payments core, the registry's stand-in): created when missing. */
export class PostgresWriter {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string, ddlFile: string): Promise<PostgresWriter> {
    await ensureDatabase(url);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    client.on('error', () => {});
    await client.query(readFileSync(ddlFile, 'utf8'));
    return new PostgresWriter(client);
  }

  /** Writes a day's tables of this system in one transaction, counting rows as they stream. */
  async write(day: string, tables: readonly TableIncrement[], tally: Tally): Promise<void> {
    await this.client.query('begin');
    try {
      for (const table of tables)
        await writeTable(this.client, table, tally.count(day, table.system, table.table, table.rows()));
      await this.client.query('commit');
    } catch (error) {
      await this.client.query('rollback').catch(() => {});
      throw error;
    }
  }

  async close(): Promise<void> {
    await this.client.end();
  }
}
