import type { Readable } from 'node:stream';
import mysql from 'mysql2';
import type oracledb from 'oracledb';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import Cursor from 'pg-cursor';
import { inBatches } from '../batches.ts';
import { decodeCopyLine } from '../postgres/copyText.ts';

/**
 * Streams a PostgreSQL query's rows as objects of strings (null for NULL) through
 * `COPY (query) TO STDOUT`, a batch per network chunk: the server sends rows as fast as the
 * network takes them and memory stays flat. Values arrive as text; the validating schema coerces them.
 */
export async function* streamPostgres(
  pool: pg.Pool,
  query: string,
  columns: readonly string[],
): AsyncGenerator<Array<Record<string, string | null>>> {
  const client = await pool.connect();
  try {
    const stream = client.query(copyTo(`copy (${query}) to stdout`));
    let rest = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      yield lines.map((line) => toRecord(columns, decodeCopyLine(line)));
    }
    if (rest) yield [toRecord(columns, decodeCopyLine(rest))];
  } finally {
    client.release();
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
 * Streams a MySQL query's rows (mysql2's row stream: one query at a time on its own connection,
 * rows read as the consumer takes them). Dates and decimals arrive as strings, as the source has them.
 */
export async function* streamMysql(
  url: string,
  query: string,
  params: readonly unknown[] = [],
  batchSize = 1000,
): AsyncGenerator<Array<Record<string, unknown>>> {
  const connection = mysql.createConnection({
    uri: url,
    dateStrings: true,
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  try {
    const rows = connection
      .query({ sql: query, values: [...params] })
      .stream({ highWaterMark: batchSize }) as Readable;
    // A connection that cannot be made (or drops) reports on the connection, not the row stream.
    connection.once('error', (error) => rows.destroy(error));
    yield* inBatches(rows as AsyncIterable<Record<string, unknown>>, batchSize);
  } finally {
    await new Promise<void>((resolve) => connection.end(() => resolve()));
  }
}

/**
 * Streams a compiled query (with bind parameters) from PostgreSQL through a server-side cursor,
 * in batches: the stand-in for Oracle runs the same query kysely compiled for it.
 */
export async function* streamPostgresQuery(
  pool: pg.Pool,
  query: { sql: string; parameters: readonly unknown[] },
  batchSize = 5000,
): AsyncGenerator<Array<Record<string, unknown>>> {
  const client = await pool.connect();
  const cursor = client.query(new Cursor<Record<string, unknown>>(query.sql, [...query.parameters]));
  try {
    for (;;) {
      const rows = await cursor.read(batchSize);
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    await cursor.close().catch(() => {});
    client.release();
  }
}

/**
 * Streams a compiled query from Oracle with oracledb's queryStream (thin mode: no client libraries),
 * rows as objects keyed by column name.
 */
export async function* streamOracle(
  connection: { user: string; password: string; connectString: string },
  query: { sql: string; parameters: readonly unknown[] },
): AsyncGenerator<Record<string, unknown>> {
  const { default: oracledb } = await import('oracledb');
  const session = await oracledb.getConnection(connection);
  try {
    const stream = session.queryStream(query.sql, [...query.parameters] as oracledb.BindParameters, {
      outFormat: oracledb.OUT_FORMAT_OBJECT,
      fetchArraySize: 1000,
    });
    for await (const row of stream as AsyncIterable<Record<string, unknown>>) yield row;
  } finally {
    await session.close();
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
