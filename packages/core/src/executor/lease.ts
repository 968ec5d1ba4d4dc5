import type { RunStorage } from '../storage/runStorage.ts';
import type { StepState } from './activeRun.ts';
import { partitionLabel } from './records.ts';
import { STALE_AFTER_MS } from './recovery.ts';
import type { RunLog } from './runLog.ts';
import { sleep } from './sleep.ts';

/** How often a step waiting for another run's partition asks again. */
const POLL_MS = 250;

export type LeaseWait = { kind: 'acquired'; waitedFor: string | null } | { kind: 'cancelled' };

/**
 * Takes the step's partition for this run, waiting while another live run materialises it: no two
 * runs write one asset partition at once, across processes and hosts sharing the run storage. The
 * wait is logged once, naming the other run; a dead run's lease is taken over.
 */
export async function leasePartition(
  storage: RunStorage,
  state: StepState,
  log: RunLog,
  signal: AbortSignal,
): Promise<LeaseWait> {
  const { step } = state;
  let waitedFor: string | null = null;
  for (;;) {
    const now = log.now();
    const outcome = await storage.liveness.tryLease(
      { assetKey: step.assetKey, partition: step.partition, runId: log.runId, at: now },
      new Date(now.getTime() - STALE_AFTER_MS),
    );
    if (outcome.acquired) return { kind: 'acquired', waitedFor };
    if (waitedFor === null && outcome.holder) {
      waitedFor = outcome.holder;
      log.emit(
        'log',
        step,
        `waiting: run ${outcome.holder.slice(0, 8)} is materialising ${partitionLabel(step.assetKey, step.partition)}`,
        { level: 'warn', waitingFor: outcome.holder },
      );
    }
    if (!(await sleep(POLL_MS, signal))) return { kind: 'cancelled' };
  }
}
