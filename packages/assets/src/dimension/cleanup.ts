import { type Asset, parseEnv } from '@vitrina/core';
import { z } from 'zod';
import type { WarehouseResources } from '../resources.ts';
import { procedureAsset } from './procedureAsset.ts';

/**
 * How many days of stage partitions the clean-up keeps (VITRINA_STAGE_RETENTION_DAYS). It must
 * exceed the lookback window, which re-reads recent days, and it bounds how far back a forced
 * re-run of the dimension layer still finds its raw data.
 */
export const retentionSchema = z.object({
  VITRINA_STAGE_RETENTION_DAYS: z.coerce.number().int().min(7).max(3650).default(90),
});

export function stageRetentionDays(env: NodeJS.ProcessEnv = process.env): number {
  return parseEnv(retentionSchema, env).VITRINA_STAGE_RETENTION_DAYS;
}

/**
 * The day a clean-up prunes, `retention + 1` days before its own, must have been loaded and read:
 * the clean-up waits for that day of every stage asset the dimension layer reads and of every
 * dimension asset reading one. Without it a backfill longer than the retention (the bring-up's
 * twelve months) pruned days before the layers above had read them.
 */
function prunedDayReaders(dimension: readonly Asset<WarehouseResources>[], retention: number) {
  const readers = dimension.filter((asset) => asset.deps.some((dep) => dep.key.startsWith('stage.')));
  const stage = new Set(
    readers.flatMap((asset) => asset.deps.map((dep) => dep.key).filter((key) => key.startsWith('stage.'))),
  );
  const day = -(retention + 1);
  return [...stage, ...readers.map((asset) => asset.key)]
    .sort()
    .map((key) => ({ key, mapping: { kind: 'window' as const, startOffset: day, endOffset: day } }));
}

/** The daily run's clean-up (the brief's step 1): leftover working tables dropped, the oldest stage day pruned. */
export function cleanupAsset(start: string, dimension: readonly Asset<WarehouseResources>[]) {
  const retention = stageRetentionDays();
  return procedureAsset(
    {
      key: 'maintenance.cleanup',
      description: `Drops leftover working tables (tmp_*) in stage, dimension and bi and prunes the stage day ${retention + 1} days before its own (VITRINA_STAGE_RETENTION_DAYS = ${retention}), once the dimension layer has read it.`,
      kind: 'day',
      deps: prunedDayReaders(dimension, retention),
      extraArguments: () => [retention],
      metadata: async (warehouse, partition) => {
        const { rows } = await warehouse.query<{ dropped: string; pruned: string }>(
          `select count(*) filter (where action = 'dropped_table') as dropped,
             coalesce(sum(rows) filter (where action = 'pruned_partitions'), 0) as pruned
           from maintenance.cleanup where day = $1::date`,
          [partition],
        );
        return {
          retention_days: retention,
          dropped_tables: Number(rows[0]?.dropped ?? 0),
          pruned_rows: Number(rows[0]?.pruned ?? 0),
        };
      },
    },
    start,
  );
}
