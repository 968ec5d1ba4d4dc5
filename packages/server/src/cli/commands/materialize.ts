import { countByStatus, newRunId, type Plan, planRerun, RunLauncher, type RunOutcome } from '@vitrina/core';
import type { Workspace } from '../../workspace.ts';
import { colour, duration, stepLabel, table } from '../format.ts';
import type { RangeOptions } from '../options.ts';
import { Progress } from '../progress.ts';
import { handleShutdown } from '../shutdown.ts';
import { makePlan, printPlan } from './plan.ts';

/** Materialises the stale partitions of a selection; resolves to the process exit code. */
export async function materializeCommand(
  workspace: Workspace,
  selection: string,
  options: RangeOptions,
): Promise<number> {
  const plan = await makePlan(workspace, selection, options);
  if (plan.steps.length === 0) {
    printPlan(plan);
    return 0;
  }
  return runPlan(workspace, plan, {});
}

/** Runs again what did not succeed in a finished run. */
export async function rerunCommand(workspace: Workspace, runId: string): Promise<number> {
  const { parent, plan } = await planRerun(workspace.location.graph, workspace.storage, runId);
  if (plan.steps.length === 0) {
    console.log(`Every step of run ${parent.id} succeeded: nothing to re-run.`);
    return 0;
  }
  return runPlan(workspace, plan, { parentRunId: parent.id });
}

async function runPlan(workspace: Workspace, plan: Plan, options: { parentRunId?: string }): Promise<number> {
  const { location, storage, pools, config } = workspace;
  const launcher = new RunLauncher({ location, storage, pools, maxParallel: config.maxParallel });
  const runId = newRunId();
  const progress = new Progress(runId, plan.steps.length);
  launcher.bus.subscribe(runId, progress.onEvent);
  const shutdown = handleShutdown({
    storage,
    runIds: () => launcher.activeRunIds(),
    stop: (signal) => {
      launcher.cancel(runId, `cancelled by ${signal === 'SIGINT' ? 'the user (Ctrl-C)' : signal}`);
    },
  });
  let outcome: RunOutcome;
  try {
    outcome = await launcher.launch(plan, {
      runId,
      trigger: options.parentRunId ? 'rerun' : 'manual',
      parentRunId: options.parentRunId ?? null,
    }).done;
  } finally {
    progress.stop();
    await launcher.close();
    shutdown.dispose();
  }
  printOutcome(outcome);
  return outcome.run.status === 'success' ? 0 : 1;
}

function printOutcome({ run, steps }: RunOutcome): void {
  const problems = steps.filter((step) => step.status !== 'success');
  if (problems.length > 0) {
    console.log(
      `\n${table(
        ['STEP', 'STATUS', 'WHY'],
        problems
          .slice(0, 30)
          .map((step) => [stepLabel(step.assetKey, step.partition), step.status, step.error ?? '']),
      )}`,
    );
    if (problems.length > 30)
      console.log(colour.dim(`… and ${problems.length - 30} more (vitrina run ${run.id})`));
  }
  const counts = countByStatus(steps);
  const took = duration((run.finishedAt ?? new Date()).getTime() - run.createdAt.getTime());
  const summary = `run ${run.id} ${run.status} in ${took}: ${counts.success} succeeded, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.cancelled} cancelled`;
  console.log(`\n${run.status === 'success' ? colour.green(summary) : colour.red(summary)}`);
  if (run.status !== 'success')
    console.log(colour.dim(`re-run what did not succeed: pnpm vitrina rerun ${run.id.slice(0, 8)}`));
}
