import { nextTick, previousTick } from '../definitions/cron.ts';
import type { Asset } from '../definitions/types.ts';
import { partitionWindow } from '../partitions/daily.ts';
import type { AssetPartitionState } from '../storage/records.ts';

export interface Freshness {
  /** The latest cron tick at or before now, by which the data had to be fresh. */
  tick: Date;
  /** Data older than this violates the policy at `tick`. */
  requiredDataTime: Date;
  /** How current the asset's data is: when it was materialised, or where its newest day ends. */
  dataTime: Date | null;
  overdue: boolean;
  /** The next tick, when the policy is next evaluated. */
  nextTick: Date;
}

/**
 * Evaluates an asset's freshness policy in the sense of Dagster's: by each tick of the cron, the
 * asset must hold data no older than `maximumLagMinutes` before the tick.
 */
export function evaluateFreshness(
  asset: Pick<Asset, 'freshness' | 'partitions'>,
  partitions: Iterable<AssetPartitionState>,
  now: Date,
): Freshness | null {
  const policy = asset.freshness;
  if (!policy) return null;
  const nextTickAt = nextTick(policy.cron, policy.timezone, now);
  const tick = previousTick(policy.cron, policy.timezone, now);
  const requiredDataTime = new Date(tick.getTime() - policy.maximumLagMinutes * 60_000);
  const dataTime = dataTimeOf(asset, partitions);
  return {
    tick,
    requiredDataTime,
    dataTime,
    overdue: dataTime === null || dataTime < requiredDataTime,
    nextTick: nextTickAt,
  };
}

function dataTimeOf(
  asset: Pick<Asset, 'partitions'>,
  partitions: Iterable<AssetPartitionState>,
): Date | null {
  let newest: Date | null = null;
  for (const state of partitions) {
    if (state.materializedAt === null) continue;
    const time = asset.partitions
      ? partitionWindow(asset.partitions, state.partition).end
      : state.materializedAt;
    if (newest === null || time > newest) newest = time;
  }
  return newest;
}
