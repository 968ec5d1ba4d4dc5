import type { Asset } from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';

/** Every asset of the `dimension` layer: cleaned, normalised, enriched data in PostgreSQL (stored procedures in sql/postgres/dimension/). */
export function dimensionAssets(_start: string): Asset<WarehouseResources>[] {
  return [];
}
