import type { Readable } from 'node:stream';
import mysql from 'mysql2';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { decodeCopyLine } from './copyText.ts';

/**
 * Streams a PostgreSQL query's rows as objects of strings (null for NULL) through
 * `COPY (query) TO STDOUT`: the server sends rows as fast as the network takes them and memory
 * stays flat. Values arrive as text; the validating schema coerces them.
 */
export async function* streamPostgres(
  pool: pg.Pool,
  query: string,
  columns: readonly string[],
): AsyncGenerator<Record<string, string | null>> {
  const client = await pool.connect();
  try {
    const stream = client.query(copyTo(`copy (${query}) to stdout`));
    let rest = '';
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const text = rest + chunk.toString('utf8');
      const lines = text.split('\n');
      rest = lines.pop() ?? '';
      for (const line of lines) yield toRecord(columns, decodeCopyLine(line));
    }
    if (rest) yield toRecord(columns, decodeCopyLine(rest));
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
): AsyncGenerator<Record<string, unknown>> {
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
      .stream({ highWaterMark: 1000 }) as Readable;
    for await (const row of rows) yield row as Record<string, unknown>;
  } finally {
    await new Promise<void>((resolve) => connection.end(() => resolve()));
  }
}
