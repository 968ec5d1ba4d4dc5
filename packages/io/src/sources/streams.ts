import type oracledb from 'oracledb';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import { decodeCopyLine } from '../postgres/copyText.ts';
import {
  connectTimeout,
  DEFAULT_CONNECT_TIMEOUT_MS,
  describeUrl,
  queryTimeout,
  type SourceTimeouts,
  secretsOf,
  sourceFailure,
  timeoutsOf,
  within,
} from './failures.ts';

export interface PostgresStreamOptions extends SourceTimeouts {
  /** The source's name in messages; default `PostgreSQL user@host:port/database` from the pool. */
  source?: string;
}

/**
 * A pool for a PostgreSQL source: connecting is bounded by `connectTimeoutMs` (pg's default waits
 * for ever). The stream functions bound it again, and the query, for pools made otherwise.
 */
export function sourcePool(url: string, options: pg.PoolConfig & SourceTimeouts = {}): pg.Pool {
  const { connectTimeoutMs, queryTimeoutMs: _, ...config } = options;
  const pool = new pg.Pool({
    connectionString: url,
    connectionTimeoutMillis: connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    ...config,
  });
  pool.on('error', () => {}); // an idle client dropped by the server is replaced on next use
  return pool;
}

function poolSource(pool: pg.Pool, options: PostgresStreamOptions): string {
  if (options.source) return options.source;
  const { connectionString, user, host, port, database } = pool.options;
  if (connectionString) return `PostgreSQL ${describeUrl(connectionString)}`;
  return `PostgreSQL ${user ? `${user}@` : ''}${host ?? 'localhost'}:${port ?? 5432}/${database ?? ''}`;
}

function poolSecrets(pool: pg.Pool): string[] {
  const { connectionString, password } = pool.options;
  return [
    ...(connectionString ? secretsOf(connectionString) : []),
    ...(typeof password === 'string' ? [password] : []),
  ];
}

/**
 * A client of the pool within the connect timeout. A rejected login or an unknown database fails
 * at once, not retried; a connection that is late is released when it comes.
 */
async function connect(pool: pg.Pool, source: string, ms: number): Promise<pg.PoolClient> {
  try {
    return await within(
      pool.connect(),
      ms,
      () => connectTimeout(source, ms),
      (late) => late.release(),
    );
  } catch (error) {
    if (error instanceof Error && error.message.startsWith(`${source}: `)) throw error;
    if (error instanceof Error && /connection timeout/i.test(error.message))
      throw connectTimeout(source, pool.options.connectionTimeoutMillis || ms);
    throw sourceFailure(source, error, poolSecrets(pool));
  }
}

/**
 * Streams a PostgreSQL query's rows as objects of strings (null for NULL) through
 * `COPY (query) TO STDOUT`, a batch per network chunk: the server sends rows as fast as the
 * network takes them and memory stays flat. Values arrive as text; the validating schema coerces them.
 */
export async function* streamPostgres(
  pool: pg.Pool,
  query: string,
  columns: readonly string[],
  options: PostgresStreamOptions = {},
): AsyncGenerator<Array<Record<string, string | null>>> {
  const { connectTimeoutMs, queryTimeoutMs } = timeoutsOf(options);
  const source = poolSource(pool, options);
  const started = Date.now();
  const client = await connect(pool, source, connectTimeoutMs);
  let failed: Error | undefined;
  let done = false;
  const stream = client.query(copyTo(`copy (${query}) to stdout`));
  const timer = setTimeout(
    () => stream.destroy(queryTimeout(source, queryTimeoutMs)),
    Math.max(0, queryTimeoutMs - (Date.now() - started)),
  );
  try {
    // Split at the last newline byte before decoding: a chunk may end inside a character.
    let rest: Buffer = Buffer.alloc(0);
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const data = rest.length ? Buffer.concat([rest, chunk]) : chunk;
      const end = data.lastIndexOf(10);
      if (end < 0) {
        rest = data;
        continue;
      }
      rest = data.subarray(end + 1);
      const lines = data.toString('utf8', 0, end).split('\n');
      yield lines.map((line) => toRecord(columns, decodeCopyLine(line)));
    }
    done = true;
    if (rest.length) yield [toRecord(columns, decodeCopyLine(rest.toString('utf8')))];
  } catch (error) {
    failed =
      error instanceof Error && error.message.startsWith(`${source}: `)
        ? error
        : sourceFailure(source, error, poolSecrets(pool));
    throw failed;
  } finally {
    clearTimeout(timer);
    // A client whose COPY was cut off (failed, or left unread) is in no state for the next query:
    // it is closed, not reused.
    client.release(failed ?? (done ? undefined : true));
  }
}

function toRecord(columns: readonly string[], fields: Array<string | null>): Record<string, string | null> {
  if (fields.length !== columns.length) {
    throw new Error(`COPY returned ${fields.length} fields where ${columns.length} columns were expected`);
  }
  const record: Record<string, string | null> = {};
  for (let i = 0; i < columns.length; i++) record[columns[i]!] = fields[i]!;
  return record;
}

/**
 * Streams a compiled query (with bind parameters) from PostgreSQL through a server-side cursor,
 * in batches: the stand-in for Oracle runs the same query kysely compiled for it.
 */
export async function* streamPostgresQuery(
  pool: pg.Pool,
  query: { sql: string; parameters: readonly unknown[] },
  batchSize = 5000,
  options: PostgresStreamOptions = {},
): AsyncGenerator<Array<Record<string, unknown>>> {
  const { connectTimeoutMs, queryTimeoutMs } = timeoutsOf(options);
  const source = poolSource(pool, options);
  const deadline = Date.now() + queryTimeoutMs;
  const client = await connect(pool, source, connectTimeoutMs);
  const cursor = client.query(new Cursor<Record<string, unknown>>(query.sql, [...query.parameters]));
  let failed: Error | undefined;
  try {
    for (;;) {
      let rows: Array<Record<string, unknown>>;
      try {
        rows = await within(cursor.read(batchSize), Math.max(0, deadline - Date.now()), () =>
          queryTimeout(source, queryTimeoutMs),
        );
      } catch (error) {
        failed =
          error instanceof Error && error.message.startsWith(`${source}: `)
            ? error
            : sourceFailure(source, error, poolSecrets(pool));
        throw failed;
      }
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    if (!failed) await cursor.close().catch(() => {});
    client.release(failed);
  }
}

/**
 * Streams a compiled query from Oracle with oracledb's queryStream (thin mode: no client libraries),
 * rows as objects keyed by column name.
 */
export async function* streamOracle(
  connection: { user: string; password: string; connectString: string },
  query: { sql: string; parameters: readonly unknown[] },
  options: SourceTimeouts & { source?: string } = {},
): AsyncGenerator<Record<string, unknown>> {
  const { connectTimeoutMs, queryTimeoutMs } = timeoutsOf(options);
  const source = options.source ?? `Oracle ${connection.user}@${connection.connectString}`;
  const secrets = [connection.password];
  const { default: oracledb } = await import('oracledb');
  const started = Date.now();
  let session: oracledb.Connection;
  try {
    // Thin mode takes the connect timeout in seconds.
    session = await oracledb.getConnection({
      ...connection,
      connectTimeout: Math.max(1, Math.ceil(connectTimeoutMs / 1000)),
      transportConnectTimeout: Math.max(1, Math.ceil(connectTimeoutMs / 1000)),
    });
  } catch (error) {
    throw sourceFailure(source, error, secrets);
  }
  const stream = session.queryStream(query.sql, [...query.parameters] as oracledb.BindParameters, {
    outFormat: oracledb.OUT_FORMAT_OBJECT,
    fetchArraySize: 1000,
  });
  const timer = setTimeout(
    () => stream.destroy(queryTimeout(source, queryTimeoutMs)),
    Math.max(0, queryTimeoutMs - (Date.now() - started)),
  );
  try {
    for await (const row of stream as AsyncIterable<Record<string, unknown>>) yield row;
  } catch (error) {
    throw error instanceof Error && error.message.startsWith(`${source}: `)
      ? error
      : sourceFailure(source, error, secrets);
  } finally {
    clearTimeout(timer);
    await session.close().catch(() => {});
  }
}

/** `oracle://user:password@host:port/service` → oracledb's connection settings. */
export function oracleConnection(url: string): { user: string; password: string; connectString: string } {
  const parsed = new URL(url);
  if (parsed.protocol !== 'oracle:') throw new Error(`not an oracle:// URL: ${parsed.protocol}`);
  return {
    user: decodeURIComponent(parsed.username),
    password: decodeURIComponent(parsed.password),
    connectString: `${parsed.hostname}:${parsed.port || 1521}${parsed.pathname}`,
  };
}
