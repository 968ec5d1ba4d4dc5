export { inBatches } from './batches.ts';
export { ClickHouse, checkIdentifier } from './clickhouse/client.ts';
export {
  type MartPartitionReplacement,
  type MartPartitionsReplacement,
  type PartitionTransfer,
  partitionLiteral,
  replaceMartPartition,
  replaceMartPartitions,
  transferPartition,
  transferPartitions,
} from './clickhouse/transfer.ts';
export { readDocxText } from './files/docx.ts';
export { readExcel } from './files/excel.ts';
export { downloadRemoteFile, listRemoteFiles, type RemoteFile, uploadFile, withFtp } from './files/ftp.ts';
export * from './files/index.ts';
export { type FetchJsonOptions, fetchJson, HttpError, redactUrl, TransientHttpError } from './http.ts';
export { type EnsureTableOptions, ensureTable } from './postgres/ensureTable.ts';
export {
  DEFAULT_MAX_QUARANTINED_SHARE,
  DEFAULT_MAX_SHRINK_SHARE,
  type LoadGuard,
  SilentLossError,
} from './postgres/guard.ts';
export * from './postgres/index.ts';
export { type LoadOptions, type LoadResult, type LoadTarget, loadValidated } from './postgres/load.ts';
export {
  QUARANTINE_TABLE,
  type QuarantinedRow,
  type QuarantineScope,
  quarantineDdl,
  replaceQuarantine,
  restoreQuarantinedRaw,
  storableRaw,
} from './postgres/quarantine.ts';
export { type PartitionVersion, tableVersion } from './postgres/versions.ts';
export {
  type CursorRange,
  type ExtractionOptions,
  type ExtractionSpec,
  extractionQuery,
  OracleQueryCompiler,
  queryBuilder,
  type SourceDialect,
} from './sources/dialects.ts';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  DEFAULT_QUERY_TIMEOUT_MS,
  describeUrl,
  type SourceTimeouts,
} from './sources/failures.ts';
export { extractIncrementally, type IncrementalExtraction } from './sources/incremental.ts';
export { type MysqlStreamOptions, streamMysql } from './sources/mysql.ts';
export {
  oracleConnection,
  type PostgresStreamOptions,
  sourcePool,
  streamOracle,
  streamPostgres,
  streamPostgresQuery,
} from './sources/streams.ts';
