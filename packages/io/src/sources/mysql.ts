import type { Readable } from 'node:stream';
import mysql from 'mysql2';
import { inBatches } from '../batches.ts';
import {
  connectTimeout,
  describeUrl,
  queryTimeout,
  type SourceTimeouts,
  secretsOf,
  sourceFailure,
  timeoutsOf,
} from './failures.ts';

export interface MysqlStreamOptions extends SourceTimeouts {
  /** Rows per yielded batch. Default 1000. */
  batchSize?: number;
  /** The source's name in messages; default `MySQL user@host:port/database`. */
  source?: string;
}

/**
 * Streams a MySQL query's rows (mysql2's row stream: one query at a time on its own connection,
 * rows read as the consumer takes them). Dates and decimals arrive as strings, as the source has them.
 * Connecting (and the login) is bounded by `connectTimeoutMs`, the whole query by `queryTimeoutMs`;
 * a rejected login, an unknown database or a missing grant fails at once, not retried, naming the
 * source without its password.
 */
export async function* streamMysql(
  url: string,
  query: string,
  params: readonly unknown[] = [],
  batchSizeOrOptions: number | MysqlStreamOptions = {},
): AsyncGenerator<Array<Record<string, unknown>>> {
  const options =
    typeof batchSizeOrOptions === 'number' ? { batchSize: batchSizeOrOptions } : batchSizeOrOptions;
  const { connectTimeoutMs, queryTimeoutMs } = timeoutsOf(options);
  const batchSize = options.batchSize ?? 1000;
  const source = options.source ?? `MySQL ${describeUrl(url)}`;
  const secrets = secretsOf(url);
  const started = Date.now();
  const connection = mysql.createConnection({
    uri: url,
    connectTimeout: connectTimeoutMs,
    dateStrings: true,
    decimalNumbers: false,
    supportBigNumbers: true,
    bigNumberStrings: true,
  });
  // After a fatal error (a rejected login, a dropped connection) mysql2 never calls end()'s
  // callback: such a connection is destroyed instead of ended, or the stream would hang for good.
  let broken = false;
  try {
    await new Promise<void>((resolve, reject) => {
      connection.once('connect', () => resolve());
      connection.once('error', (error) => {
        broken = true;
        const code = (error as { code?: string }).code;
        reject(
          code === 'ETIMEDOUT'
            ? connectTimeout(source, connectTimeoutMs)
            : sourceFailure(source, error, secrets),
        );
      });
    });
    const rows = connection
      .query({ sql: query, values: [...params] })
      .stream({ highWaterMark: batchSize }) as Readable;
    const onError = (error: Error) => {
      broken = true;
      rows.destroy(sourceFailure(source, error, secrets));
    };
    connection.on('error', onError);
    const timer = setTimeout(
      () => {
        broken = true;
        rows.destroy(queryTimeout(source, queryTimeoutMs));
      },
      Math.max(0, queryTimeoutMs - (Date.now() - started)),
    );
    try {
      for await (const batch of inBatches(rows as AsyncIterable<Record<string, unknown>>, batchSize))
        yield batch;
    } catch (error) {
      broken = true;
      throw error instanceof Error && error.message.startsWith(`${source}: `)
        ? error
        : sourceFailure(source, error, secrets);
    } finally {
      clearTimeout(timer);
      connection.off('error', onError);
    }
  } finally {
    if (broken) connection.destroy();
    else await endOrDestroy(connection);
  }
}

/** Ends the connection politely, or destroys it when the server does not answer the quit. */
async function endOrDestroy(connection: mysql.Connection): Promise<void> {
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => {
      connection.destroy();
      resolve();
    }, 2000);
    connection.end(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
