import { planChecks, planRequestFrom } from '@vitrina/core';
import type { Workspace } from '../../workspace.ts';
import { colour } from '../format.ts';
import type { DayOptions } from '../options.ts';
import { runWithProgress } from '../runWithProgress.ts';

/**
 * Runs the checks of a selection on the data it holds now, materialising nothing (dbt's `test`);
 * resolves to the exit code: 1 when an `error` check failed (or the run was cancelled), else 0.
 */
export async function testCommand(
  workspace: Workspace,
  selection: string,
  options: DayOptions,
): Promise<number> {
  const request = planRequestFrom({ selection, ...options });
  const plan = await planChecks(workspace.location.graph, workspace.storage, request);
  for (const { reason } of plan.untested) console.log(colour.dim(`nothing to test: ${reason}`));
  if (plan.steps.length === 0) {
    console.log('Nothing to test: no selected asset with checks holds materialised data.');
    return 0;
  }
  const checks = plan.steps.reduce(
    (sum, step) => sum + workspace.location.graph.get(step.assetKey).checks.length,
    0,
  );
  console.log(
    colour.bold(`Testing ${plan.steps.length} asset partitions (${checks} checks); nothing is materialised.`),
  );
  return runWithProgress(workspace, plan, {});
}
