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
  const table = checkIdentifier(target.table);
  const staging = checkIdentifier(`${table}__staging_${target.tag.replace(/[^A-Za-z0-9_]/g, '_')}`);
  const expected = target.partition === null ? 'tuple()' : String(target.partition);
  await clickhouse.command(`DROP TABLE IF EXISTS ${staging}`);
  await clickhouse.command(`CREATE TABLE ${staging} AS ${table}`);
  try {
    await fill(staging);
    const parts = await clickhouse.rows<{ partition: string; rows: string }>(
      `SELECT partition, sum(rows) AS rows FROM system.parts WHERE active AND database = ${quote(databaseOf(staging, clickhouse))} AND table = ${quote(tableOf(staging))} GROUP BY partition`,
    );
    const stray = parts.filter((part) => part.partition.replace(/^'|'$/g, '') !== expected);
    if (stray.length > 0) {
      throw new Error(
        `the rows written for partition ${expected} of ${table} include rows of partition ${stray.map((part) => part.partition).join(', ')}`,
      );
    }
    const counted = { rows: parts.reduce((sum, part) => sum + Number(part.rows), 0) };
    target.signal?.throwIfAborted();
    await clickhouse.command(
      `ALTER TABLE ${table} REPLACE PARTITION ${partitionLiteral(target.partition)} FROM ${staging}`,
    );
    return counted;
  } finally {
    await clickhouse.command(`DROP TABLE IF EXISTS ${staging}`);
  }
}

/**
 * Moves one partition from PostgreSQL to ClickHouse atomically (`replaceMartPartition`): `COPY (query)
 * TO STDOUT` streams straight into an `INSERT … FORMAT TabSeparated` of the staging table (PG's COPY
 * text and ClickHouse's TabSeparated share escaping and `\N`). No row passes through JavaScript.
 */
export function transferPartition(
  clickhouse: ClickHouse,
  pool: pg.Pool,
  transfer: PartitionTransfer,
): Promise<{ rows: number }> {
  const columns = transfer.columns.map(checkIdentifier);
  return replaceMartPartition(clickhouse, transfer, async (staging) => {
    const client = await pool.connect();
    let broken: Error | undefined;
    try {
      const copy = client.query(copyTo(`copy (${transfer.query}) to stdout`));
      await clickhouse.insert(staging, columns, copy, transfer.signal);
    } catch (error) {
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      // A connection whose COPY was cut off mid-stream must not go back to the pool.
      client.release(broken);
    }
  });
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
