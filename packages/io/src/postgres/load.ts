import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { z } from 'zod';
import { columnTypes, rowChecker } from './columnCheck.ts';
import { type CopyValue, encodeCopyLine } from './copyText.ts';
import { checkGuard, type LoadGuard } from './guard.ts';
import { coversTable, isEmpty, MERGE_TABLE, mergeStatement, replaceStatement } from './merge.ts';
import {
  QUARANTINE_TABLE,
  type QuarantinedRow,
  type QuarantineScope,
  replaceQuarantine,
} from './quarantine.ts';
import { RepeatedKeys } from './repeatedKeys.ts';
import { StreamVersions, versionsAfterLoad } from './streamVersions.ts';
import { inTransaction } from './tables.ts';
import type { DayRange, PartitionVersion } from './versions.ts';

export interface LoadTarget {
  /** Schema-qualified table, e.g. `stage.payments`. */
  table: string;
  columns: readonly string[];
  /**
   * The daily partition to replace — one day, or the range from `from` through `to` that an
   * incremental load re-reads. Without it (and without `mergeKey`) the whole table is replaced.
   */
  partition?: { column: string; value: string } | { column: string; from: string; to: string };
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
  /** What each day of a partitioned load holds now; for an unpartitioned one, the whole table ('' partition). */
  partitions: PartitionVersion[];
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
  /** The day a rejected raw row belongs to, for a range load (null: the scope's partition). */
  partitionOf?: (raw: unknown) => string | null;
  /**
   * Rows repeated with every value equal and this key (a source that delivered a row twice): one
   * stays, the others go to quarantine. Rows sharing the key with different values stay, for a
   * check to judge.
   */
  deduplicateBy?: readonly string[];
  /** Columns copies of one row may differ in and still be copies (a file's line number). */
  deduplicateIgnoring?: readonly string[];
  /**
   * More bad rows than this fails the load at once, before reading on (default 100,000): the
   * source is broken, not a few of its rows, and their reasons need not pile up in memory.
   */
  maxQuarantined?: number;
  /**
   * Checked before the transaction commits, so a refused load keeps the rows the target held:
   * `SilentLossError` when more than `maxQuarantinedShare` of the rows read (20 % by default) were
   * quarantined, or when a partition (or the table) that holds rows would be left empty (unless
   * `allowEmpty`).
   */
  guard?: LoadGuard;
  signal?: AbortSignal;
}

/**
 * Streams source rows through validation into a warehouse table with `COPY … FROM STDIN`, replacing
 * the target partition(s) and their quarantine in one transaction: a reader sees the old days or
 * the new ones, a re-run leaves the same rows, and read = loaded + quarantined always holds.
 */
export async function loadValidated<T>(options: LoadOptions<T>): Promise<LoadResult> {
  const { target, schema } = options;
  const maxQuarantined = options.maxQuarantined ?? 100_000;
  const counts: LoadResult = { read: 0, loaded: 0, quarantined: 0, partitions: [] };
  const quarantined: QuarantinedRow[] = [];
  const range: DayRange | null = target.partition
    ? 'value' in target.partition
      ? { column: target.partition.column, from: target.partition.value, to: target.partition.value }
      : target.partition
    : null;
  const scope: QuarantineScope = range
    ? { ...options.quarantine, partition: range.from, through: range.to }
    : options.quarantine;
  const inRange = range ? `${range.column} between $1 and $2` : 'true';
  const rangeParams = range ? [range.from, range.to] : [];
  return inTransaction(options.pool, async (client) => {
    // Loads replacing overlapping days of one table (a lookback, a backfill), or upserting into
    // it, take turns.
    await client.query('select pg_advisory_xact_lock(hashtext($1))', [target.table]);
    const types = await columnTypes(client, target.table, target.columns);
    const check = rowChecker(types);
    const keyColumns = target.mergeKey ?? options.deduplicateBy ?? [];
    const keys = new RepeatedKeys(
      types,
      keyColumns.map((column) => target.columns.indexOf(column)),
    );
    // An upsert into an empty table (a first load) copies straight into it: a row whose key came
    // before waits in `later` and is upserted after the copy, in its order, so the last row wins.
    const direct = target.mergeKey !== undefined && keys.tracked && (await isEmpty(client, target.table));
    const later: string[] = [];
    let previous: Map<string, number> | undefined;
    if (!target.mergeKey) previous = await deleteCounting(client, target.table, range, inRange, rangeParams);
    else if (!direct)
      await client.query(`create temp table ${MERGE_TABLE} (like ${target.table}) on commit drop`);
    const copyInto = target.mergeKey && !direct ? `pg_temp.${MERGE_TABLE}` : target.table;
    // What only the stream knows, noted as rows pass instead of queried after the load.
    const versions =
      target.mergeKey && !direct
        ? null
        : new StreamVersions(range, range ? target.columns.indexOf(range.column) : -1);
    const reject = (raw: unknown, reason: string) => {
      counts.quarantined++;
      if (counts.quarantined > maxQuarantined) {
        throw new Error(
          `more than ${maxQuarantined} rows failed validation; the first: ${quarantined[0]?.reason}`,
        );
      }
      const partition = options.partitionOf?.(raw) ?? undefined;
      quarantined.push({
        reason,
        raw,
        ...(partition && range && partition >= range.from && partition <= range.to ? { partition } : {}),
      });
    };
    /** COPY text in chunks of about 64 KB: one protocol message per chunk, not per row. */
    async function* chunks(): AsyncGenerator<string> {
      let buffer = '';
      for await (const batch of options.rows) {
        if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
        for (const raw of batch) {
          counts.read++;
          const parsed = schema.safeParse(raw);
          if (!parsed.success) {
            reject(raw, describe(parsed.error));
            continue;
          }
          const values = options.toValues(parsed.data);
          // A value the column cannot take would fail the whole COPY: the row goes to quarantine.
          const problem = check(values);
          if (problem) {
            reject(raw, problem);
            continue;
          }
          let line: string;
          try {
            line = encodeCopyLine(values);
          } catch (error) {
            reject(raw, `the row cannot be written for COPY: ${(error as Error).message}`);
            continue;
          }
          counts.loaded++;
          if (keys.add(values) && direct) {
            later.push(line);
            continue;
          }
          versions?.add(values, line);
          buffer += line;
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
    await replaceQuarantine(client, scope, quarantined);
    const rewritten = new Set<string>();
    // Without a repeated key there is nothing to compare: the common case costs no query.
    if (options.deduplicateBy && (!keys.tracked || keys.any)) {
      const compared = target.columns.filter((column) => !options.deduplicateIgnoring?.includes(column));
      const moved = await quarantineDuplicates(
        client,
        copyInto,
        options.deduplicateBy,
        compared,
        scope,
        range,
        {
          keys: keys.tracked ? keys.keys() : null,
          types: options.deduplicateBy.map((column) => types[target.columns.indexOf(column)]?.type ?? 'text'),
        },
      );
      for (const partition of moved) rewritten.add(partition);
      counts.loaded -= moved.length;
      counts.quarantined += moved.length;
    }
    if (target.mergeKey && direct && later.length) {
      await client.query(`create temp table ${MERGE_TABLE} (like ${target.table}) on commit drop`);
      const copyLater = client.query(
        copyFrom(`copy pg_temp.${MERGE_TABLE} (${target.columns.join(', ')}) from stdin`),
      );
      await pipeline(Readable.from(later), copyLater);
      await client.query(mergeStatement(target, target.mergeKey, `pg_temp.${MERGE_TABLE}`));
      rewritten.add('');
    } else if (target.mergeKey && !direct) {
      const replace = keys.tracked && !keys.any && (await coversTable(client, target));
      await client.query(
        replace
          ? replaceStatement(target, target.mergeKey, copyInto)
          : mergeStatement(target, target.mergeKey, copyInto),
      );
    }
    counts.partitions = await versionsAfterLoad(client, target.table, range, versions, rewritten);
    checkGuard(options.guard ?? {}, {
      table: target.table,
      partition: range ? (range.from === range.to ? range.from : `${range.from} to ${range.to}`) : '',
      read: counts.read,
      loaded: counts.loaded,
      quarantined: counts.quarantined,
      ...(previous
        ? {
            previous,
            after: new Map(counts.partitions.map((version) => [version.partition, version.rows])),
          }
        : {}),
    });
    return counts;
  });
}

/**
 * Deletes what the load replaces and says how many rows each partition held: per day of a range,
 * or the whole table's count under ''.
 */
async function deleteCounting(
  client: pg.ClientBase,
  table: string,
  range: DayRange | null,
  inRange: string,
  params: unknown[],
): Promise<Map<string, number>> {
  if (!range || range.from === range.to) {
    const deleted = await client.query(`delete from ${table} where ${inRange}`, params);
    return new Map([[range ? range.from : '', deleted.rowCount ?? 0]]);
  }
  const { rows } = await client.query<{ partition: string; rows: number }>(
    `with deleted as (delete from ${table} where ${inRange} returning ${range.column})
     select ${range.column}::date::text as partition, count(*)::int as rows from deleted group by 1`,
    params,
  );
  return new Map(rows.map((row) => [row.partition, row.rows]));
}

/**
 * Moves all but one of each group of identical rows with a repeated key from the just-loaded rows
 * into quarantine, in the database. Returns how many it moved.
 */
async function quarantineDuplicates(
  client: pg.ClientBase,
  table: string,
  key: readonly string[],
  compared: readonly string[],
  scope: QuarantineScope,
  range: DayRange | null,
  only: { keys: string[][] | null; types: readonly string[] },
): Promise<string[]> {
  const copy = `(${compared.map((column) => `copied.${column}`).join(', ')})`;
  const keyText = key.map((column) => `'${column} ' || removed.${column}`).join(` || ', ' || `);
  const partition = range ? `removed.${range.column}::text` : '$4';
  const params: unknown[] = [scope.source, scope.asset, scope.runId];
  if (!range) params.push(scope.partition);
  else params.push(range.from, range.to);
  const inRange = range ? `${range.column} between $4 and $5` : 'true';
  const keyColumns = key.join(', ');
  // The repeated keys the stream noted, as text arrays cast to the key columns' types.
  let candidates = '';
  if (only.keys) {
    const first = params.length + 1;
    for (let i = 0; i < key.length; i++) params.push(only.keys.map((parts) => parts[i]));
    const arrays = key.map((_, i) => `$${first + i}::text[]`).join(', ');
    const casts = key.map((column, i) => `k.c${i}::${only.types[i]} as ${column}`).join(', ');
    const names = key.map((_, i) => `c${i}`).join(', ');
    candidates = `join (select ${casts} from unnest(${arrays}) as k(${names})) candidates using (${keyColumns})`;
  }
  // Only rows whose key repeats are compared whole: grouping by the key is far cheaper than
  // sorting every row.
  const moved = await client.query(
    `with repeated as (
       select ${keyColumns} from ${table} ${candidates} where ${inRange} group by ${keyColumns} having count(*) > 1
     ), ranked as (
       select copied.ctid as row_ctid, row_number() over (partition by ${copy} order by copied.ctid) as copy_no
       from ${table} copied join repeated using (${keyColumns}) where ${inRange}
     ), removed as (
       delete from ${table} target using ranked
       where target.ctid = ranked.row_ctid and ranked.copy_no > 1
       returning target.*
     )
     insert into ${QUARANTINE_TABLE} (source, asset, partition, run_id, reason, raw)
     select $1, $2, ${partition}, $3, 'duplicate row: ' || ${keyText} || ' delivered more than once with the same values', to_jsonb(removed)
     from removed
     returning partition`,
    params,
  );
  return moved.rows.map((row: { partition: string }) => (range ? row.partition : ''));
}

function describe(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ');
}
