import type { Asset, AssetHealth } from '../definitions/types.ts';
import type { AssetGraph } from '../graph/assetGraph.ts';
import { latestPartition } from '../partitions/daily.ts';
import { evaluateFreshness, type Freshness } from './freshness.ts';
import { describeReasons } from './plan.ts';
import { planFromState, type StateIndex } from './planner.ts';

// Defined beside the definitions' other unions, in a module without runtime imports: the API's schemas,
// which the UI bundles for the browser, take the array from there without the planner's cron-parser and luxon.
export { type AssetHealth, assetHealths } from '../definitions/types.ts';

export interface AssetStatus {
  key: string;
  group: string;
  health: AssetHealth;
  partitions: { total: number; materialized: number; failed: number; stale: number };
  lastMaterializedAt: Date | null;
  /** Why the asset is stale or failed, in words; null when fresh. */
  reason: string | null;
  freshness: Freshness | null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The state of every asset, as `vitrina assets`, the API and the UI show it: through the latest
 * complete day, or through `to` (the days after it are then not counted, as left for later).
 */
export function assetStatuses<R>(
  graph: AssetGraph<R>,
  state: StateIndex,
  now: Date,
  to?: string,
): AssetStatus[] {
  const plan = planFromState(graph, new Set(graph.order), state, { selection: '*', to }, now);
  const planned = new Map(plan.assets.map((entry) => [entry.key, entry]));
  const firstReason = new Map<string, string>();
  for (const step of plan.steps) {
    if (!firstReason.has(step.assetKey)) firstReason.set(step.assetKey, describeReasons(step.reasons));
  }
  return graph.assets().map((asset) => {
    const own = [...(state.get(asset.key)?.entries() ?? [])]
      .filter(([partition]) => to === undefined || !DAY.test(partition) || partition <= to)
      .map(([, partition]) => partition);
    const failed = own.filter((partition) => partition.status === 'failed');
    const materialized = own.filter((partition) => partition.dataVersion !== null);
    const lastMaterializedAt = materialized.reduce<Date | null>(
      (latest, partition) =>
        partition.materializedAt && (!latest || partition.materializedAt > latest)
          ? partition.materializedAt
          : latest,
      null,
    );
    const freshness = evaluateFreshness(asset, own, now);
    const entry = planned.get(asset.key);
    const stale = entry?.stale ?? 0;
    let health: AssetHealth;
    if (asset.storage === 'external') health = 'external';
    else if (failed.length > 0) health = 'failed';
    else if (materialized.length === 0) health = 'never';
    // Through a day before the newest complete one, the question is whether every day up to it is
    // current: a freshness policy speaks of today, which the days left for later decide (a bring-up
    // leaves yesterday for the next day's load).
    else if (freshness?.overdue && !beforeNewestDay(asset, to, now)) health = 'overdue';
    else if (stale > 0) health = 'stale';
    else health = 'fresh';
    const reason = failed[0]?.failure ? `failed: ${failed[0].failure}` : (firstReason.get(asset.key) ?? null);
    return {
      key: asset.key,
      group: asset.group,
      health,
      partitions: {
        total: entry?.partitions ?? 0,
        materialized: materialized.length,
        failed: failed.length,
        stale,
      },
      lastMaterializedAt,
      reason: health === 'fresh' || health === 'external' ? null : reason,
      freshness,
    };
  });
}

function beforeNewestDay(asset: Pick<Asset, 'partitions'>, to: string | undefined, now: Date): boolean {
  if (to === undefined || !asset.partitions) return false;
  const newest = latestPartition(asset.partitions, now);
  return newest !== null && to < newest;
}
