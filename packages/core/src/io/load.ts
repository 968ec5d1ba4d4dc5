import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { z } from 'zod';
import { type CopyValue, encodeCopyLine } from './copyText.ts';
import { type QuarantinedRow, type QuarantineScope, replaceQuarantine } from './quarantine.ts';

export interface LoadTarget {
  /** Schema-qualified table, e.g. `stage.payments`. */
  table: string;
  columns: readonly string[];
  /** The partition column and value to replace; without it (and without `mergeKey`) the whole table is replaced. */
  partition?: { column: string; value: string };
  /**
   * Upsert by these columns instead of replacing: rows whose key exists are updated, new ones
   * inserted (incremental loads of tables without a date, e.g. CRM deals changed since a watermark).
   * The target needs a unique index on them.
   */
  mergeKey?: readonly string[];
}

export interface LoadResult {
  read: number;
  loaded: number;
  quarantined: number;
}

export interface LoadOptions<T> {
  pool: pg.Pool;
  /** Source rows as they arrive, streamed in batches (per network chunk), so per-row work stays synchronous. */
  rows: AsyncIterable<readonly unknown[]>;
  /** Parses one source row; a row that fails goes to quarantine with the reason. */
  schema: z.ZodType<T>;
  /** The parsed row's values in `target.columns` order. */
  toValues: (row: T) => readonly CopyValue[];
  target: LoadTarget;
  quarantine: QuarantineScope;
  /** More bad rows than this fails the load: the source is broken, not a few of its rows. */
  maxQuarantined?: number;
  signal?: AbortSignal;
}

/**
 * Streams source rows through validation into a warehouse table with `COPY … FROM STDIN`, replacing
 * the target partition and its quarantine in one transaction: a reader sees the old day or the new
 * one, a re-run leaves the same rows, and read = loaded + quarantined always holds.
 */
export async function loadValidated<T>(options: LoadOptions<T>): Promise<LoadResult> {
  const { target, schema } = options;
  const maxQuarantined = options.maxQuarantined ?? 100_000;
  const counts: LoadResult = { read: 0, loaded: 0, quarantined: 0 };
  const quarantined: QuarantinedRow[] = [];
  const client = await options.pool.connect();
  try {
    await client.query('begin');
    const copyInto = target.mergeKey ? 'pg_temp.vitrina_merge' : target.table;
    if (target.mergeKey) {
      await client.query(`create temp table vitrina_merge (like ${target.table}) on commit drop`);
    } else if (target.partition) {
      await client.query(`delete from ${target.table} where ${target.partition.column} = $1`, [
        target.partition.value,
      ]);
    } else {
      await client.query(`delete from ${target.table}`);
    }
    /** COPY text in chunks of about 64 KB: one protocol message per chunk, not per row. */
    async function* chunks(): AsyncGenerator<string> {
      let buffer = '';
      for await (const batch of options.rows) {
        if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
        for (const raw of batch) {
          counts.read++;
          const parsed = schema.safeParse(raw);
          if (parsed.success) {
            counts.loaded++;
            buffer += encodeCopyLine(options.toValues(parsed.data));
          } else {
            counts.quarantined++;
            if (counts.quarantined > maxQuarantined) {
              throw new Error(
                `more than ${maxQuarantined} rows failed validation; the first: ${quarantined[0]?.reason}`,
              );
            }
            quarantined.push({ reason: describe(parsed.error), raw });
          }
        }
        if (buffer.length >= 65_536) {
          yield buffer;
          buffer = '';
        }
      }
      if (buffer) yield buffer;
    }
    const copy = client.query(copyFrom(`copy ${copyInto} (${target.columns.join(', ')}) from stdin`));
    await pipeline(Readable.from(chunks()), copy);
    if (target.mergeKey) await client.query(mergeStatement(target, target.mergeKey, copyInto));
    await replaceQuarantine(client, options.quarantine, quarantined);
    await client.query('commit');
  } catch (error) {
    await client.query('rollback').catch(() => {});
    throw error;
  } finally {
    client.release();
  }
  return counts;
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');
}

/** Upserts the copied rows into the target; the last row of a key in the batch wins. */
function mergeStatement(target: LoadTarget, key: readonly string[], from: string): string {
  const columns = target.columns.join(', ');
  const updates = target.columns.filter((column) => !key.includes(column));
  const set = updates.length
    ? `do update set ${updates.map((column) => `${column} = excluded.${column}`).join(', ')}`
    : 'do nothing';
  return `insert into ${target.table} (${columns})
    select distinct on (${key.join(', ')}) ${columns}
    from (select *, row_number() over () as vitrina_order from ${from}) copied
    order by ${key.join(', ')}, vitrina_order desc
    on conflict (${key.join(', ')}) ${set}`;
}
