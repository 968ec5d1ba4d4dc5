import { defineLocation } from '@vitrina/core';
import { seedCommand } from '@vitrina/sample-company/command';
import { biAssets } from './bi/index.ts';
import { loadWarehouseConfig } from './config.ts';
import { dashboardAssets } from './dashboards.ts';
import { dimensionAssets } from './dimension/index.ts';
import { insightsAsset } from './insights/asset.ts';
import { insightsCommand } from './insights/command.ts';
import { martAssets } from './marts/index.ts';
import { openResources, standInsOf, type WarehouseResources } from './resources.ts';
import { stageAssets } from './stage/index.ts';

const config = loadWarehouseConfig();

/**
 * The payments warehouse as a code location: every source and its stage asset, the dimension and
 * bi layers in PostgreSQL, the ClickHouse marts and the conclusions drawn from them. Pools follow the brief: the three source
 * databases are read at once, each by one query at a time; transformations share `warehouse`,
 * transfers to ClickHouse run in parallel in `transfer`. The Superset dashboards close the lineage.
 */
const marts = [...martAssets(config.VITRINA_START)];
const insights = insightsAsset(marts.map((mart) => mart.key));

export default defineLocation<WarehouseResources>({
  name: 'vitrina',
  assets: [
    ...stageAssets(config.VITRINA_START),
    ...dimensionAssets(config.VITRINA_START),
    ...biAssets(config.VITRINA_START),
    ...marts,
    insights,
    ...(await dashboardAssets(config.VITRINA_SUPERSET_URL, [...marts, insights])),
  ],
  pools: { crm: 1, payments: 1, registry: 1, files: 1, api: 2, warehouse: 4, transfer: 3 },
  resources: { open: () => openResources(config), close: (resources) => resources.close() },
  schedules: [
    {
      name: 'daily',
      cron: '30 0 * * *',
      timezone: 'Europe/Minsk',
      selection: '*',
      description:
        "The daily pipeline: yesterday's data from every source, through dimension and bi, into the marts.",
    },
  ],
  warehouseUrl: config.VITRINA_WAREHOUSE_URL,
  standIns: standInsOf(config),
  commands: [
    insightsCommand(() => config.VITRINA_CLICKHOUSE_URL),
    seedCommand(() => ({
      start: config.VITRINA_START,
      targets: {
        crmUrl: config.VITRINA_CRM_URL,
        paymentsUrl: config.VITRINA_PAYMENTS_URL,
        registryUrl: config.VITRINA_REGISTRY_URL,
        ftpUrl: config.VITRINA_FTP_URL,
        inbox: config.VITRINA_INBOX,
        replay: config.VITRINA_REPLAY_FIXTURES,
      },
    })),
  ],
});
