import { createHash } from 'node:crypto';
import { inTransaction } from '@vitrina/io';
import type pg from 'pg';
import type { ModelKind } from './header.ts';
import { type DayRange, expandMacros, SOME_DAY } from './macros.ts';
import { ensureSchema } from './schema.ts';

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

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;
const quoted = (name: string) => `"${name.replace(/"/g, '""')}"`;

/** The hash of what decides a table's columns and indexes: when it changes, the table is re-created. */
export function shapeOf(target: BuildTarget): string {
  const { kind, query, timeColumn, uniqueKey } = target;
  return createHash('sha256')
    .update(JSON.stringify({ kind, query, timeColumn, uniqueKey }))
    .digest('hex')
    .slice(0, 16);
}

const MARKER = /\[vitrina ([0-9a-f]{16})\]$/;

interface Existing {
  relkind: string;
  comment: string | null;
}

async function existing(client: pg.PoolClient, table: string): Promise<Existing | null> {
  const { rows } = await client.query<Existing>(
    `select c.relkind, obj_description(c.oid, 'pg_class') as comment
       from pg_class c where c.oid = to_regclass($1)`,
    [table],
  );
  return rows[0] ?? null;
}

/** The views that would go with the table (they read it): named in the log, and materialised again. */
async function dependents(client: pg.PoolClient, table: string): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select distinct dn.nspname || '.' || dc.relname as name
       from pg_depend d
       join pg_rewrite r on r.oid = d.objid
       join pg_class dc on dc.oid = r.ev_class
       join pg_namespace dn on dn.oid = dc.relnamespace
      where d.refobjid = to_regclass($1) and dc.oid <> d.refobjid
      order by 1`,
    [table],
  );
  return rows.map((row) => row.name);
}

/**
 * Makes the table (or view) exist in the shape the model's query gives it, in one transaction that
 * holds an advisory lock on its name, so parallel partitions of one model create it once. Returns
 * the views dropped with a re-created table (PostgreSQL cannot keep them across it).
 */
async function ensureShape(pool: pg.Pool, target: BuildTarget, shape: string): Promise<string[]> {
  const [schema] = target.table.split('.');
  return inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [`vitrina model ${target.table}`]);
    await ensureSchema(client, schema!);
    const now = await existing(client, target.table);
    const comment = `${target.description} [vitrina ${shape}]`;
    const made = now ? MARKER.exec(now.comment ?? '')?.[1] : undefined;
    if (made === shape) return [];
    if (now && made === undefined)
      throw new Error(
        `${target.table} exists and was not made by a model (no [vitrina …] mark in its comment): rename the model or drop the table yourself`,
      );
    const dropped = now ? await dependents(client, target.table) : [];
    if (now) await client.query(`drop ${now.relkind === 'v' ? 'view' : 'table'} ${target.table} cascade`);
    const sample = expandMacros(target.query, SOME_DAY);
    if (target.kind === 'view') {
      await client.query(`create view ${target.table} as ${target.query}`);
      await client.query(`comment on view ${target.table} is ${literal(comment)}`);
    } else {
      await client.query(`create table ${target.table} as select * from (${sample}) as model with no data`);
      if (target.timeColumn)
        await client.query(`create index on ${target.table} (${quoted(target.timeColumn)})`);
      if (target.uniqueKey.length > 0)
        await client.query(
          `create unique index on ${target.table} (${target.uniqueKey.map(quoted).join(', ')})`,
        );
      await client.query(`comment on table ${target.table} is ${literal(comment)}`);
    }
    for (const [column, description] of Object.entries(target.columns))
      await client.query(`comment on column ${target.table}.${quoted(column)} is ${literal(description)}`);
    return dropped;
  });
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
  return inTransaction(pool, async (client) => {
    if (kind === 'table') {
      await client.query(`delete from ${table}`);
      return (await client.query(`insert into ${table} select * from (${query}) as model`)).rowCount ?? 0;
    }
    if (kind === 'incremental') {
      const keys = target.uniqueKey.map(quoted);
      const others = (await columnsOf(client, table)).filter((c) => !target.uniqueKey.includes(c));
      const update =
        others.length === 0
          ? 'do nothing'
          : `do update set ${others.map((c) => `${quoted(c)} = excluded.${quoted(c)}`).join(', ')}${
              target.newestBy
                ? ` where excluded.${quoted(target.newestBy)} >= ${table}.${quoted(target.newestBy)}`
                : ''
            }`;
      const sql = `insert into ${table} select * from (${query}) as model on conflict (${keys.join(', ')}) ${update}`;
      return (await client.query(sql)).rowCount ?? 0;
    }
    const day = quoted(target.timeColumn!);
    const within = `${day} between ${literal(range.start)}::date and ${literal(range.end)}::date`;
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
