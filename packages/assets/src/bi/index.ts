import type { Asset } from '@vitrina/core';
import type { WarehouseResources } from '../resources.ts';

/** Every asset of the `bi` layer: facts, dimensions and KPIs in PostgreSQL (stored procedures in sql/postgres/bi/; the contract is sql/postgres/bi/CONTRACT.md). */
export function biAssets(_start: string): Asset<WarehouseResources>[] {
  return [];
}
