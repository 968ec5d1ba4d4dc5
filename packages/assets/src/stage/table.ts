import {
  type Asset,
  addDays,
  type CheckDefinition,
  type MaterializeContext,
  type MaterializeResult,
} from '@vitrina/core';
import {
  type CopyValue,
  type CursorRange,
  ensureTable,
  extractIncrementally,
  type LoadOptions,
  loadValidated,
} from '@vitrina/io';
import type { WarehouseResources } from '../resources.ts';
import { type Column, type RowRule, rowSchema, type StageTableShape } from './columns.ts';
import { type DeliveryExpectation, guardedLoad } from './delivery.ts';
import { loadOutcome } from './loadOutcome.ts';
import { readSource, type SourceSystem, systemNames } from './readers.ts';
import { stageAsset } from './stageAsset.ts';

/**
 * How a table is extracted. Every stage asset is partitioned by day — the day whose load it is —
 * so the daily run plans each of them for the new day:
 * - `full`: every row, replacing the stage table (small reference tables without a change date);
 *   the table holds the latest snapshot;
 * - `upsert`: rows changed up to the end of the day since the watermark minus the lookback,
 *   upserted by key; the table holds the current state;
 * (a run of many days loads a `full` table once, for its newest day: backfill `latest`)
 * - `daily`: rows placed in the partition of their cursor's day; a day's load also re-reads the
 *   days of the lookback window for late rows and replaces them all in one transaction.
 */
export type LoadMode =
  | { kind: 'full' }
  | { kind: 'upsert'; key: readonly string[]; cursor: string }
  | { kind: 'daily'; cursor: string; deduplicateBy?: readonly string[] };

/** A business rule whose violation stops the pipeline until a person fixes the source. */
export interface CriticalRule {
  name: string;
  description: string;
  /** Selects a `problem` text per violation; a daily table's rule reads the days `$1` through `$2`. */
  sql: string;
  /** What a person should do about it. */
  fix: string;
}

export interface DatabaseTableSpec {
  /** The stage table's name: `stage.<name>`. */
  name: string;
  description: string;
  system: SourceSystem;
  /** The table as the source names it: `b_crm_deal`, `core.transactions`, `REGISTRY.LEGAL_CLIENTS`. */
  table: string;
  /** Source column → type; the stage column is its lower-case name. */
  columns: Record<string, Column>;
  /** Checks over several columns of a row (a session ends after it starts). */
  rules?: readonly RowRule[];
  mode: LoadMode;
  critical?: CriticalRule[];
  /** Other assets the rules read (e.g. rates to check currencies). */
  deps?: string[];
}

export const START = '1970-01-01 00:00:00';

/** Days as YYYY-MM-DD (and timestamps as YYYY-MM-DD HH:MM:SS) sort as text. */
const earliestDay = (...days: string[]) => days.sort()[0]!;
const latestDay = (...days: string[]) => days.sort().at(-1)!;

/** The external asset standing for a source table: `source.<system>.<table>`. */
export function sourceKey(system: string, table: string): string {
  return `source.${system}.${table.split('.').pop()!.toLowerCase()}`;
}

/** A wall-clock timestamp shifted by whole days. */
export function minusDays(timestamp: string, days: number): string {
  return `${addDays(timestamp.slice(0, 10), -days)}${timestamp.slice(10, 19)}`;
}

export function stageDdl(spec: DatabaseTableSpec): string {
  const columns = Object.entries(spec.columns).map(
    ([name, column]) => `${name.toLowerCase()} ${column.pgType}`,
  );
  if (spec.mode.kind === 'daily') columns.unshift('day date not null');
  if (spec.mode.kind === 'upsert')
    columns.push(`primary key (${spec.mode.key.map((k) => k.toLowerCase()).join(', ')})`);
  const create = `create table stage.${spec.name} (\n  ${columns.join(',\n  ')}\n)`;
  return spec.mode.kind === 'daily' ? `${create};\ncreate index on stage.${spec.name} (day)` : create;
}

/** The stage table as created, with the columns its rows are validated with (by their stage names). */
export function databaseTableShape(spec: DatabaseTableSpec): StageTableShape {
  return {
    key: `stage.${spec.name}`,
    ddl: stageDdl(spec),
    columns: Object.fromEntries(
      Object.entries(spec.columns).map(([name, column]) => [name.toLowerCase(), column]),
    ),
    unvalidated: spec.mode.kind === 'daily' ? ['day'] : [],
  };
}

/** The definition text behind the code version: the table, what is read and how. */
function describeExtraction(spec: DatabaseTableSpec): string {
  const mode = spec.mode.kind === 'full' ? 'full' : `${spec.mode.kind} by ${spec.mode.cursor}`;
  return `-- ${spec.system}: select ${Object.keys(spec.columns).join(', ')} from ${spec.table} (${mode})`;
}

/** A stage table loaded from a source database, validated row by row. */
export function databaseTable(spec: DatabaseTableSpec, start: string): Asset<WarehouseResources> {
  const table = `stage.${spec.name}`;
  const ddl = stageDdl(spec);
  const names = Object.keys(spec.columns);
  const schema = rowSchema(spec.columns, spec.rules);
  // Rows changed since the watermark may be none (a day without CRM changes); a day of a daily
  // table and a table loaded in full always have rows.
  const expectation: DeliveryExpectation = { allowEmpty: spec.mode.kind === 'upsert' };
  const stageColumns = names.map((name) => name.toLowerCase());
  const mode = spec.mode;

  const materialize = async (ctx: MaterializeContext<WarehouseResources>): Promise<MaterializeResult> => {
    const { resources } = ctx;
    await ensureTable(resources.warehouse, table, ddl);
    const lookbackDays = resources.config.VITRINA_LOOKBACK_DAYS;
    const scope = { source: spec.system, asset: table, partition: ctx.partition, runId: ctx.runId };
    const base = { pool: resources.warehouse, schema, quarantine: scope, signal: ctx.signal };
    const delivery = {
      config: resources.config,
      asset: table,
      partition: ctx.partition,
      // A daily table's day must hold rows; a table loaded in full must not be left empty.
      target: mode.kind === 'daily' ? ctx.partition : '',
      source: `${systemNames[spec.system]} ${spec.table}`,
      log: ctx.log,
    };
    const read = (cursor?: CursorRange) =>
      readSource(resources, {
        system: spec.system,
        table: spec.table,
        columns: names,
        ...(cursor ? { cursor } : {}),
      });

    if (mode.kind === 'full') {
      const result = await guardedLoad(delivery, expectation, (guard) =>
        loadValidated({
          ...base,
          rows: read(),
          toValues: (values) => values,
          target: { table, columns: stageColumns },
          guard,
        }),
      );
      return loadOutcome(result);
    }

    const cursorIndex = names.indexOf(mode.cursor);
    let maxCursor: string | null = null;
    /** The cursor value of a valid row (a wall-clock timestamp), remembered when it is the highest. */
    const cursorOf = (values: CopyValue[]): string => {
      const value = String(values[cursorIndex]);
      if (maxCursor === null || value > maxCursor) maxCursor = value.slice(0, 19);
      return value;
    };

    const day = ctx.partition;
    const to = `${addDays(day, 1)} 00:00:00`;
    /**
     * Reads the rows whose cursor is from the watermark moved back by `lookback` (from `initial` the
     * first time) to the end of the day, and loads them as `loadOptions(from)` says.
     */
    const loadIncrementally = (
      initial: string,
      lookback: (watermark: string) => string,
      loadOptions: (
        from: string,
      ) => Pick<LoadOptions<CopyValue[]>, 'toValues' | 'target' | 'partitionOf' | 'deduplicateBy'> &
        Partial<Pick<LoadOptions<CopyValue[]>, 'quarantine'>>,
    ) =>
      extractIncrementally({
        storage: ctx.cursors,
        source: `${spec.system}.${spec.table}`,
        cursor: mode.cursor,
        runId: ctx.runId,
        initial,
        lookback,
        extract: async (from) => {
          const rows = read({ column: mode.cursor, from, to });
          const result = await guardedLoad(delivery, expectation, (guard) =>
            loadValidated({ ...base, rows, ...loadOptions(from), guard }),
          );
          return { result, maxCursor };
        },
      });

    if (mode.kind === 'upsert') {
      const { result, from, watermark } = await loadIncrementally(
        START,
        (watermark) => earliestDay(minusDays(watermark, lookbackDays), `${day} 00:00:00`),
        (from) => ({
          toValues: (values) => {
            cursorOf(values);
            return values;
          },
          target: { table, columns: stageColumns, mergeKey: mode.key.map((k) => k.toLowerCase()) },
          // The day's quarantine keeps what earlier, wider reads rejected (the first day's is the
          // whole history); only the re-read window's is replaced.
          quarantine: { ...scope, reRead: { field: mode.cursor, from } },
        }),
      );
      return loadOutcome(result, { from, watermark });
    }

    const { result, from, watermark } = await loadIncrementally(
      `${day} 00:00:00`,
      // Re-read the lookback window before this day for late rows, never more than it.
      (watermark) => {
        const wanted = earliestDay(addDays(watermark.slice(0, 10), -lookbackDays), day);
        return `${latestDay(wanted, addDays(day, -lookbackDays), start)} 00:00:00`;
      },
      (from) => ({
        // The row's day goes last: the values array is the row's own, so appending costs nothing.
        toValues: (values) => {
          values.push(cursorOf(values).slice(0, 10));
          return values;
        },
        target: {
          table,
          columns: [...stageColumns, 'day'],
          partition: { column: 'day', from: from.slice(0, 10), to: day },
        },
        partitionOf: (raw) => {
          const value = (raw as Record<string, unknown>)[mode.cursor];
          const text = value instanceof Date ? value.toISOString() : String(value ?? '');
          return /^\d{4}-\d{2}-\d{2}/.test(text) ? text.slice(0, 10) : null;
        },
        ...(mode.deduplicateBy ? { deduplicateBy: mode.deduplicateBy.map((k) => k.toLowerCase()) } : {}),
      }),
    );
    return loadOutcome(result, { from: from.slice(0, 10), watermark }, day);
  };

  return stageAsset({
    key: table,
    description: spec.description,
    deps: [sourceKey(spec.system, spec.table), ...(spec.deps ?? [])],
    start,
    pool: spec.system,
    // A full load leaves the table as the source stands: a run of many days reads it once, for the
    // newest day (each day recorded), not the whole table again for every day. An upsert reads only
    // the day's changes, each day's quarantine kept under its day, so it stays a step per day.
    ...(mode.kind === 'full' ? { backfill: { kind: 'latest' as const } } : {}),
    sql: [ddl, describeExtraction(spec), ...(spec.critical ?? []).map((rule) => rule.sql)],
    checks: (spec.critical ?? []).map((rule) => criticalCheck(rule, mode.kind === 'daily')),
    tags: { source: systemNames[spec.system], table: spec.table, load: mode.kind },
    materialize,
  });
}

function criticalCheck(rule: CriticalRule, dailyTable: boolean): CheckDefinition<WarehouseResources> {
  return {
    name: rule.name,
    severity: 'error',
    description: rule.description,
    run: async ({ resources, partition, materialization }) => {
      const from =
        typeof materialization.metadata?.from === 'string' ? materialization.metadata.from : partition;
      const { rows } = await resources.warehouse.query<{ problem: string }>(
        `select problem from (${rule.sql}) violations limit 6`,
        dailyTable ? [from, partition] : [],
      );
      if (rows.length === 0) return { passed: true };
      const shown = rows.slice(0, 5).map((row) => row.problem);
      return {
        passed: false,
        message: `${rule.description}: ${shown.join('; ')}${rows.length > 5 ? '; …' : ''}. ${rule.fix}`,
        metadata: { violations: shown },
      };
    },
  };
}
