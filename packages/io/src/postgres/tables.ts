import pg from 'pg';

/** Runs `work` in one transaction on a client of the pool: all of it commits, or none of it. */
export async function inTransaction<T>(
  pool: pg.Pool,
  work: (client: pg.PoolClient) => Promise<T>,
): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('begin');
    const result = await work(client);
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

export interface PartitionWrite {
  /** Schema-qualified table, e.g. `clean.trips`. */
  table: string;
  /** The column that holds the partition key (a date). */
  column: string;
  partition: string;
  /** An INSERT (or INSERT … SELECT) that writes the partition; `$1` is the partition key. */
  insert: string;
}

/**
 * Replaces one daily partition atomically: readers see the old day or the new one, never half, and
 * running it twice leaves the same rows. Returns the rows written.
 */
export async function replacePartition(pool: pg.Pool, write: PartitionWrite): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(`delete from ${write.table} where ${write.column} = $1`, [write.partition]);
    const inserted = await client.query(write.insert, [write.partition]);
    return inserted.rowCount ?? 0;
  });
}

/** Replaces a whole (unpartitioned) table's contents atomically. Returns the rows written. */
export async function replaceTable(pool: pg.Pool, table: string, insert: string): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query(`delete from ${table}`);
    const inserted = await client.query(insert);
    return inserted.rowCount ?? 0;
  });
}

/** Creates the database named in `url` when it does not exist (connecting to `postgres` to do it). */
export async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.replace(/^\//, ''));
  if (!/^[a-z_][a-z0-9_]*$/.test(name))
    throw new Error(`database name "${name}" must be a lower-case identifier`);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const exists = await client.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0)
      await client.query(`create database ${name}`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
  } finally {
    await client.end();
  }
}
