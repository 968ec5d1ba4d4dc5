import {
  type CheckResultRecord,
  countByStatus,
  newRunId,
  type Plan,
  RunLauncher,
  type RunOutcome,
} from '@vitrina/core';
import type { Workspace } from '../workspace.ts';
import { colour, duration, stepLabel, table } from './format.ts';
import { Progress } from './progress.ts';
import { handleShutdown } from './shutdown.ts';

/** How many problem steps, and failed checks, the outcome lists before pointing at `vitrina run`. */
const LISTED = 30;

/**
 * Runs a plan with the live board, Ctrl-C cancelling it, then prints what did not succeed, the
 * checks that failed and the summary; resolves to the exit code: 1 unless the run succeeded.
 */
export async function runWithProgress(
  workspace: Workspace,
  plan: Plan,
  options: { parentRunId?: string },
): Promise<number> {
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
  const failedChecks = await storage.checkResults({ runId, passed: false, limit: 10_000 });
  printOutcome(outcome, failedChecks.reverse());
  return outcome.run.status === 'success' ? 0 : 1;
}

function printOutcome({ run, steps }: RunOutcome, failedChecks: CheckResultRecord[]): void {
  const problems = steps.filter((step) => step.status !== 'success');
  if (problems.length > 0) {
    console.log(
      `\n${table(
        ['STEP', 'STATUS', 'WHY'],
        problems
          .slice(0, LISTED)
          .map((step) => [stepLabel(step.assetKey, step.partition), step.status, step.error ?? '']),
      )}`,
    );
    if (problems.length > LISTED)
      console.log(colour.dim(`… and ${problems.length - LISTED} more (vitrina run ${run.id})`));
  }
  if (failedChecks.length > 0) {
    console.log(
      `\n${table(
        ['FAILED CHECK', 'OF', 'SEVERITY', 'MESSAGE'],
        failedChecks
          .slice(0, LISTED)
          .map((check) => [
            check.checkName,
            stepLabel(check.assetKey, check.partition),
            check.severity === 'error' ? colour.red(check.severity) : colour.yellow(check.severity),
            check.message ?? '',
          ]),
      )}`,
    );
    if (failedChecks.length > LISTED)
      console.log(colour.dim(`… and ${failedChecks.length - LISTED} more (vitrina run ${run.id})`));
  }
  const counts = countByStatus(steps);
  const took = duration((run.finishedAt ?? new Date()).getTime() - run.createdAt.getTime());
  const summary = `run ${run.id} ${run.status} in ${took}: ${counts.success} succeeded, ${counts.failed} failed, ${counts.blocked} blocked, ${counts.cancelled} cancelled`;
  console.log(`\n${run.status === 'success' ? colour.green(summary) : colour.red(summary)}`);
  if (run.status !== 'success')
    console.log(colour.dim(`re-run what did not succeed: vitrina rerun ${run.id.slice(0, 8)}`));
}
