import type { ConsumedVersions } from '../storage/records.ts';
import type { ActiveRun, StepState } from './activeRun.ts';
import { type LatestStates, materializationRecords } from './records.ts';

/** Records a step whose materialisation failed (the data of its last success stays described) and ends it. */
export function failStep<R>(
  run: ActiveRun<R>,
  latest: LatestStates,
  state: StepState,
  consumed: ConsumedVersions,
  error: string,
): void {
  const { step, asset } = state;
  const { log } = run;
  const records = materializationRecords(
    {
      runId: log.runId,
      asset,
      partition: step.partition,
      startedAt: step.startedAt!,
      finishedAt: log.now(),
      consumed,
    },
    { status: 'failed', error, previous: latest.get(asset.key, step.partition) },
  );
  latest.set(records.state);
  log.write({ materializations: [records.materialization], assetPartitions: [records.state] });
  run.settle(state, 'failed', error);
}
