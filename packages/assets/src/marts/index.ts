import type { Asset } from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';

/** Every asset of the ClickHouse marts (DDL in sql/clickhouse/), transferred from `bi` partition by partition. */
export function martAssets(_start: string): Asset<WarehouseResources>[] {
  return [];
}
