/**
 * `@vitrina/io/postgres`: atomic table and partition writes, PostgreSQL's COPY text format and the
 * column checks — without the source drivers, so a code location that only writes PostgreSQL
 * loads only this.
 */
export { type ColumnType, columnTypes, rowChecker } from './columnCheck.ts';
export { type CopyValue, decodeCopyLine, encodeCopyLine } from './copyText.ts';
export {
  ensureDatabase,
  inTransaction,
  type PartitionWrite,
  replacePartition,
  replaceTable,
} from './tables.ts';
