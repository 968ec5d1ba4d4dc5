import { Readable } from 'node:stream';
import { type ClickHouseClient, ClickHouseLogLevel, createClient } from '@clickhouse/client';

/**
 * How long a connection may stay silent (the client's socket timeout): long enough for a heavy
 * query before its first byte, short of hanging for good on a server that stopped answering.
 */
const REQUEST_TIMEOUT_MS = 10 * 60_000;

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

function open(endpoint: Endpoint): ClickHouseClient {
  // Failures reach the caller as errors naming the statement; the client's own log would repeat them.
  return createClient({
    ...endpoint,
    request_timeout: REQUEST_TIMEOUT_MS,
    log: { level: ClickHouseLogLevel.OFF },
    // Current releases print 64-bit integers in JSON as bare numbers (18.16 quotes them): quoted on
    // both, no count or sum above 2^53 loses digits in JavaScript.
    clickhouse_settings: { output_format_json_quote_64bit_integers: 1 },
  });
}

/**
 * The marts' ClickHouse, on the official client. Written for 18.16 (Debian's) and current releases
 * alike: 18.16 refuses server-side query parameters, so every value that reaches SQL here is
 * validated first (identifiers by pattern, partitions as dates or integers).
 */
export class ClickHouse {
  /** The database the URL names (its path), which unqualified names resolve to; `default` without one. */
  readonly database: string;
  private readonly endpoint: Endpoint;
  private readonly client: ClickHouseClient;

  constructor(url: string) {
    this.endpoint = endpointOf(url);
    this.database = checkIdentifier(this.endpoint.database ?? 'default');
    this.client = open(this.endpoint);
  }

  /** Runs a statement that returns no rows (DDL, ALTER, INSERT … SELECT). */
  async command(sql: string, signal?: AbortSignal): Promise<void> {
    await this.attempt(sql, () =>
      this.client.command({ query: sql, ...(signal ? { abort_signal: signal } : {}) }),
    );
  }

  /** Rows of a `SELECT` as objects (64-bit integers arrive as strings). */
  async rows<T = Record<string, unknown>>(sql: string, signal?: AbortSignal): Promise<T[]> {
    return this.attempt(sql, async () => {
      const result = await this.client.query({
        query: sql,
        format: 'JSONEachRow',
        ...(signal ? { abort_signal: signal } : {}),
      });
      return result.json<T>();
    });
  }

  /** A `SELECT`'s answer as TabSeparated text, as ClickHouse prints it. */
  async text(sql: string): Promise<string> {
    return this.attempt(sql, async () =>
      (await this.client.query({ query: sql, format: 'TabSeparated' })).text(),
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
    await this.attempt(`INSERT INTO ${table}`, () =>
      this.client.insert({
        table: checkIdentifier(table),
        columns: [first, ...rest],
        values,
        format: 'TabSeparated',
        ...(signal ? { abort_signal: signal } : {}),
      }),
    );
  }

  /** Creates this client's database when missing (asked without it: the server refuses requests naming a missing database). */
  async ensureDatabase(): Promise<void> {
    const { database: _, ...server } = this.endpoint;
    const client = open(server);
    try {
      await this.attempt('CREATE DATABASE', () =>
        client.command({ query: `CREATE DATABASE IF NOT EXISTS ${this.database}` }),
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

  /** Runs a request; a failure names the server's first line and the statement. */
  private async attempt<T>(sql: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof Error && error.name === 'AbortError') throw error;
      const message = error instanceof Error ? error.message : String(error);
      const where = /ECONNREFUSED|ENOTFOUND|ECONNRESET|socket hang up|Timeout error/i.test(message)
        ? ` at ${new URL(this.endpoint.url).host}`
        : '';
      throw new Error(`ClickHouse${where}: ${message.trim().split('\n')[0]}\n  in: ${sql.slice(0, 200)}`, {
        cause: error,
      });
    }
  }
}
