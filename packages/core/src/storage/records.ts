import type { CheckSeverity, JsonValue, Metadata } from '../definitions/types.ts';

export const runStatuses = ['running', 'success', 'failed', 'cancelled'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const stepStatuses = ['queued', 'running', 'success', 'failed', 'blocked', 'cancelled'] as const;
export type StepStatus = (typeof stepStatuses)[number];

/** Who started a run; `checks` is a check-only run (`vitrina test`), which materialises nothing. */
export const runTriggers = ['manual', 'rerun', 'schedule', 'freshness', 'checks'] as const;
export type RunTrigger = (typeof runTriggers)[number];

/** How one materialisation attempt of an asset partition ended. */
export const materializationStatuses = ['success', 'failed'] as const;
export type MaterializationStatus = (typeof materializationStatuses)[number];

/** The latest known state of an asset partition. */
export const partitionStatuses = ['materialized', 'failed'] as const;
export type PartitionStatus = (typeof partitionStatuses)[number];

/** Upstream key → upstream partition → data version consumed. */
export type ConsumedVersions = Record<string, Record<string, string>>;

export interface Run {
  id: string;
  status: RunStatus;
  trigger: RunTrigger;
  selection: string;
  partitionFrom: string | null;
  partitionTo: string | null;
  force: boolean;
  parentRunId: string | null;
  stepCount: number;
  createdAt: Date;
  finishedAt: Date | null;
  error: string | null;
  /** The machine and process executing the run, and when it last said it is alive. */
  host: string | null;
  pid: number | null;
  heartbeatAt: Date | null;
}

export interface Step {
  runId: string;
  assetKey: string;
  partition: string;
  status: StepStatus;
  reason: string;
  attempts: number;
  startedAt: Date | null;
  finishedAt: Date | null;
  rowCount: number | null;
  error: string | null;
}

export const runEventTypes = [
  'run_started',
  'step_queued',
  'step_started',
  'log',
  'step_retry',
  'materialized',
  'check_result',
  'step_succeeded',
  'step_failed',
  'step_blocked',
  'step_cancelled',
  'run_finished',
] as const;
export type RunEventType = (typeof runEventTypes)[number];

export interface RunEvent {
  runId: string;
  /** Order of the event within its run, from 1. */
  seq: number;
  type: RunEventType;
  assetKey: string | null;
  partition: string | null;
  at: Date;
  message: string | null;
  data: Record<string, JsonValue>;
}

export interface Materialization {
  runId: string;
  assetKey: string;
  partition: string;
  status: MaterializationStatus;
  startedAt: Date;
  finishedAt: Date;
  rowCount: number | null;
  dataVersion: string | null;
  codeVersion: string;
  consumed: ConsumedVersions;
  metadata: Metadata;
  error: string | null;
}

/** The latest known state of one asset partition. */
export interface AssetPartitionState {
  assetKey: string;
  partition: string;
  status: PartitionStatus;
  /** Of the last successful materialisation (null if none ever succeeded). */
  dataVersion: string | null;
  codeVersion: string | null;
  consumed: ConsumedVersions;
  materializedAt: Date | null;
  rowCount: number | null;
  runId: string;
  failure: string | null;
  updatedAt: Date;
}

export interface CheckResultRecord {
  runId: string;
  assetKey: string;
  partition: string;
  checkName: string;
  severity: CheckSeverity;
  passed: boolean;
  message: string | null;
  metadata: Metadata;
  at: Date;
}

export interface ScheduleTick {
  schedule: string;
  tickAt: Date;
  evaluatedAt: Date;
  decision: 'run' | 'skip' | 'error';
  reason: string;
  runId: string | null;
  data: Record<string, JsonValue>;
}

export interface Cursor {
  source: string;
  name: string;
  value: string;
  runId: string | null;
  updatedAt: Date;
}

/** A run's claim on one asset partition while a step of it materialises the partition. */
export interface Lease {
  assetKey: string;
  partition: string;
  runId: string;
  acquiredAt: Date;
}

/** Everything one flush writes, in one transaction. */
export interface WriteBatch {
  runs: Array<Pick<Run, 'id' | 'status' | 'finishedAt' | 'error' | 'stepCount'>>;
  steps: Step[];
  events: RunEvent[];
  materializations: Materialization[];
  assetPartitions: AssetPartitionState[];
  checkResults: CheckResultRecord[];
  /** Leases given up, in the same transaction as the records of what was done under them. */
  releasedLeases: Array<Pick<Lease, 'assetKey' | 'partition' | 'runId'>>;
}

export function emptyBatch(): WriteBatch {
  return {
    runs: [],
    steps: [],
    events: [],
    materializations: [],
    assetPartitions: [],
    checkResults: [],
    releasedLeases: [],
  };
}
