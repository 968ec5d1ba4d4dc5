import { createHash } from 'node:crypto';
import { inTransaction, replaceTable } from '@vitrina/io/postgres';
import type pg from 'pg';
import type { ModelKind } from './header.ts';
import { quoteColumn } from './identifiers.ts';
import { type DayRange, expandMacros, SOME_DAY } from './macros.ts';
import { dropWithViews, ensureSchema, markOf, relationOf, withMark } from './schema.ts';

/** What a model builds: its table (or view) and how. */
export interface BuildTarget {
  table: string;
  kind: ModelKind;
  query: string;
  timeColumn: string | null;
  uniqueKey: string[];
  /** incremental: the column that decides whether an arriving row is newer than the stored one. */
  newestBy: string | null;
  description: string;
  columns: Record<string, string>;
}

export interface BuildResult {
  rows: number | undefined;
  metadata: Record<string, string | number>;
}

/** The hash of what decides a table's columns and indexes: when it changes, the table is re-created. */
export function shapeOf(target: BuildTarget): string {
  const { kind, query, timeColumn, uniqueKey } = target;
  return createHash('sha256')
    .update(JSON.stringify({ kind, query, timeColumn, uniqueKey }))
    .digest('hex')
    .slice(0, 16);
}

/**
 * Makes the table (or view) exist in the shape the model's query gives it, in one transaction that
 * holds an advisory lock on its name, so parallel partitions of one model create it once. Returns
 * the views dropped with a re-created table (PostgreSQL cannot keep them across it).
 */
async function ensureShape(pool: pg.Pool, target: BuildTarget, shape: string): Promise<string[]> {
  const [schema, name] = target.table.split('.') as [string, string];
  return inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`vitrina model ${target.table}`]);
    await ensureSchema(client, schema);
    const now = await relationOf(client, schema, name);
    const made = now ? markOf(now.comment) : undefined;
    if (now && made === undefined)
      throw new Error(
        `${target.table} exists and was not made by Vitrina (no [vitrina …] mark in its comment): rename the model or drop the table yourself`,
      );
    let dropped: string[] = [];
    if (made !== shape) {
      if (now) dropped = await dropWithViews(client, target.table, now);
      await create(client, target);
    }
    // Docs are not part of the shape: written on every build, so an edited description shows.
    const relation = target.kind === 'view' ? 'view' : 'table';
    await client.query(
      `comment on ${relation} ${target.table} is ${client.escapeLiteral(withMark(target.description, shape))}`,
    );
    for (const [column, description] of Object.entries(target.columns))
      await client.query(
        `comment on column ${target.table}.${quoteColumn(column)} is ${client.escapeLiteral(description)}`,
      );
    return dropped;
  });
}

/** The view, or the empty table with the index its kind needs. */
async function create(client: pg.PoolClient, target: BuildTarget): Promise<void> {
  if (target.kind === 'view') {
    await client.query(`create view ${target.table} as ${target.query}`);
    return;
  }
  const sample = expandMacros(target.query, SOME_DAY);
  await client.query(`create table ${target.table} as select * from (${sample}) as model with no data`);
  if (target.timeColumn)
    await client.query(`create index on ${target.table} (${quoteColumn(target.timeColumn)})`);
  if (target.uniqueKey.length > 0)
    await client.query(
      `create unique index on ${target.table} (${target.uniqueKey.map(quoteColumn).join(', ')})`,
    );
}

async function columnsOf(client: pg.PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select attname as name from pg_attribute
      where attrelid = to_regclass($1) and attnum > 0 and not attisdropped order by attnum`,
    [table],
  );
  return rows.map((row) => row.name);
}

/** Fills the model's table for the range (the whole table for an unpartitioned model), atomically. */
async function fill(pool: pg.Pool, target: BuildTarget, range: DayRange): Promise<number | undefined> {
  const { table, kind } = target;
  if (kind === 'view') return undefined;
  const query = expandMacros(target.query, range);
  if (kind === 'table')
    return replaceTable(pool, table, `insert into ${table} select * from (${query}) as model`);
  return inTransaction(pool, async (client) => {
    if (kind === 'incremental') {
      const keys = target.uniqueKey.map(quoteColumn);
      const others = (await columnsOf(client, table)).filter((c) => !target.uniqueKey.includes(c));
      const update =
        others.length === 0
          ? 'do nothing'
          : `do update set ${others.map((c) => `${quoteColumn(c)} = excluded.${quoteColumn(c)}`).join(', ')}${
              target.newestBy
                ? ` where excluded.${quoteColumn(target.newestBy)} >= ${table}.${quoteColumn(target.newestBy)}`
                : ''
            }`;
      const sql = `insert into ${table} select * from (${query}) as model on conflict (${keys.join(', ')}) ${update}`;
      return (await client.query(sql)).rowCount ?? 0;
    }
    const day = quoteColumn(target.timeColumn!);
    const within = `${day} between ${client.escapeLiteral(range.start)}::date and ${client.escapeLiteral(range.end)}::date`;
    await client.query(`delete from ${table} where ${within}`);
    const { rows } = await client.query<{ produced: string; written: string }>(
      `with produced as (${query}),
            written as (insert into ${table} select * from produced where ${within} returning 1)
       select (select count(*) from produced) as produced, (select count(*) from written) as written`,
    );
    const produced = Number(rows[0]!.produced);
    const written = Number(rows[0]!.written);
    if (produced !== written)
      throw new Error(
        `${table}: the query returned ${produced - written} of ${produced} rows outside ${range.start}…${range.end} (or with no ${target.timeColumn}); filter them with {{ start }} and {{ end }}`,
      );
    return written;
  });
}

/** Builds a model for a range of days: its table in shape first, then its rows. */
export async function buildModel(
  pool: pg.Pool,
  target: BuildTarget,
  range: DayRange,
  log: (message: string) => void,
): Promise<BuildResult> {
  const shape = shapeOf(target);
  const dropped = await ensureShape(pool, target, shape);
  if (dropped.length > 0)
    log(
      `re-created ${target.table} (its query changed); dropped with it, to materialise again: ${dropped.join(', ')}`,
    );
  const rows = await fill(pool, target, range);
  return {
    rows,
    metadata: {
      kind: target.kind,
      table: target.table,
      ...(target.kind === 'daily' || target.kind === 'incremental'
        ? { days: `${range.start}…${range.end}` }
        : {}),
      ...(dropped.length > 0 ? { dropped: dropped.join(', ') } : {}),
    },
  };
}
