import { Readable } from 'node:stream';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { type ClickHouse, checkIdentifier } from './client.ts';

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

export interface PartitionTransfer extends MartPartitionReplacement {
  /** The PostgreSQL query whose rows fill the partition, selecting the mart's columns in order, as ClickHouse reads them. */
  query: string;
  columns: readonly string[];
}

/** Where `replaceMartPartition` writes: the mart, its partition, and the staging table's tag. */
export interface MartPartitionReplacement {
  /** The mart, e.g. `mart.payments_daily`. */
  table: string;
  /** The partition's value as the mart's PARTITION BY expression gives it; `null` replaces a table without a partition key whole. */
  partition: string | number | null;
  /**
   * Names the staging table (`<table>__staging_<tag>`), dropped first if it exists: one name per
   * partition lets the next transfer of a partition clear what a killed one left, provided one
   * writer at a time transfers it (the engine's partition lease).
   */
  tag: string;
  /** Cancels the replacement; the mart keeps what it had. */
  signal?: AbortSignal;
}

/** Where `replaceMartPartitions` writes: the mart, the partitions it replaces, the staging table's tag. */
export interface MartPartitionsReplacement extends Omit<MartPartitionReplacement, 'partition'> {
  partitions: ReadonlyArray<string | number | null>;
}

/**
 * Replaces one partition atomically: `fill` writes the rows into a staging table of the same
 * structure, the staging table is checked to hold that partition only, then
 * `ALTER TABLE … REPLACE PARTITION … FROM` swaps it in. A dashboard never sees half a partition; a
 * re-run never duplicates.
 */
export async function replaceMartPartition(
  clickhouse: ClickHouse,
  target: MartPartitionReplacement,
  fill: (staging: string) => Promise<void>,
): Promise<{ rows: number }> {
  const { partition, ...rest } = target;
  const { rows } = await replaceMartPartitions(clickhouse, { ...rest, partitions: [partition] }, fill);
  return { rows: rows[0]! };
}

/**
 * `replaceMartPartition` for several partitions filled at once (a backfill's range of days): the
 * staging table must hold those partitions only, and each is swapped in atomically on its own, in
 * order; a partition the fill left empty is replaced by nothing. Returns the rows of each.
 */
export async function replaceMartPartitions(
  clickhouse: ClickHouse,
  target: MartPartitionsReplacement,
  fill: (staging: string) => Promise<void>,
): Promise<{ rows: number[] }> {
  const table = checkIdentifier(target.table);
  const staging = checkIdentifier(`${table}__staging_${target.tag.replace(/[^A-Za-z0-9_]/g, '_')}`);
  const expected = target.partitions.map((partition) => (partition === null ? 'tuple()' : String(partition)));
  await clickhouse.command(`DROP TABLE IF EXISTS ${staging}`);
  await clickhouse.command(`CREATE TABLE ${staging} AS ${table}`);
  try {
    await fill(staging);
    const parts = await clickhouse.rows<{ partition: string; rows: string }>(
      `SELECT partition, sum(rows) AS rows FROM system.parts WHERE active AND database = ${quote(databaseOf(staging, clickhouse))} AND table = ${quote(tableOf(staging))} GROUP BY partition`,
    );
    const unquoted = (partition: string) => partition.replace(/^'|'$/g, '');
    const stray = parts.filter((part) => !expected.includes(unquoted(part.partition)));
    if (stray.length > 0) {
      throw new Error(
        `the rows written for partition ${expected.join(', ')} of ${table} include rows of partition ${stray.map((part) => part.partition).join(', ')}`,
      );
    }
    const counted = new Map(parts.map((part) => [unquoted(part.partition), Number(part.rows)]));
    for (const partition of target.partitions) {
      target.signal?.throwIfAborted();
      await clickhouse.command(
        `ALTER TABLE ${table} REPLACE PARTITION ${partitionLiteral(partition)} FROM ${staging}`,
      );
    }
    return { rows: expected.map((partition) => counted.get(partition) ?? 0) };
  } finally {
    await clickhouse.command(`DROP TABLE IF EXISTS ${staging}`);
  }
}

/**
 * Moves one partition from PostgreSQL to ClickHouse atomically (`replaceMartPartition`): `COPY (query)
 * TO STDOUT` streams straight into an `INSERT … FORMAT TabSeparated` of the staging table (PG's COPY
 * text and ClickHouse's TabSeparated share escaping and `\N`). No row passes through JavaScript.
 */
export async function transferPartition(
  clickhouse: ClickHouse,
  pool: pg.Pool,
  transfer: PartitionTransfer,
): Promise<{ rows: number }> {
  const { partition, ...rest } = transfer;
  const { rows } = await transferPartitions(clickhouse, pool, { ...rest, partitions: [partition] });
  return { rows: rows[0]! };
}

/** `transferPartition` for several partitions in one query (a range of days), each swapped in on its own. */
export function transferPartitions(
  clickhouse: ClickHouse,
  pool: pg.Pool,
  transfer: MartPartitionsReplacement & { query: string; columns: readonly string[] },
): Promise<{ rows: number[] }> {
  const columns = transfer.columns.map(checkIdentifier);
  return replaceMartPartitions(clickhouse, transfer, async (staging) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      // PostgreSQL's JIT compiles a whole query before its first row: a range of 31 days (31 union
      // branches) sent nothing for 35 s, compiling, where it runs in 0.4 s without, and ClickHouse
      // hung up on the silent insert after 10 s. A day's query is below JIT's threshold anyway.
      await client.query('set jit = off');
      const copy = client.query(copyTo(`copy (${transfer.query}) to stdout`));
      await clickhouse.insert(staging, columns, await fromFirstChunk(copy, transfer.signal), transfer.signal);
      await client.query('reset jit');
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // A connection whose COPY was cut off mid-stream must not go back to the pool.
      client.release(broken);
    }
  });
}

/**
 * The stream once its first chunk has arrived (or it ended): an aggregating query sends nothing
 * until it has aggregated everything (mart.app_screens_daily at scale 300: millions of events
 * grouped before the first row), and an insert opened at once sent nothing either — Node writes a
 * request's headers with its first chunk — so ClickHouse saw its kept-alive socket idle and closed
 * it after `keep_alive_timeout` (10 s on 18.16): "socket hang up". Opening the insert only then
 * leaves the wait on PostgreSQL's side, where the query timeout governs it.
 */
async function fromFirstChunk(stream: Readable, signal: AbortSignal | undefined): Promise<Readable> {
  const abort = () => stream.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
  signal?.addEventListener('abort', abort, { once: true });
  try {
    const chunks = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    const first = await chunks.next();
    return Readable.from(
      (async function* () {
        if (first.done) return;
        yield first.value;
        for (let next = await chunks.next(); !next.done; next = await chunks.next()) yield next.value;
      })(),
      { objectMode: false },
    );
  } finally {
    signal?.removeEventListener('abort', abort);
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
