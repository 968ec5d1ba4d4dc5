export { type SqlChecks, sqlChecks } from './builder.ts';
export { type ColumnCheck, columnCheckSchema, columnChecks } from './column.ts';
export { expandCheckSql, SAMPLE_SIZE } from './compile.ts';
export { type CheckTarget, genericCheck, partitionScope, referencedTables } from './run.ts';
export {
  type AcceptedValue,
  type AcceptedValuesSpec,
  type CheckKind,
  type CheckOptions,
  type CheckSpec,
  checkKinds,
  checkSpecSchema,
  type FreshnessSpec,
  type NotNullSpec,
  type RelationshipsSpec,
  type RowCountSpec,
  type SqlSpec,
  type UniqueSpec,
} from './spec.ts';
