import type { Asset } from '../definitions/types.ts';
import { UserError } from '../errors.ts';
import type { AssetGraph } from '../graph/assetGraph.ts';
import { resolveSelection } from '../graph/selection.ts';
import { latestPartition, partitionDateSchema, partitionKeys, UNPARTITIONED } from '../partitions/daily.ts';
import type { AssetPartitionState } from '../storage/records.ts';
import type { RunStorage } from '../storage/runStorage.ts';
import { evaluateFreshness } from './freshness.ts';
import type { Plan, PlannedStep, PlanRequest, StaleReason } from './plan.ts';

/** Latest state by asset key, then partition. */
export type StateIndex = Map<string, Map<string, AssetPartitionState>>;

export function indexStates(states: Iterable<AssetPartitionState>): StateIndex {
  const index: StateIndex = new Map();
  for (const state of states) {
    const partitions = index.get(state.assetKey) ?? new Map<string, AssetPartitionState>();
    index.set(state.assetKey, partitions);
    partitions.set(state.partition, state);
  }
  return index;
}

/** Reads the state of the selected assets and their upstreams, then plans. */
export async function planRun<R>(
  graph: AssetGraph<R>,
  storage: RunStorage,
  request: PlanRequest,
  now = new Date(),
): Promise<Plan> {
  validateRange(request);
  const selected = resolveSelection(graph, request.selection);
  const keys = new Set(selected);
  for (const key of selected) for (const up of graph.upstreamKeys(key)) keys.add(up);
  // Reading every row beats filtering by a list as long as the graph when the whole graph is involved.
  const state = indexStates(await storage.assetPartitions(keys.size === graph.size ? undefined : [...keys]));
  return planFromState(graph, selected, state, request, now);
}

/** A plan request from `partition | from + to` options, refusing contradictions and bad days. */
export function planRequestFrom(options: {
  selection: string;
  partition?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  force?: boolean | undefined;
}): PlanRequest {
  if (options.partition && (options.from || options.to)) {
    throw new UserError('give either --partition or --from/--to, not both');
  }
  const request: PlanRequest = {
    selection: options.selection,
    from: options.partition ?? options.from,
    to: options.partition ?? options.to,
    force: options.force ?? false,
  };
  validateRange(request);
  return request;
}

/**
 * A range that starts after the newest complete day of every selected daily asset names days that
 * have not ended: say so, rather than report that nothing in it is stale.
 */
export function refuseUnfinishedDays<R>(
  graph: AssetGraph<R>,
  selected: readonly string[],
  request: PlanRequest,
  now: Date,
): void {
  if (request.from === undefined) return;
  let newest: { day: string; timezone: string } | null = null;
  let daily = false;
  for (const key of selected) {
    const partitions = graph.get(key).partitions;
    if (!partitions) continue;
    daily = true;
    const latest = latestPartition(partitions, now);
    if (latest !== null && (newest === null || latest > newest.day))
      newest = { day: latest, timezone: partitions.timezone };
  }
  if (!daily || (newest !== null && request.from <= newest.day)) return;
  const days = request.from === request.to ? request.from : `${request.from}…${request.to ?? ''}`;
  throw new UserError(
    newest === null
      ? `${days}: the selected assets have no complete day yet`
      : `${days} has not ended yet: the newest complete day is ${newest.day} (days end at midnight, ${newest.timezone})`,
  );
}

export function validateRange(request: PlanRequest): void {
  for (const [name, value] of [
    ['from', request.from],
    ['to', request.to],
  ] as const) {
    if (value === undefined) continue;
    const parsed = partitionDateSchema.safeParse(value);
    if (!parsed.success) throw new UserError(`--${name} "${value}": ${parsed.error.issues[0]?.message}`);
  }
  if (request.from && request.to && request.from > request.to) {
    throw new UserError(`--from ${request.from} is after --to ${request.to}`);
  }
}

/**
 * Decides which partitions of the selected assets are stale, and why. Pure: the state is given, so
 * the same inputs always give the same plan. Assets are visited in topological order, so a partition
 * whose upstream is planned in this run is planned too.
 */
export function planFromState<R>(
  graph: AssetGraph<R>,
  selected: ReadonlySet<string>,
  state: StateIndex,
  request: PlanRequest,
  now: Date,
): Plan {
  refuseUnfinishedDays(graph, [...selected], request, now);
  const planned = new Set<string>();
  const steps: PlannedStep[] = [];
  const assets: Plan['assets'] = [];
  for (const key of graph.order) {
    if (!selected.has(key)) continue;
    const asset = graph.get(key);
    if (asset.storage === 'external') continue;
    const partitions = asset.partitions
      ? partitionKeys(asset.partitions, { from: request.from, to: request.to }, now)
      : [UNPARTITIONED];
    const own = state.get(key);
    const overdueAt = freshnessViolation(asset, own, now);
    let stale = 0;
    for (const partition of partitions) {
      const reasons = request.force
        ? [{ kind: 'forced', message: 'forced' } satisfies StaleReason]
        : staleness(graph, asset, partition, own?.get(partition), state, planned, now);
      const neverMaterialized = reasons.some((reason) => reason.kind === 'never_materialized');
      if (!request.force && !neverMaterialized && overdueAt?.partition === partition)
        reasons.push(overdueAt.reason);
      if (reasons.length === 0) continue;
      planned.add(stepId(key, partition));
      steps.push({ assetKey: key, partition, reasons });
      stale++;
    }
    assets.push({ key, partitions: partitions.length, stale });
  }
  return { mode: 'materialize', request, createdAt: now, assets, steps };
}

export function stepId(assetKey: string, partition: string): string {
  return `${assetKey}\u0000${partition}`;
}

function staleness<R>(
  graph: AssetGraph<R>,
  asset: Asset<R>,
  partition: string,
  current: AssetPartitionState | undefined,
  state: StateIndex,
  planned: ReadonlySet<string>,
  now: Date,
): StaleReason[] {
  if (!current || current.dataVersion === null) {
    return [{ kind: 'never_materialized', message: 'never materialised' }];
  }
  const reasons: StaleReason[] = [];
  if (current.status === 'failed') {
    reasons.push({ kind: 'failed', message: `last attempt failed: ${current.failure ?? 'unknown error'}` });
  }
  if (current.codeVersion !== asset.codeVersion) {
    reasons.push({
      kind: 'code_changed',
      message: `code version changed (${current.codeVersion} → ${asset.codeVersion})`,
    });
  }
  for (const dep of asset.deps) {
    const upstreamState = state.get(dep.key);
    const consumed = current.consumed[dep.key] ?? {};
    let changed = 0;
    let plannedHere = 0;
    for (const upPartition of graph.upstreamPartitions(dep, partition, now)) {
      if (planned.has(stepId(dep.key, upPartition))) plannedHere++;
      else if (upstreamState?.get(upPartition)?.dataVersion !== consumed[upPartition]) changed++;
    }
    if (plannedHere > 0) {
      reasons.push({ kind: 'upstream_planned', message: `upstream ${dep.key} is to be materialised first` });
    } else if (changed > 0) {
      reasons.push({
        kind: 'upstream_changed',
        message: `upstream ${dep.key} has newer data${changed > 1 ? ` in ${changed} partitions` : ''}`,
      });
    }
  }
  return reasons;
}

/** When the freshness policy is violated, the partition that brings the asset up to date. */
function freshnessViolation(
  asset: Pick<Asset, 'freshness' | 'partitions'>,
  own: Map<string, AssetPartitionState> | undefined,
  now: Date,
): { partition: string; reason: StaleReason } | null {
  const freshness = evaluateFreshness(asset, own?.values() ?? [], now);
  if (!freshness?.overdue) return null;
  const message = `freshness policy violated: data must be newer than ${freshness.requiredDataTime.toISOString()} by ${freshness.tick.toISOString()}, has ${freshness.dataTime?.toISOString() ?? 'none'}`;
  const reason: StaleReason = { kind: 'freshness', message };
  if (!asset.partitions) return { partition: UNPARTITIONED, reason };
  const keys = partitionKeys(asset.partitions, {}, now);
  const latest = keys[keys.length - 1];
  return latest === undefined ? null : { partition: latest, reason };
}
