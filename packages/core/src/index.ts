export { type Config, configSchema, loadConfig, parseEnv } from './config/config.ts';
export * from './contract.ts';
export { codeVersionOf, normaliseSql } from './definitions/codeVersion.ts';
export type { CommandOption, CommandTerminal, LocationCommand } from './definitions/commands.ts';
export { cronSchema, nextTick, previousTick } from './definitions/cron.ts';
export { assetKeySchema, defineAsset, describeIssues } from './definitions/defineAsset.ts';
export {
  defineLocation,
  type Location,
  loadLocation,
  poolSizes,
  type Resources,
  type ScheduleDefinition,
} from './definitions/location.ts';
export { tablesReadBy } from './definitions/sqlTables.ts';
export type * from './definitions/types.ts';
export {
  ConfigError,
  DefinitionError,
  errorMessage,
  SelectionError,
  TransientError,
  UserError,
} from './errors.ts';
export { RunEventBus, type RunListener } from './executor/eventBus.ts';
export {
  countByStatus,
  type ExecuteOptions,
  execute,
  newRunId,
  type RunOutcome,
} from './executor/executor.ts';
export { type LaunchedRun, RunLauncher } from './executor/launcher.ts';
export { type EndedRun, endRun, HEARTBEAT_MS, recoverDeadRuns, STALE_AFTER_MS } from './executor/recovery.ts';
export { isTransient } from './executor/transient.ts';
export { AssetGraph } from './graph/assetGraph.ts';
export { nearest } from './graph/nearest.ts';
export { resolveSelection } from './graph/selection.ts';
export {
  addDays,
  type DailyPartitions,
  daily,
  latestPartition,
  partitionDateSchema,
  partitionKeys,
  partitionWindow,
  type TimeWindow,
  UNPARTITIONED,
} from './partitions/daily.ts';
export { checkPlanFromState, planChecks } from './planner/checkPlan.ts';
export { evaluateFreshness, type Freshness } from './planner/freshness.ts';
export {
  type CheckPlan,
  describeReasons,
  type Plan,
  type PlanMode,
  type PlannedStep,
  type PlanRequest,
  type StaleReason,
} from './planner/plan.ts';
export {
  indexStates,
  planFromState,
  planRequestFrom,
  planRun,
  type StateIndex,
  stepId,
  validateRange,
} from './planner/planner.ts';
export { planRerun } from './planner/rerun.ts';
export { type AssetHealth, type AssetStatus, assetStatuses } from './planner/status.ts';
export { Scheduler, type SchedulerOptions } from './scheduler/scheduler.ts';
export { AdvisoryLockLeadership, type Leadership, SoleLeadership } from './storage/leadership.ts';
export type * from './storage/records.ts';
export { RunStorage, type StorageKind, type StorageOptions } from './storage/runStorage.ts';
export { storableText } from './storage/storable.ts';
