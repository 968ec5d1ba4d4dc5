import { readFileSync } from 'node:fs';
import { type Asset, daily, defineAsset, type Metadata, type PartitionMapping } from '@vitrina/core';
import { inTransaction } from '@vitrina/io';
import { partitionScope, sqlChecks } from '@vitrina/models/checks';
import type pg from 'pg';
import type { WarehouseResources } from '../resources.ts';
import { procedureFile } from '../sql.ts';
import type { TableChecks } from './checks.ts';

/**
 * How an asset's procedure writes its table:
 * - `day`: `<schema>.fill_<table>(day)` replaces the rows of one day (the partition); a run of
 *   many days calls it for each in one step (backfill policy `range`), day after day, so that the
 *   file's DDL, the statistics and the count run once a step rather than once a day;
 * - `state`: `<schema>.fill_<table>()` replaces the whole table with the current state. Like the
 *   stage snapshot tables, the asset is still partitioned by the day whose load it is, so the daily
 *   run plans it for the new day; a run of many days builds it once, after every day it reads
 *   (backfill policy `latest`), and records that build for each of them;
 * - `definitions`: the file only defines objects (functions) that other assets call.
 */
export type ProcedureKind = 'day' | 'state' | 'definitions';

/** Days a `day` procedure's step writes at most: a month of a backfill. */
const DAYS_PER_STEP = 31;

export interface ProcedureAssetSpec {
  /** `<schema>.<table>`: the table, its file `sql/postgres/<schema>/<table>.sql`, its procedure `<schema>.fill_<table>`. */
  key: string;
  description: string;
  kind: ProcedureKind;
  /** Upstream assets; each must be read by the SQL (the lineage test checks the converse). */
  deps: Array<string | { key: string; mapping: PartitionMapping }>;
  /** Extra figures for the materialisation, read after the procedure committed. */
  metadata?: (warehouse: pg.Pool, partition: string) => Promise<Metadata>;
  /** The table's checks: a daily table's run on the step's day (its `day` column), a state table's on all of it. */
  checks?: TableChecks;
  /** Arguments the procedure takes after the day (a `day` procedure only), e.g. a retention. */
  extraArguments?: () => Array<string | number>;
}

/**
 * An asset that runs its SQL file (idempotent DDL and `create or replace procedure`) and calls the
 * procedure, so the heavy work stays in PostgreSQL. The file's text is the asset's SQL: editing the
 * procedure changes the code version, which makes the asset and everything downstream stale.
 */
export function procedureAsset(spec: ProcedureAssetSpec, start: string): Asset<WarehouseResources> {
  const sql = readFileSync(procedureFile(spec.key), 'utf8');
  const [schema, table] = spec.key.split('.') as [string, string];
  const procedure = `${schema}.fill_${table}`;
  return defineAsset<WarehouseResources>({
    key: spec.key,
    description: spec.description,
    group: schema,
    owner: 'data-platform',
    storage: 'postgres',
    deps: spec.deps,
    partitions: daily(start, 'Europe/Minsk'),
    pool: 'warehouse',
    // A state table is the current state whatever the day: a backfill builds it once, not per day.
    ...(spec.kind === 'state' ? { backfill: { kind: 'latest' as const } } : {}),
    ...(spec.kind === 'day' ? { backfill: { kind: 'range' as const, maxPartitions: DAYS_PER_STEP } } : {}),
    retry: { maxRetries: 3, initialDelayMs: 500 },
    sql,
    tags: { procedure: spec.kind === 'definitions' ? 'none' : procedure, writes: spec.kind },
    ...(spec.checks ? { checks: spec.checks(tableChecks(spec)) } : {}),
    materialize: async ({ resources, partition, partitions, signal }) => {
      const warehouse = resources.warehouse;
      // Steps of one asset may run at once (several days): they take turns to (re)define its objects.
      await inTransaction(warehouse, async (client) => {
        await client.query('select pg_advisory_xact_lock(hashtext($1))', [spec.key]);
        await client.query(sql);
      });
      if (spec.kind === 'definitions') return { rows: 0 };
      if (spec.kind === 'state') {
        await warehouse.query(`call ${procedure}()`);
        await analyze(warehouse, spec.key);
        const counted = await warehouse.query<{ rows: string }>(`select count(*) as rows from ${spec.key}`);
        return {
          rows: Number(counted.rows[0]?.rows ?? 0),
          ...(spec.metadata ? { metadata: await spec.metadata(warehouse, partition) } : {}),
        };
      }
      const days = partitions ?? [partition];
      const extra = spec.extraArguments?.() ?? [];
      const placeholders = extra.map((_, index) => `, $${index + 2}`).join('');
      // In order, each day replaced atomically by its own call: a later day may read an earlier one.
      for (const day of days) {
        signal.throwIfAborted();
        await warehouse.query(`call ${procedure}($1::date${placeholders})`, [day, ...extra]);
      }
      await analyze(warehouse, spec.key);
      const counted = await warehouse.query<{ day: string; rows: string }>(
        `select day::text as day, count(*) as rows from ${spec.key} where day = any($1::date[]) group by day`,
        [days],
      );
      const rowsByDay = new Map(counted.rows.map((row) => [row.day, Number(row.rows)]));
      const byPartition: Record<string, { rows: number; metadata?: Metadata }> = {};
      for (const day of days)
        byPartition[day] = {
          rows: rowsByDay.get(day) ?? 0,
          ...(spec.metadata ? { metadata: await spec.metadata(warehouse, day) } : {}),
        };
      return {
        rows: days.reduce((sum, day) => sum + (byPartition[day]?.rows ?? 0), 0),
        ...(byPartition[partition]?.metadata ? { metadata: byPartition[partition].metadata } : {}),
        byPartition,
      };
    },
  });
}

/**
 * Fresh statistics before anything reads the table: with the ones of an emptier table the planner
 * chose nested loops that rescanned whole facts (the funnel at the standard scale took minutes
 * instead of a quarter of a second), and autovacuum analyses only later.
 */
async function analyze(warehouse: pg.Pool, table: string): Promise<void> {
  await warehouse.query(`analyze ${table}`);
}

/** The generic checks of the procedure's table, a daily table's scoped to the step's day. */
function tableChecks(spec: ProcedureAssetSpec) {
  const warehouse = (resources: WarehouseResources) => resources.warehouse;
  return spec.kind === 'day'
    ? sqlChecks(warehouse, spec.key, partitionScope<WarehouseResources>('day'))
    : sqlChecks(warehouse, spec.key);
}
