import type { PartitionsDefinition, TimeWindow } from '../partitions/daily.ts';

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type Metadata = Record<string, JsonValue>;

/** Where an asset's data lives. `external` assets (sources) are observed, never written. */
export const assetStorages = ['postgres', 'clickhouse', 'external'] as const;
export type AssetStorage = (typeof assetStorages)[number];

/** `error` fails the asset partition and blocks everything downstream; `warn` only records. */
export const checkSeverities = ['error', 'warn'] as const;
export type CheckSeverity = (typeof checkSeverities)[number];

/** An asset's state as planner/status.ts decides it; what `vitrina assets`, the API and the UI show. */
export const assetHealths = ['fresh', 'stale', 'overdue', 'failed', 'never', 'external'] as const;
export type AssetHealth = (typeof assetHealths)[number];

/**
 * How a downstream partition maps onto upstream partitions:
 * - `identity`: the same day (daily → daily, the default);
 * - `window`: the days from `startOffset` to `endOffset` around it (e.g. -6..0 for a rolling week);
 * - `all`: every partition of the upstream (the default for an unpartitioned downstream, and the
 *   mapping a daily asset must declare to read an unpartitioned one).
 */
export type PartitionMapping =
  | { kind: 'identity' }
  | { kind: 'window'; startOffset: number; endOffset: number }
  | { kind: 'all' };

export interface Dependency {
  key: string;
  mapping: PartitionMapping;
  /** False when the mapping was inferred from both assets' partitions. */
  declared: boolean;
}

/**
 * How the partitions a run plans for an asset are materialised (Dagster's backfill policy, SQLMesh's
 * batches). Without one, each partition is a step of its own.
 * - `range`: consecutive planned days in one step, up to `maxPartitions` a step: `materialize` gets
 *   them in `partitions` and writes them at once (one statement, one swap); checks run per day.
 * - `latest`: the output does not depend on the day (a whole table rebuilt from the current state):
 *   the run materialises it once, as its newest planned partition, and records every planned
 *   partition with that result; its checks run once, their verdict for all.
 * Every partition is still planned, recorded and reported on its own.
 */
export type BackfillPolicy = { kind: 'range'; maxPartitions: number } | { kind: 'latest' };

export interface FreshnessPolicy {
  /** By each tick of this cron (in `timezone`), the asset must hold data no older than `maximumLagMinutes`. */
  cron: string;
  maximumLagMinutes: number;
  timezone: string;
}

export interface RetryPolicy {
  /** Attempts after the first one; only transient errors are retried. */
  maxRetries: number;
  initialDelayMs: number;
  maxDelayMs: number;
  factor: number;
}

/** Source watermarks in run storage, for incremental extraction. */
export interface CursorStore {
  getCursor(source: string, name: string): Promise<{ value: string } | null>;
  setCursor(cursor: { source: string; name: string; value: string; runId: string | null }): Promise<void>;
}

export interface StepContext<R> {
  key: string;
  /** The day (YYYY-MM-DD) for a daily asset, '' for an unpartitioned one; a batch's newest. */
  partition: string;
  /**
   * Every partition the step materialises, in order, when it is a backfill policy's batch
   * (`range`: the days to write; `latest`: the days its one build stands for); the engine gives
   * `[partition]` for a step of one partition.
   */
  partitions?: readonly string[];
  window: TimeWindow | null;
  runId: string;
  signal: AbortSignal;
  resources: R;
  /** Watermarks of incremental extractions, kept in run storage. */
  cursors: CursorStore;
  log: (message: string, level?: 'info' | 'warn' | 'error') => void;
}

export interface MaterializeContext<R> extends StepContext<R> {
  attempt: number;
}

export interface MaterializeResult {
  rows?: number;
  metadata?: Metadata;
  /** Identifies the data written; when omitted, every materialisation gets a new one. */
  dataVersion?: string;
  /**
   * Other partitions of the same asset this step rewrote — an incremental load re-reading its
   * lookback window for late rows. Each is recorded as materialised by this run, so whatever reads
   * it is planned again when its data version changed.
   */
  rewrote?: RewrittenPartition[];
  /**
   * A `range` step's figures per day written (rows, data version, metadata); a day left out gets
   * the step's own.
   */
  byPartition?: Record<string, { rows?: number; dataVersion?: string; metadata?: Metadata }>;
}

export interface RewrittenPartition {
  partition: string;
  rows: number;
  dataVersion: string;
  metadata?: Metadata;
}

export interface CheckResult {
  passed: boolean;
  message?: string;
  metadata?: Metadata;
}

export interface CheckDefinition<R> {
  name: string;
  /** `error` fails the asset partition and blocks everything downstream; `warn` only records. */
  severity: CheckSeverity;
  description?: string;
  run: (ctx: StepContext<R> & { materialization: MaterializeResult }) => Promise<CheckResult>;
}

/** One column of another asset, as column lineage names it. */
export interface ColumnRef {
  asset: string;
  column: string;
}

/**
 * A column of an asset's table, as its author documents it (dbt's column docs). Documentation only:
 * it is not part of the code version, so editing it makes nothing stale.
 */
export interface ColumnSpec {
  /** A lower-case SQL identifier. */
  name: string;
  type?: string;
  description?: string;
  /** The upstream columns it is computed from: each of an asset this one depends on directly. */
  from?: ColumnRef[];
}

/** What an asset's author writes. */
export interface AssetSpec<R> {
  key: string;
  description: string;
  group: string;
  owner?: string;
  deps?: Array<string | { key: string; mapping: PartitionMapping }>;
  storage: AssetStorage;
  partitions?: PartitionsDefinition;
  freshness?: { cron: string; maximumLagMinutes: number; timezone?: string };
  pool?: string;
  retry?: Partial<RetryPolicy>;
  /** Aborts the attempt (a transient failure) when it runs longer. */
  timeoutMs?: number;
  /** How a run materialises many partitions of it; daily assets only. */
  backfill?: BackfillPolicy;
  checks?: CheckDefinition<R>[];
  /** The SQL the asset runs; part of its code version. */
  sql?: string | string[];
  /**
   * Files whose bytes decide the asset's output (a reference CSV, a mapping table): part of its code
   * version, so editing one makes the asset stale.
   */
  files?: string[];
  /**
   * An explicit code version. Without one it is derived from everything that decides the output:
   * the SQL, the definition (partitions, dependencies and their mappings, checks), the source of
   * `materialize` and of the checks, and the bytes of `files`.
   */
  codeVersion?: string;
  tags?: Record<string, string>;
  /** The columns of its table, with where each comes from; documentation, not code. */
  columns?: ColumnSpec[];
  materialize?: (ctx: MaterializeContext<R>) => Promise<MaterializeResult | undefined>;
}

/** A validated, normalised asset definition. */
export interface Asset<R = unknown> {
  key: string;
  description: string;
  group: string;
  owner: string | null;
  deps: Dependency[];
  storage: AssetStorage;
  partitions: PartitionsDefinition;
  freshness: FreshnessPolicy | null;
  pool: string;
  retry: RetryPolicy;
  timeoutMs: number | null;
  backfill: BackfillPolicy | null;
  checks: CheckDefinition<R>[];
  sql: string[];
  files: string[];
  codeVersion: string;
  tags: Record<string, string>;
  /** As declared, in order, with `from` always given (empty when nothing upstream is named). */
  columns: Array<ColumnSpec & { from: ColumnRef[] }>;
  materialize: ((ctx: MaterializeContext<R>) => Promise<MaterializeResult | undefined>) | null;
}
