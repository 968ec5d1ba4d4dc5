import { parseEnv } from '@vitrina/core';
import { z } from 'zod';
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

/** The daily run's clean-up (the brief's step 1): leftover working tables dropped, old stage days pruned. */
export function cleanupAsset(start: string) {
  const retention = stageRetentionDays();
  return procedureAsset(
    {
      key: 'maintenance.cleanup',
      description: `Drops leftover working tables (tmp_*) in stage, dimension and bi and prunes stage partitions older than ${retention} days (VITRINA_STAGE_RETENTION_DAYS).`,
      kind: 'day',
      deps: [],
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
