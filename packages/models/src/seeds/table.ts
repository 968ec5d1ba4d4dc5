import type pg from 'pg';
import { dropWithViews, ensureSchema, markOf, relationOf, withMark } from '../schema.ts';
import type { SeedColumn } from './infer.ts';
import { SeedError } from './rows.ts';

/** A column as PostgreSQL resolves it: `integer`, `numeric(12,2)`, `timestamp with time zone`. */
interface ResolvedColumn {
  name: string;
  type: string;
}

export interface SeedTable {
  schema: string;
  table: string;
  /** `"schema"."table"`. */
  qualified: string;
}

export const quote = (name: string) => `"${name}"`;

const PROBE = 'vitrina_seed_probe';

const columnList = (columns: readonly SeedColumn[]) =>
  columns.map((column) => `${quote(column.name)} ${column.type}`).join(', ');

/**
 * Brings the seed's table to its columns inside the caller's transaction: creates the schema if it
 * is missing; drops and re-creates the table when its columns or their types differ from the
 * seed's, truncates it otherwise (which keeps the views built on it). Says whether it re-created it.
 */
export async function prepareTable(
  client: pg.ClientBase,
  target: SeedTable,
  columns: readonly SeedColumn[],
  shown: string,
): Promise<{ outcome: 'created' | 'recreated' | 'truncated'; dropped: string[] }> {
  await ensureSchema(client, target.schema);
  await client.query('select pg_advisory_xact_lock(hashtext($1))', [target.qualified]);
  const wanted = await resolve(client, columns, shown);
  const relation = await relationOf(client, target.schema, target.table);
  if (relation && (relation.kind !== 'r' || markOf(relation.comment) === undefined))
    throw new SeedError(
      `${shown}: ${target.schema}.${target.table} exists and was not made by Vitrina (${relation.kind === 'r' ? 'no [vitrina …] mark in its comment' : 'it is not a table'}): a seed will not replace it`,
    );
  const current = relation ? await columnsOf(client, relation.oid) : null;
  if (current && sameColumns(current, wanted)) {
    await client.query(`truncate ${target.qualified}`);
    return { outcome: 'truncated', dropped: [] };
  }
  let dropped: string[] = [];
  if (relation) {
    try {
      dropped = await dropWithViews(client, target.qualified, relation);
    } catch (error) {
      throw new SeedError(`${shown}: its columns changed: ${(error as Error).message}`, { cause: error });
    }
  }
  await client.query(`create table ${target.qualified} (${columnList(columns)})`);
  return { outcome: relation ? 'recreated' : 'created', dropped };
}

/** Sets the table's and every column's comment; a description removed clears its comment. */
export async function setComments(
  client: pg.ClientBase,
  target: SeedTable,
  description: string,
  columns: readonly SeedColumn[],
): Promise<void> {
  const literal = (text: string | null) => (text === null ? 'null' : client.escapeLiteral(text));
  await client.query(`comment on table ${target.qualified} is ${literal(withMark(description, 'seed'))}`);
  for (const column of columns)
    await client.query(
      `comment on column ${target.qualified}.${quote(column.name)} is ${literal(column.description)}`,
    );
}

function sameColumns(a: readonly ResolvedColumn[], b: readonly ResolvedColumn[]): boolean {
  return (
    a.length === b.length && a.every((column, i) => column.name === b[i]!.name && column.type === b[i]!.type)
  );
}

/**
 * The seed's columns with their types as PostgreSQL spells them, read from a temporary table that is
 * rolled back at once; a type PostgreSQL does not know fails naming the column.
 */
async function resolve(
  client: pg.ClientBase,
  columns: readonly SeedColumn[],
  shown: string,
): Promise<ResolvedColumn[]> {
  await client.query('savepoint vitrina_seed_probe');
  try {
    await client.query(`create temp table ${PROBE} (${columnList(columns)})`);
    return await columnsOf(client, `pg_temp.${PROBE}`);
  } catch (error) {
    await client.query('rollback to savepoint vitrina_seed_probe');
    throw await unknownType(client, columns, shown, error as Error);
  } finally {
    await client.query('rollback to savepoint vitrina_seed_probe');
  }
}

/** Which column's type PostgreSQL refused, tried one by one, each in a savepoint. */
async function unknownType(
  client: pg.ClientBase,
  columns: readonly SeedColumn[],
  shown: string,
  failure: Error,
): Promise<SeedError> {
  for (const column of columns) {
    await client.query('savepoint vitrina_seed_type');
    try {
      await client.query(`select null::${column.type}`);
    } catch (error) {
      return new SeedError(
        `${shown}: column ${column.name}: PostgreSQL does not accept the type ${column.type} (${column.source}): ${(error as Error).message}`,
        { cause: error },
      );
    } finally {
      await client.query('rollback to savepoint vitrina_seed_type');
    }
  }
  return new SeedError(`${shown}: its table cannot be created: ${failure.message}`, { cause: failure });
}

async function columnsOf(client: pg.ClientBase, relation: string | number): Promise<ResolvedColumn[]> {
  const { rows } = await client.query<ResolvedColumn>(
    `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
     where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
    [relation],
  );
  return rows;
}
