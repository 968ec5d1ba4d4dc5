export { inBatches } from './batches.ts';
export { ClickHouse, checkIdentifier } from './clickhouse/client.ts';
export { type PartitionTransfer, partitionLiteral, transferPartition } from './clickhouse/transfer.ts';
export { downloadRemoteFile, listRemoteFiles, type RemoteFile, uploadFile, withFtp } from './files/ftp.ts';
export { readCsv, readDocxText, readExcel } from './files/readers.ts';
export { type FetchJsonOptions, fetchJson, HttpError, redactUrl, TransientHttpError } from './http.ts';
export { type CopyValue, decodeCopyLine, encodeCopyLine } from './postgres/copyText.ts';
export {
  type LoadOptions,
  type LoadResult,
  type LoadTarget,
  loadValidated,
  type PartitionVersion,
  tableVersion,
} from './postgres/load.ts';
export {
  QUARANTINE_TABLE,
  type QuarantinedRow,
  type QuarantineScope,
  quarantineDdl,
  replaceQuarantine,
} from './postgres/quarantine.ts';
export {
  ensureDatabase,
  ensureTable,
  inTransaction,
  type PartitionWrite,
  replacePartition,
  replaceTable,
} from './postgres/tables.ts';
export {
  type CursorRange,
  type ExtractionOptions,
  type ExtractionSpec,
  extractionQuery,
  OracleQueryCompiler,
  queryBuilder,
  type SourceDialect,
} from './sources/dialects.ts';
export { extractIncrementally, type IncrementalExtraction } from './sources/incremental.ts';
export {
  oracleConnection,
  streamMysql,
  streamOracle,
  streamPostgres,
  streamPostgresQuery,
} from './sources/streams.ts';
