export { type BuildTarget, buildModel } from './build.ts';
export {
  type CheckSpec,
  type CheckTarget,
  checkSpecSchema,
  genericCheck,
  partitionScope,
  type SqlChecks,
  sqlChecks,
} from './checks/index.ts';
export { type ModelHeader, type ModelKind, modelHeaderSchema, modelKinds, readModel } from './header.ts';
export { loadParser, parseQuery, tablesRead } from './lineage.ts';
export { type SqlModelsOptions, sqlModels } from './project.ts';
export { projectName, scaffoldProject } from './scaffold.ts';
export { readSeedConfig, seedAsset, seedColumns } from './seeds/index.ts';
