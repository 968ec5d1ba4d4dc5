import { Agent, request } from 'node:http';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';

/**
 * A connection per request: ClickHouse closes idle keep-alive connections after 3 s, and a request
 * sent on one as it closes fails with "socket hang up" (Node's global agent keeps them alive).
 */
const oneShot = new Agent({ keepAlive: false });

/**
 * A small ClickHouse HTTP client that works with 18.16 (Debian's) and current releases alike: no
 * server-side query parameters, so every value that reaches SQL here is validated first
 * (identifiers by pattern, partitions as dates or integers).
 */
export class ClickHouse {
  private readonly base: URL;
  private readonly headers: Record<string, string>;
  /** The database the URL names (its path), which unqualified names resolve to; `default` without one. */
  readonly database: string;

  constructor(url: string) {
    const parsed = new URL(url);
    this.headers = {};
    if (parsed.username) this.headers['X-ClickHouse-User'] = decodeURIComponent(parsed.username);
    if (parsed.password) this.headers['X-ClickHouse-Key'] = decodeURIComponent(parsed.password);
    const database = parsed.pathname.replace(/^\//, '');
    parsed.username = '';
    parsed.password = '';
    parsed.pathname = '/';
    if (database) parsed.searchParams.set('database', database);
    this.database = checkIdentifier(database || 'default');
    this.base = parsed;
  }

  /** Runs a statement; resolves to the response body (use `FORMAT JSONEachRow` etc. to shape it). */
  async query(sql: string, body?: Readable, signal?: AbortSignal): Promise<string> {
    const url = new URL(this.base);
    if (body) url.searchParams.set('query', sql);
    return new Promise((resolve, reject) => {
      const options = {
        method: 'POST',
        headers: this.headers,
        agent: oneShot,
        ...(signal ? { signal } : {}),
      };
      const req = request(url, options, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          if ((response.statusCode ?? 500) >= 400) {
            reject(new Error(`ClickHouse: ${text.trim().split('\n')[0]}\n  in: ${sql.slice(0, 200)}`));
          } else resolve(text);
        });
      });
      req.on('error', (error) => reject(new Error(`ClickHouse at ${this.base.host}: ${error.message}`)));
      if (body) {
        pipeline(body, req).catch(reject);
      } else {
        req.end(sql);
      }
    });
  }

  /** Creates this client's database when missing (asked without it: the server refuses requests naming a missing database). */
  async ensureDatabase(): Promise<void> {
    const server = new ClickHouse(this.base.toString());
    server.base.searchParams.delete('database');
    Object.assign(server.headers, this.headers);
    await server.query(`CREATE DATABASE IF NOT EXISTS ${this.database}`);
  }

  /** A name of this client's database qualified with it, unless it names its database already. */
  qualify(name: string): string {
    return checkIdentifier(name.includes('.') ? name : `${this.database}.${name}`);
  }

  /** Rows of a `SELECT` as objects (JSONEachRow; 64-bit integers arrive as strings). */
  async rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
    const text = await this.query(`${sql} FORMAT JSONEachRow`);
    return text
      .split('\n')
      .filter((line) => line.trim())
      .map((line) => JSON.parse(line) as T);
  }
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/;

export function checkIdentifier(name: string): string {
  if (!identifier.test(name)) throw new Error(`not a safe ClickHouse identifier: "${name}"`);
  return name;
}

/**
 * A partition value as ClickHouse SQL: a day ('2026-01-31'), an integer (202601, toYYYYMM), or
 * `null` for the one partition of a table without a partition key (`PARTITION BY tuple()`).
 */
export function partitionLiteral(value: string | number | null): string {
  if (value === null) return 'tuple()';
  if (typeof value === 'number' && Number.isInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(value)) return `'${value}'`;
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  throw new Error(`not a partition value: ${JSON.stringify(value)}`);
}

export interface PartitionTransfer {
  /** The PostgreSQL query whose rows fill the partition, selecting the mart's columns in order, as ClickHouse reads them. */
  query: string;
  /** The mart, e.g. `mart.payments_daily`. */
  table: string;
  columns: readonly string[];
  /** The partition's value as the mart's PARTITION BY expression gives it; `null` replaces a table without a partition key whole. */
  partition: string | number | null;
  /** Makes the staging table's name unique per run and partition. */
  tag: string;
  /** Cancels the transfer; the mart keeps what it had. */
  signal?: AbortSignal;
}

/**
 * Moves one partition from PostgreSQL to ClickHouse atomically: `COPY (query) TO STDOUT` streams
 * straight into an `INSERT … FORMAT TabSeparated` of a staging table of the same structure (PG's
 * COPY text and ClickHouse's TabSeparated share escaping and `\N`), then
 * `ALTER TABLE … REPLACE PARTITION … FROM` swaps it in. A dashboard never sees half a day; a re-run
 * never duplicates. No row passes through JavaScript.
 */
export async function transferPartition(
  clickhouse: ClickHouse,
  pool: pg.Pool,
  transfer: PartitionTransfer,
): Promise<{ rows: number }> {
  const table = checkIdentifier(transfer.table);
  const columns = transfer.columns.map(checkIdentifier);
  const staging = checkIdentifier(`${table}__staging_${transfer.tag.replace(/[^A-Za-z0-9_]/g, '_')}`);
  const expected = transfer.partition === null ? 'tuple()' : String(transfer.partition);
  await clickhouse.query(`DROP TABLE IF EXISTS ${staging}`);
  await clickhouse.query(`CREATE TABLE ${staging} AS ${table}`);
  try {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      const copy = client.query(copyTo(`copy (${transfer.query}) to stdout`));
      await clickhouse.query(
        `INSERT INTO ${staging} (${columns.join(', ')}) FORMAT TabSeparated`,
        copy,
        transfer.signal,
      );
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // A connection whose COPY was cut off mid-stream must not go back to the pool.
      client.release(broken);
    }
    const parts = await clickhouse.rows<{ partition: string; rows: string }>(
      `SELECT partition, sum(rows) AS rows FROM system.parts WHERE active AND database = ${quote(databaseOf(staging, clickhouse))} AND table = ${quote(tableOf(staging))} GROUP BY partition`,
    );
    const stray = parts.filter((part) => part.partition.replace(/^'|'$/g, '') !== expected);
    if (stray.length > 0) {
      throw new Error(
        `the query for partition ${expected} of ${table} returned rows of partition ${stray.map((part) => part.partition).join(', ')}`,
      );
    }
    const counted = { rows: parts.reduce((sum, part) => sum + Number(part.rows), 0) };
    transfer.signal?.throwIfAborted();
    await clickhouse.query(
      `ALTER TABLE ${table} REPLACE PARTITION ${partitionLiteral(transfer.partition)} FROM ${staging}`,
    );
    return { rows: counted.rows };
  } finally {
    await clickhouse.query(`DROP TABLE IF EXISTS ${staging}`);
  }
}

function databaseOf(name: string, clickhouse: ClickHouse): string {
  return name.includes('.') ? name.slice(0, name.indexOf('.')) : clickhouse.database;
}

function tableOf(name: string): string {
  return name.slice(name.indexOf('.') + 1);
}

/** A string literal for names already checked by `checkIdentifier`. */
function quote(text: string): string {
  return `'${text}'`;
}
