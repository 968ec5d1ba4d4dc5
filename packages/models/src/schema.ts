import type pg from 'pg';

/**
 * Creates the schema when missing, inside the caller's transaction. Models and seeds of one new
 * schema, built in parallel, would otherwise race (`create schema if not exists` is not safe
 * against a concurrent one); an advisory lock held to the end of the transaction makes them take
 * turns.
 */
export async function ensureSchema(client: pg.ClientBase, schema: string): Promise<void> {
  const { rowCount } = await client.query('select from pg_namespace where nspname = $1', [schema]);
  if (rowCount !== 0) return;
  await client.query('select pg_advisory_xact_lock(hashtext($1))', [`schema ${schema}`]);
  await client.query(`create schema if not exists ${client.escapeIdentifier(schema)}`);
}

/** A table or view as the catalogue has it. */
export interface Relation {
  oid: number;
  /** pg_class.relkind: `r` a table, `v` a view, … */
  kind: string;
  comment: string | null;
}

/**
 * The relation `schema.table`, or null. Read with the statement's snapshot, not `to_regclass`'s
 * catalogue cache, which a transaction that waited on an advisory lock has not refreshed.
 */
export async function relationOf(
  client: pg.ClientBase,
  schema: string,
  table: string,
): Promise<Relation | null> {
  const { rows } = await client.query<Relation>(
    `select c.oid, c.relkind as kind, obj_description(c.oid, 'pg_class') as comment
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2`,
    [schema, table],
  );
  return rows[0] ?? null;
}

/**
 * What Vitrina writes at the end of the comment of every table and view it makes — `[vitrina <hash
 * of a model's shape>]` or `[vitrina seed]` — so it replaces only what it made.
 */
const MARK = /\[vitrina ([a-z0-9]+)\]$/;

export const markOf = (comment: string | null): string | undefined => MARK.exec(comment ?? '')?.[1];
export const withMark = (description: string, mark: string) => `${description} [vitrina ${mark}]`;

/**
 * Drops a relation Vitrina made, to create it again in a new shape, with the views made by models
 * that read it (PostgreSQL cannot keep a view across its table; the engine builds them again, their
 * upstream having changed). A view that no model made is never dropped: the call fails naming it.
 * Returns the views dropped.
 */
export async function dropWithViews(
  client: pg.ClientBase,
  qualified: string,
  relation: Relation,
): Promise<string[]> {
  const { rows } = await client.query<{ name: string; comment: string | null }>(
    `select distinct dn.nspname || '.' || dc.relname as name, obj_description(dc.oid, 'pg_class') as comment
       from pg_depend d
       join pg_rewrite r on r.oid = d.objid
       join pg_class dc on dc.oid = r.ev_class
       join pg_namespace dn on dn.oid = dc.relnamespace
      where d.refobjid = $1 and dc.oid <> d.refobjid
      order by 1`,
    [relation.oid],
  );
  const foreign = rows.filter((row) => markOf(row.comment) === undefined).map((row) => row.name);
  if (foreign.length > 0)
    throw new Error(
      `${qualified} must be created again in a new shape, but ${foreign.join(', ')} (not made by Vitrina) reads it: drop or change ${foreign.length === 1 ? 'that view' : 'those views'} first`,
    );
  await client.query(`drop ${relation.kind === 'v' ? 'view' : 'table'} ${qualified} cascade`);
  return rows.map((row) => row.name);
}
