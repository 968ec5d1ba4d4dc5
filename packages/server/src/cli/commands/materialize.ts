import { type AssetGraph, planRerun } from '@vitrina/core';
import type { Workspace } from '../../workspace.ts';
import type { RangeOptions } from '../options.ts';
import { runWithProgress } from '../runWithProgress.ts';
import { makePlan, printPlan } from './plan.ts';

/** Materialises the stale partitions of a selection; resolves to the process exit code. */
export async function materializeCommand(
  workspace: Workspace,
  selection: string,
  options: RangeOptions,
): Promise<number> {
  const plan = await makePlan(workspace, selection, options);
  if (plan.steps.length === 0) {
    printPlan(plan, workspace.location.graph as AssetGraph<unknown>);
    return 0;
  }
  return runWithProgress(workspace, plan, {});
}

/** Runs again what did not succeed in a finished run (only its checks, for a check-only run). */
export async function rerunCommand(workspace: Workspace, runId: string): Promise<number> {
  const { parent, plan } = await planRerun(workspace.location.graph, workspace.storage, runId);
  if (plan.steps.length === 0) {
    console.log(`Every step of run ${parent.id} succeeded: nothing to re-run.`);
    return 0;
  }
  return runWithProgress(workspace, plan, { parentRunId: parent.id });
}
