import type { StepContext } from '../definitions/types.ts';
import { partitionWindow } from '../partitions/daily.ts';
import type { StepState } from './activeRun.ts';
import type { ExecuteOptions } from './executor.ts';
import type { RunLog } from './runLog.ts';

/** What `materialize` and the checks of one step (or of a batch, as its newest step) are given. */
export function stepContext<R>(
  options: Pick<ExecuteOptions<R>, 'resources' | 'storage'>,
  log: RunLog,
  state: StepState,
  signal: AbortSignal,
  partitions: readonly string[] = [state.step.partition],
): StepContext<unknown> {
  const { asset, step } = state;
  return {
    key: asset.key,
    partition: step.partition,
    partitions,
    window: asset.partitions && step.partition ? partitionWindow(asset.partitions, step.partition) : null,
    runId: log.runId,
    signal,
    resources: options.resources,
    cursors: options.storage,
    log: (message, level = 'info') => log.emit('log', step, message, { level }),
  };
}
