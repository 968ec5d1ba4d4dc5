import type { ColumnType, Generated } from 'kysely';
import type { JsonValue } from '../definitions/types.ts';

/** Values written as JSON text, read back parsed. */
type Json<T = JsonValue> = ColumnType<T, string, string>;
/** int8 columns: drivers read them as strings; the storage converts to numbers. */
type Int8 = ColumnType<string | number, number, number>;
type Int8Null = ColumnType<string | number | null, number | null, number | null>;

export type RunStatus = 'running' | 'success' | 'failed' | 'cancelled';
export type StepStatus = 'queued' | 'running' | 'success' | 'failed' | 'blocked' | 'cancelled';
export type RunTrigger = 'manual' | 'rerun' | 'schedule' | 'freshness';

export interface RunsTable {
  id: string;
  status: RunStatus;
  trigger: RunTrigger;
  selection: string;
  partition_from: string | null;
  partition_to: string | null;
  force: boolean;
  parent_run_id: string | null;
  step_count: number;
  created_at: Date;
  finished_at: Date | null;
  error: string | null;
}

export interface StepsTable {
  run_id: string;
  asset_key: string;
  partition: string;
  status: StepStatus;
  reason: string;
  attempts: number;
  started_at: Date | null;
  finished_at: Date | null;
  row_count: Int8Null;
  error: string | null;
}

export interface EventsTable {
  id: Generated<Int8>;
  run_id: string;
  seq: number;
  type: string;
  asset_key: string | null;
  partition: string | null;
  at: Date;
  message: string | null;
  data: Json<Record<string, JsonValue>>;
}

export interface MaterializationsTable {
  id: Generated<Int8>;
  run_id: string;
  asset_key: string;
  partition: string;
  status: 'success' | 'failed';
  started_at: Date;
  finished_at: Date;
  row_count: Int8Null;
  data_version: string | null;
  code_version: string;
  consumed: Json<ConsumedVersions>;
  metadata: Json<Record<string, JsonValue>>;
  error: string | null;
}

/** The latest state of each asset partition: what the planner reads. */
export interface AssetPartitionsTable {
  asset_key: string;
  partition: string;
  status: 'materialized' | 'failed';
  data_version: string | null;
  code_version: string | null;
  consumed: Json<ConsumedVersions>;
  materialized_at: Date | null;
  row_count: Int8Null;
  run_id: string;
  failure: string | null;
  updated_at: Date;
}

export interface CheckResultsTable {
  id: Generated<Int8>;
  run_id: string;
  asset_key: string;
  partition: string;
  check_name: string;
  severity: 'error' | 'warn';
  passed: boolean;
  message: string | null;
  metadata: Json<Record<string, JsonValue>>;
  at: Date;
}

export interface CursorsTable {
  source: string;
  name: string;
  value: string;
  run_id: string | null;
  updated_at: Date;
}

export interface ScheduleTicksTable {
  id: Generated<Int8>;
  schedule: string;
  tick_at: Date;
  evaluated_at: Date;
  decision: 'run' | 'skip' | 'error';
  reason: string;
  run_id: string | null;
  data: Json<Record<string, JsonValue>>;
}

/** Upstream key → upstream partition → data version consumed. */
export type ConsumedVersions = Record<string, Record<string, string>>;

export interface VitrinaDatabase {
  runs: RunsTable;
  steps: StepsTable;
  events: EventsTable;
  materializations: MaterializationsTable;
  asset_partitions: AssetPartitionsTable;
  check_results: CheckResultsTable;
  cursors: CursorsTable;
  schedule_ticks: ScheduleTicksTable;
}
