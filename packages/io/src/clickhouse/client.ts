import { connect as tcpConnect } from 'node:net';
import { Readable } from 'node:stream';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';
import { TransientError } from '@vitrina/core';
import { connectTimeout, queryTimeout, type SourceTimeouts, timeoutsOf } from '../sources/failures.ts';

const identifier = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export function checkIdentifier(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a safe ClickHouse identifier: "${name}"`);
  return name;
}

/** Where a client connects: the server, the credentials, and the database the URL's path names. */
interface Endpoint {
  url: string;
  username?: string;
  password?: string;
  database?: string;
}

function endpointOf(url: string): Endpoint {
  const parsed = new URL(url);
  const database = decodeURIComponent(parsed.pathname.replace(/^\//, ''));
  return {
    url: parsed.origin,
    ...(parsed.username ? { username: decodeURIComponent(parsed.username) } : {}),
    ...(parsed.password ? { password: decodeURIComponent(parsed.password) } : {}),
    ...(database ? { database } : {}),
  };
}

/**
 * `request_timeout` is how long a connection may stay silent (the client's socket timeout): as
 * long as a whole statement may take, so a heavy query has time before its first byte and a server
 * that stopped answering fails the request instead of hanging it.
 */
function open(endpoint: Endpoint, queryTimeoutMs: number): ClickHouseClient {
  // Failures reach the caller as errors naming the statement; the client's own log would repeat them.
  return createClient({
    ...endpoint,
    request_timeout: queryTimeoutMs,
    log: { level: ClickHouseLogLevel.OFF },
    // Current releases print 64-bit integers in JSON as bare numbers (18.16 quotes them): quoted on
    // both, no count or sum above 2^53 loses digits in JavaScript.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
  });
}

/**
 * The marts' ClickHouse, on the official client. Written for 18.16 (Debian's) and current releases
 * alike: 18.16 refuses server-side query parameters, so every value that reaches SQL here is
 * validated first (identifiers by pattern, partitions as dates or integers). The server must be
 * reachable within `connectTimeoutMs` (checked before the first request, and again after a
 * connection failure) and each statement must finish within `queryTimeoutMs`.
 */
export class ClickHouse {
  /** The database the URL names (its path), which unqualified names resolve to; `default` without one. */
  readonly database: string;
  private readonly endpoint: Endpoint;
  private readonly client: ClickHouseClient;
  private readonly timeouts: Required<SourceTimeouts>;
  private reachable: Promise<void> | null = null;

  constructor(url: string, options: SourceTimeouts = {}) {
    this.endpoint = endpointOf(url);
    this.database = checkIdentifier(this.endpoint.database ?? 'default');
    this.timeouts = timeoutsOf(options);
    this.client = open(this.endpoint, this.timeouts.queryTimeoutMs);
  }

  /** Runs a statement that returns no rows (DDL, ALTER, INSERT … SELECT). */
  async command(sql: string, signal?: AbortSignal): Promise<void> {
    await this.attempt(sql, signal, (abort_signal) => this.client.command({ query: sql, abort_signal }));
  }

  /** Rows of a `SELECT` as objects (64-bit integers arrive as strings). */
  async rows<T = Record<string, unknown>>(sql: string, signal?: AbortSignal): Promise<T[]> {
    return this.attempt(sql, signal, async (abort_signal) => {
      const result = await this.client.query({ query: sql, format: 'JSONEachRow', abort_signal });
      return result.json<T>();
    });
  }

  /** A `SELECT`'s answer as TabSeparated text, as ClickHouse prints it. */
  async text(sql: string, signal?: AbortSignal): Promise<string> {
    return this.attempt(sql, signal, async (abort_signal) =>
      (await this.client.query({ query: sql, format: 'TabSeparated', abort_signal })).text(),
    );
  }

  /** Streams TabSeparated lines (PostgreSQL's COPY text shares its escaping and `\N`) into a table. */
  async insert(
    table: string,
    columns: readonly string[],
    lines: Readable | string,
    signal?: AbortSignal,
  ): Promise<void> {
    const values =
      typeof lines === 'string' ? Readable.from([Buffer.from(lines)], { objectMode: false }) : lines;
    const [first, ...rest] = columns.map(checkIdentifier);
    if (first === undefined) throw new Error(`an insert into ${table} names no columns`);
    await this.attempt(`INSERT INTO ${table}`, signal, (abort_signal) =>
      this.client.insert({
        table: checkIdentifier(table),
        columns: [first, ...rest],
        values,
        format: 'TabSeparated',
        abort_signal,
      }),
    );
  }

  /** Creates this client's database when missing (asked without it: the server refuses requests naming a missing database). */
  async ensureDatabase(): Promise<void> {
    const { database: _, ...server } = this.endpoint;
    const client = open(server, this.timeouts.queryTimeoutMs);
    try {
      await this.attempt('CREATE DATABASE', undefined, (abort_signal) =>
        client.command({ query: `CREATE DATABASE IF NOT EXISTS ${this.database}`, abort_signal }),
      );
    } finally {
      await client.close();
    }
  }

  /** A name of this client's database qualified with it, unless it names its database already. */
  qualify(name: string): string {
    return checkIdentifier(name.includes('.') ? name : `${this.database}.${name}`);
  }

  /** Closes the client's connections. */
  close(): Promise<void> {
    return this.client.close();
  }

  /**
   * Runs a request within the query timeout, once the server is known to be reachable; a failure
   * names the server's first line and the statement.
   */
  private async attempt<T>(
    sql: string,
    signal: AbortSignal | undefined,
    request: (signal: AbortSignal) => Promise<T>,
  ): Promise<T> {
    const host = new URL(this.endpoint.url).host;
    const statement = `\n  in: ${sql.slice(0, 200)}`;
    const timeout = AbortSignal.timeout(this.timeouts.queryTimeoutMs);
    try {
      this.reachable ??= this.probe();
      await this.reachable.catch((error: unknown) => {
        this.reachable = null;
        throw error;
      });
      return await request(signal ? AbortSignal.any([signal, timeout]) : timeout);
    } catch (error) {
      if (signal?.aborted) throw error;
      if (timeout.aborted) {
        const late = queryTimeout(`ClickHouse at ${host}`, this.timeouts.queryTimeoutMs, 'the statement');
        throw new Error(`${late.message}${statement}`);
      }
      if (error instanceof Error && error.name === 'AbortError') throw error;
      if (error instanceof TransientError)
        throw new TransientError(`${error.message}${statement}`, { cause: error });
      const message = error instanceof Error ? error.message : String(error);
      const where = /ECONNREFUSED|ENOTFOUND|ECONNRESET|socket hang up|Timeout error/i.test(message)
        ? ` at ${host}`
        : '';
      if (/ECONNREFUSED|ENOTFOUND|ECONNRESET|socket hang up/i.test(message)) this.reachable = null;
      throw new Error(`ClickHouse${where}: ${message.trim().split('\n')[0]}${statement}`, { cause: error });
    }
  }

  /** Whether a TCP connection to the server opens within the connect timeout. */
  private probe(): Promise<void> {
    const url = new URL(this.endpoint.url);
    const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
    const ms = this.timeouts.connectTimeoutMs;
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: url.hostname, port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(connectTimeout(`ClickHouse at ${url.host}`, ms));
      }, ms);
      socket.once('connect', () => {
        clearTimeout(timer);
        socket.destroy();
        resolve();
      });
      socket.once('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  }
}
