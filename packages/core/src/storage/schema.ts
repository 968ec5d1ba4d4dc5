import type { Generated } from 'kysely';
import type {
  AssetPartitionState,
  CheckResultRecord,
  Cursor,
  Lease,
  Materialization,
  Run,
  RunEvent,
  ScheduleTick,
  Step,
} from './records.ts';

type WithId<T> = T & { id: Generated<number> };

/**
 * The `vitrina` schema as kysely sees it. Column names are the records' camelCase names
 * (CamelCasePlugin maps them to snake_case); JSON columns hold plain objects and int8 columns
 * are read as numbers, so rows and records are the same shape.
 */
export interface VitrinaDatabase {
  runs: Run;
  steps: Step;
  events: WithId<RunEvent>;
  materializations: WithId<Materialization>;
  assetPartitions: AssetPartitionState;
  checkResults: WithId<CheckResultRecord>;
  cursors: Cursor;
  scheduleTicks: WithId<ScheduleTick>;
  leases: Lease;
}
