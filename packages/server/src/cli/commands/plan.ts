import {
  type AssetGraph,
  describeReasons,
  latestPartition,
  type Plan,
  planRequestFrom,
  planRun,
} from '@vitrina/core';
import type { Workspace } from '../../workspace.ts';
import { colour, stepLabel, table } from '../format.ts';
import type { RangeOptions } from '../options.ts';

export async function makePlan(
  workspace: Workspace,
  selection: string,
  options: RangeOptions,
): Promise<Plan> {
  return planRun(workspace.location.graph, workspace.storage, planRequestFrom({ selection, ...options }));
}

export function printPlan(plan: Plan, graph: AssetGraph<unknown>): void {
  const considered = plan.assets.reduce((sum, asset) => sum + asset.partitions, 0);
  const hint = outsideRange(plan, graph);
  if (plan.steps.length === 0) {
    console.log(
      `Nothing to materialise: ${considered} asset partitions of ${plan.assets.length} assets are up to date.`,
    );
    if (hint) console.log(colour.yellow(hint));
    return;
  }
  const rows = plan.steps.map((step) => [
    stepLabel(step.assetKey, step.partition),
    describeReasons(step.reasons),
  ]);
  console.log(table(['STEP', 'WHY'], rows));
  const assets = new Set(plan.steps.map((step) => step.assetKey)).size;
  console.log(
    colour.bold(
      `\n${plan.steps.length} of ${considered} asset partitions to materialise (${assets} assets).`,
    ),
  );
  if (hint) console.log(colour.yellow(hint));
}

/**
 * When a day range left daily assets with no partition at all, which days they do have: a range
 * before the first day (or after the latest complete one) is not "up to date".
 */
function outsideRange(plan: Plan, graph: AssetGraph<unknown>): string | null {
  const { from, to } = plan.request;
  if (!from && !to) return null;
  const days = plan.assets.flatMap(({ key, partitions }) => {
    const definition = graph.get(key).partitions;
    return partitions === 0 && definition
      ? [{ start: definition.start, latest: latestPartition(definition, plan.createdAt) }]
      : [];
  });
  if (days.length === 0) return null;
  const first = days.map((d) => d.start).sort()[0];
  const latest = days
    .flatMap((d) => (d.latest ? [d.latest] : []))
    .sort()
    .at(-1);
  const range = `${from ?? '…'}…${to ?? '…'}`;
  const held = latest
    ? `their days run from ${first} to ${latest}`
    : `none has a complete day yet (the first is ${first})`;
  return `The range ${range} holds no day of ${days.length} selected daily asset${days.length === 1 ? '' : 's'}: ${held}.`;
}

export async function planCommand(
  workspace: Workspace,
  selection: string,
  options: RangeOptions,
): Promise<void> {
  printPlan(await makePlan(workspace, selection, options), workspace.location.graph as AssetGraph<unknown>);
}
