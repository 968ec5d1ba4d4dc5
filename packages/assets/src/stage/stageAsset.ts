import { type Asset, type AssetSpec, daily, defineAsset } from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';

type StageSpec = Omit<
  AssetSpec<WarehouseResources>,
  'group' | 'owner' | 'storage' | 'partitions' | 'freshness'
> & {
  /** The first daily partition (VITRINA_START). */
  start: string;
};

/**
 * A stage asset: a PostgreSQL table in group `stage`, partitioned by the day of its load
 * (Europe/Minsk), retried on transient failures, due by the daily run at 00:30.
 */
export function stageAsset({ start, ...spec }: StageSpec): Asset<WarehouseResources> {
  return defineAsset<WarehouseResources>({
    group: 'stage',
    owner: 'data-platform',
    storage: 'postgres',
    partitions: daily(start, 'Europe/Minsk'),
    retry: { maxRetries: 3, initialDelayMs: 1000 },
    freshness: { cron: '30 0 * * *', maximumLagMinutes: 24 * 60 },
    ...spec,
  });
}
