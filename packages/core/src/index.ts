export { type Config, configSchema, loadConfig, parseEnv } from './config/config.ts';
export { codeVersionOf, normaliseSql } from './definitions/codeVersion.ts';
export { cronSchema, nextTick, previousTick } from './definitions/cron.ts';
export { assetKeySchema, defineAsset } from './definitions/defineAsset.ts';
export {
  defineLocation,
  type Location,
  loadLocation,
  poolSizes,
  type Resources,
  type ScheduleDefinition,
} from './definitions/location.ts';
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
export { isTransient } from './executor/transient.ts';
export { AssetGraph } from './graph/assetGraph.ts';
export { nearest } from './graph/nearest.ts';
export { resolveSelection } from './graph/selection.ts';
export {
  ClickHouse,
  checkIdentifier,
  type PartitionTransfer,
  partitionLiteral,
  transferPartition,
} from './io/clickhouse.ts';
export { type CopyValue, decodeCopyLine, encodeCopyLine } from './io/copyText.ts';
export {
  type ExtractionSpec,
  extractionQuery,
  OracleQueryCompiler,
  queryBuilder,
  type SourceDialect,
} from './io/dialects.ts';
export { readCsv, readDocxText, readExcel } from './io/files.ts';
export { downloadRemoteFile, listRemoteFiles, type RemoteFile, uploadFile, withFtp } from './io/ftp.ts';
export { type FetchJsonOptions, fetchJson, HttpError, redactUrl, TransientHttpError } from './io/http.ts';
export { extractIncrementally, type IncrementalExtraction } from './io/incremental.ts';
export {
  type LoadOptions,
  type LoadResult,
  type LoadTarget,
  loadValidated,
  type PartitionVersion,
  tableVersion,
} from './io/load.ts';
export {
  ensureDatabase,
  ensureTable,
  inTransaction,
  type PartitionWrite,
  replacePartition,
  replaceTable,
  tablesReadBy,
} from './io/postgres.ts';
export {
  QUARANTINE_TABLE,
  type QuarantinedRow,
  type QuarantineScope,
  quarantineDdl,
  replaceQuarantine,
} from './io/quarantine.ts';
export {
  oracleConnection,
  streamMysql,
  streamOracle,
  streamPostgres,
  streamPostgresQuery,
} from './io/sources.ts';
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
export { evaluateFreshness, type Freshness } from './planner/freshness.ts';
export {
  describeReasons,
  type Plan,
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
export { runEventTypes } from './storage/records.ts';
export { RunStorage, type StorageKind, type StorageOptions } from './storage/runStorage.ts';
