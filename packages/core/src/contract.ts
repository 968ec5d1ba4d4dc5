/**
 * The engine's unions as constant arrays, for the API's schemas and the browser. This module and
 * what it re-exports import nothing at run time, so a UI bundle can take it without the engine.
 */
export { assetHealths, assetStorages, checkSeverities } from './definitions/types.ts';
export {
  materializationStatuses,
  partitionStatuses,
  runEventTypes,
  runStatuses,
  runTriggers,
  stepStatuses,
} from './storage/records.ts';
