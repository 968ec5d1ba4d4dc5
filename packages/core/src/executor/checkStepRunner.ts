import type { MaterializeResult } from '../definitions/types.ts';
import { errorMessage } from '../errors.ts';
import type { Materialization } from '../storage/records.ts';
import type { ActiveRun, Ending, StepState } from './activeRun.ts';
import { runChecks } from './checks.ts';
import type { ExecuteOptions } from './executor.ts';
import { partitionLabel } from './records.ts';
import { stepContext } from './stepContext.ts';

interface CheckEnding {
  status: Ending;
  /** Why the step did not succeed. */
  error: string | null;
}

/**
 * One step of a check-only run: the asset's checks on the data its partition holds now, given the
 * partition's latest successful materialisation as `materialization`. It writes no materialisation
 * and leaves the partition's state alone (so nothing turns stale); only the check results are
 * recorded, and a failed `error` check fails the step. It takes no lease: it writes nothing, and a
 * partition is replaced atomically, so the checks see either the old data or the new.
 */
export class CheckStepRunner<R> {
  constructor(
    private readonly options: ExecuteOptions<R>,
    private readonly run: ActiveRun<R>,
  ) {}

  async runStep(state: StepState): Promise<void> {
    this.run.begin(state);
    state.step.attempts++;
    const ending = await this.check(state).catch(
      (error: unknown): CheckEnding => ({ status: 'failed', error: errorMessage(error) }),
    );
    this.run.settle(state, ending.status, ending.error);
  }

  private async check(state: StepState): Promise<CheckEnding> {
    const { step, asset } = state;
    const { log, signal } = this.run;
    const stored = await this.options.storage.latestSuccessfulMaterialization(asset.key, step.partition);
    if (!stored) {
      const label = partitionLabel(asset.key, step.partition);
      return { status: 'failed', error: `${label} holds no materialised data to check` };
    }
    step.rowCount = stored.rowCount;
    log.emit('log', step, whatIsChecked(stored), {
      level: 'info',
      materializedBy: stored.runId,
      dataVersion: stored.dataVersion,
    });
    const failure = await runChecks(
      asset,
      step,
      asStepResult(stored),
      () => stepContext(this.options, log, state, signal),
      log,
    );
    if (signal.aborted) return { status: 'cancelled', error: 'cancelled while checking' };
    return failure ? { status: 'failed', error: failure } : { status: 'success', error: null };
  }
}

/** The stored materialisation as the checks see one a step has just written. */
function asStepResult(stored: Materialization): MaterializeResult {
  return {
    metadata: stored.metadata,
    ...(stored.rowCount === null ? {} : { rows: stored.rowCount }),
    ...(stored.dataVersion === null ? {} : { dataVersion: stored.dataVersion }),
  };
}

function whatIsChecked(stored: Materialization): string {
  const rows = stored.rowCount === null ? '' : `, ${stored.rowCount} rows`;
  return `checking the data run ${stored.runId.slice(0, 8)} materialised at ${stored.startedAt.toISOString()}${rows}`;
}
