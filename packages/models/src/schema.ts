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
  await client.query(`create schema if not exists "${schema.replace(/"/g, '""')}"`);
}
