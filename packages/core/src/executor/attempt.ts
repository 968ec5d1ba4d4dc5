import type { Asset, MaterializeResult, StepContext } from '../definitions/types.ts';
import { errorMessage } from '../errors.ts';
import type { Step } from '../storage/records.ts';
import type { RunLog } from './runLog.ts';
import { sleep } from './sleep.ts';
import { backoffDelay, isTransient } from './transient.ts';

export type AttemptOutcome =
  | { kind: 'materialized'; result: MaterializeResult }
  | { kind: 'failed'; error: string }
  | { kind: 'cancelled'; why: string };

export interface AttemptOptions {
  /** The run's signal: aborting it ends the attempt under way and any wait before the next. */
  signal: AbortSignal;
  log: RunLog;
  context: (signal: AbortSignal) => StepContext<unknown>;
}

/**
 * Materialises a step, retrying transient errors with exponential backoff; data errors fail at once.
 * Counts the attempts on the step.
 */
export async function materializeWithRetries(
  asset: Asset<unknown>,
  step: Step,
  { signal, log, context }: AttemptOptions,
): Promise<AttemptOutcome> {
  for (;;) {
    step.attempts++;
    try {
      const result = await attemptOnce(asset, step.attempts, signal, context);
      return { kind: 'materialized', result: result ?? {} };
    } catch (error) {
      if (signal.aborted) return { kind: 'cancelled', why: 'cancelled while running' };
      const retriesLeft = asset.retry.maxRetries - (step.attempts - 1);
      if (!isTransient(error) || retriesLeft <= 0) return { kind: 'failed', error: errorMessage(error) };
      const delay = backoffDelay(asset.retry, step.attempts);
      log.emit(
        'step_retry',
        step,
        `attempt ${step.attempts} failed (${errorMessage(error)}); retrying in ${delay} ms`,
        { attempt: step.attempts, delayMs: delay, error: errorMessage(error) },
      );
      if (!(await sleep(delay, signal)))
        return { kind: 'cancelled', why: 'cancelled while waiting to retry' };
    }
  }
}

/** One attempt, ended by the asset's timeout or the run's signal, whichever comes first. */
async function attemptOnce(
  asset: Asset<unknown>,
  attempt: number,
  runSignal: AbortSignal,
  context: (signal: AbortSignal) => StepContext<unknown>,
): Promise<MaterializeResult | undefined> {
  const controller = new AbortController();
  const forward = () => controller.abort(runSignal.reason);
  runSignal.addEventListener('abort', forward, { once: true });
  const timer =
    asset.timeoutMs === null
      ? null
      : setTimeout(() => {
          const timeout = new Error(`timed out after ${asset.timeoutMs} ms`);
          timeout.name = 'TimeoutError';
          controller.abort(timeout);
        }, asset.timeoutMs);
  try {
    const work = asset.materialize!({ ...context(controller.signal), attempt });
    // A step that ignores its signal still ends the attempt when aborted.
    return await Promise.race([work, rejectOnAbort(controller.signal)]);
  } finally {
    if (timer) clearTimeout(timer);
    runSignal.removeEventListener('abort', forward);
  }
}

function rejectOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    const fail = () => reject(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    if (signal.aborted) fail();
    else signal.addEventListener('abort', fail, { once: true });
  });
}
