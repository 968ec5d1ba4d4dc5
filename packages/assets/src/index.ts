import { defineLocation } from '@vitrina/core';

/**
 * The payments warehouse as a code location. Its sources, stage/dimension/bi assets and ClickHouse
 * marts arrive with the sources and warehouse issues; until then it declares no assets, and the CLI's
 * default location is the bikes example (VITRINA_DEFINITIONS).
 */
export default defineLocation<null>({
  name: 'vitrina',
  assets: [],
  resources: { open: async () => null, close: async () => {} },
});
