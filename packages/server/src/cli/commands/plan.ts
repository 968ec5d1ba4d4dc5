import { describeReasons, type Plan, planRequestFrom, planRun } from '@vitrina/core';
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

export function printPlan(plan: Plan): void {
  const considered = plan.assets.reduce((sum, asset) => sum + asset.partitions, 0);
  if (plan.steps.length === 0) {
    console.log(
      `Nothing to materialise: ${considered} asset partitions of ${plan.assets.length} assets are up to date.`,
    );
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
}

export async function planCommand(
  workspace: Workspace,
  selection: string,
  options: RangeOptions,
): Promise<void> {
  printPlan(await makePlan(workspace, selection, options));
}
