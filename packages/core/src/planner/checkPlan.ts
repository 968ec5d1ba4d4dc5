import type { AssetGraph } from '../graph/assetGraph.ts';
import { resolveSelection } from '../graph/selection.ts';
import { partitionKeys, UNPARTITIONED } from '../partitions/daily.ts';
import type { RunStorage } from '../storage/runStorage.ts';
import type { CheckPlan, PlanRequest } from './plan.ts';
import { indexStates, refuseUnfinishedDays, type StateIndex, validateRange } from './planner.ts';

/**
 * Plans a check-only run (`vitrina test`): one step per materialised partition of each selected
 * asset that has checks, within the request's days. `force` has no meaning here and is dropped.
 */
export async function planChecks<R>(
  graph: AssetGraph<R>,
  storage: RunStorage,
  request: PlanRequest,
  now = new Date(),
): Promise<CheckPlan> {
  validateRange(request);
  const selected = resolveSelection(graph, request.selection);
  const checked = [...selected].filter((key) => graph.get(key).checks.length > 0);
  const state = indexStates(await storage.assetPartitions(checked));
  return checkPlanFromState(graph, selected, state, request, now);
}

/** The pure part of `planChecks`: which partitions hold data to test, given their latest state. */
export function checkPlanFromState<R>(
  graph: AssetGraph<R>,
  selected: ReadonlySet<string>,
  state: StateIndex,
  request: PlanRequest,
  now: Date,
): CheckPlan {
  refuseUnfinishedDays(graph, [...selected], request, now);
  const plan: CheckPlan = {
    mode: 'checks',
    request: { selection: request.selection, from: request.from, to: request.to, force: false },
    createdAt: now,
    assets: [],
    steps: [],
    untested: [],
  };
  for (const key of graph.order) {
    if (!selected.has(key)) continue;
    const asset = graph.get(key);
    if (asset.storage === 'external') continue;
    if (asset.checks.length === 0) {
      plan.untested.push({ key, reason: `${key} has no checks` });
      continue;
    }
    const partitions = asset.partitions
      ? partitionKeys(asset.partitions, { from: request.from, to: request.to }, now)
      : [UNPARTITIONED];
    const own = state.get(key);
    let tested = 0;
    for (const partition of partitions) {
      const current = own?.get(partition);
      if (!current || current.dataVersion === null) continue;
      const when = current.materializedAt ? ` at ${current.materializedAt.toISOString()}` : '';
      plan.steps.push({
        assetKey: key,
        partition,
        reasons: [{ kind: 'checks_only', message: `checks of the data materialised${when}` }],
      });
      tested++;
    }
    plan.assets.push({ key, partitions: partitions.length, stale: tested });
    if (tested === 0) plan.untested.push({ key, reason: neverMaterialized(key, own, request) });
  }
  return plan;
}

function neverMaterialized(
  key: string,
  own: ReadonlyMap<string, { dataVersion: string | null }> | undefined,
  request: PlanRequest,
): string {
  const { from, to } = request;
  const elsewhere = [...(own?.values() ?? [])].some((partition) => partition.dataVersion !== null);
  if (!elsewhere || (from === undefined && to === undefined)) return `${key} was never materialised`;
  const days = from === to ? from : `${from ?? 'its first day'}…${to ?? 'its latest day'}`;
  return `${key} was never materialised in ${days}`;
}
