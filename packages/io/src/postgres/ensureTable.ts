import { createHash } from 'node:crypto';
import type pg from 'pg';
import { inTransaction } from './tables.ts';

export interface EnsureTableOptions {
  /**
   * A table that holds rows and whose columns changed type or went away is dropped and re-created
   * empty (its asset reloads it). Without it such a table fails the call, naming each change.
   */
  rebuild?: boolean;
}

interface TableColumn {
  name: string;
  type: string;
}

const PROBE = 'pg_temp.vitrina_ddl_probe';

/**
 * Creates a table from its DDL, or brings an existing one to a changed DDL (the DDL's hash is kept
 * in the table's comment; a changed definition also makes every partition stale, so the asset
 * reloads what the new table lacks). Concurrent callers take turns on a transaction-level advisory
 * lock keyed by the table's name. The existing columns are compared with the DDL's, as PostgreSQL
 * resolves them: a table with the same columns or new ones keeps its rows (copied into the new
 * definition, no cast); one whose columns changed type or were removed is re-created only while it
 * is empty or with `rebuild`, and otherwise fails naming the column and both types — an old type is
 * never kept silently.
 */
export async function ensureTable(
  pool: pg.Pool,
  table: string,
  ddl: string,
  options: EnsureTableOptions = {},
): Promise<void> {
  const marker = `vitrina:${createHash('sha256').update(ddl).digest('hex').slice(0, 16)}`;
  if ((await catalogEntry(pool, table))?.comment === marker) return;
  await inTransaction(pool, async (client) => {
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [table]);
    const entry = await catalogEntry(client, table);
    if (entry?.comment === marker) return;
    if (entry) await migrate(client, table, ddl, options);
    else await client.query(ddl);
    await client.query(`comment on table ${table} is '${marker}'`);
  });
}

/**
 * The table's catalog row and comment, read with the statement's own snapshot. Not `to_regclass`:
 * it reads the backend's catalog cache, which a transaction that waited on an advisory lock has not
 * refreshed, so it would miss a table another process created meanwhile.
 */
async function catalogEntry(
  client: pg.Pool | pg.ClientBase,
  table: string,
): Promise<{ comment: string | null } | null> {
  const [schema, name] = table.includes('.') ? table.split('.', 2) : ['public', table];
  const { rows } = await client.query<{ comment: string | null }>(
    `select d.description as comment
     from pg_class c join pg_namespace n on n.oid = c.relnamespace
     left join pg_description d on d.objoid = c.oid and d.classoid = 'pg_class'::regclass and d.objsubid = 0
     where n.nspname = $1 and c.relname = $2`,
    [schema, name],
  );
  return rows[0] ?? null;
}

async function migrate(client: pg.ClientBase, table: string, ddl: string, options: EnsureTableOptions) {
  const declared = await declaredColumns(client, table, ddl);
  const existing = await columnsOf(client, table);
  const wanted = new Map(declared.map((column) => [column.name, column.type]));
  const changes: string[] = [];
  for (const column of existing) {
    const type = wanted.get(column.name);
    if (type === undefined) changes.push(`column ${column.name} (${column.type}) is no longer in the DDL`);
    else if (type !== column.type)
      changes.push(`column ${column.name} is ${column.type} in the table but ${type} in the DDL`);
  }
  const holdsRows = (await client.query(`select exists (select from ${table}) as found`)).rows[0]
    ?.found as boolean;
  if (!holdsRows || (changes.length > 0 && options.rebuild)) {
    await client.query(`drop table ${table}`);
    await client.query(ddl);
    return;
  }
  if (changes.length > 0) {
    throw new Error(
      `${table} holds rows and its DDL changed: ${changes.join('; ')}. It is not rebuilt silently: ` +
        'empty it, migrate it by hand, or rebuild it (ensureTable with { rebuild: true }: dropped and re-created empty, its asset reloads it).',
    );
  }
  // Same columns and types, perhaps new columns, other indexes or constraints: keep the rows.
  const kept = existing.map((column) => column.name).join(', ');
  await client.query(`create temp table vitrina_kept on commit drop as select ${kept} from ${table}`);
  await client.query(`drop table ${table}`);
  await client.query(ddl);
  try {
    await client.query(`insert into ${table} (${kept}) select ${kept} from pg_temp.vitrina_kept`);
  } catch (error) {
    throw new Error(`${table}: its rows do not fit the changed DDL: ${(error as Error).message}`, {
      cause: error,
    });
  }
  await client.query('drop table pg_temp.vitrina_kept');
}

async function columnsOf(client: pg.ClientBase, table: string): Promise<TableColumn[]> {
  const { rows } = await client.query<TableColumn>(
    `select attname as name, format_type(atttypid, atttypmod) as type from pg_attribute
     where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
    [table],
  );
  return rows;
}

/**
 * The columns the DDL declares, with their types as PostgreSQL resolves them (`numeric(14,2)`,
 * `timestamp with time zone`): the DDL is run against a temporary table in a savepoint rolled back
 * at once.
 */
async function declaredColumns(client: pg.ClientBase, table: string, ddl: string): Promise<TableColumn[]> {
  const name = new RegExp(`(?<![\\w."])${table.replace(/\./g, '\\.')}(?![\\w"])`, 'gi');
  const probe = ddl.replace(name, PROBE);
  await client.query('savepoint vitrina_ddl_probe');
  try {
    await client.query(probe);
    if (!(await client.query('select to_regclass($1) is not null as found', [PROBE])).rows[0]?.found)
      throw new Error(`its DDL does not create ${table} by that name`);
    return await columnsOf(client, PROBE);
  } catch (error) {
    throw new Error(`${table}: cannot read the columns its DDL declares: ${(error as Error).message}`, {
      cause: error,
    });
  } finally {
    await client.query('rollback to savepoint vitrina_ddl_probe');
  }
}
