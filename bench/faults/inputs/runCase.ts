import type { Harness } from './harness.ts';
import { type Judgement, judge } from './judge.ts';
import { newRows, quarantinedBy, snapshot } from './snapshot.ts';
import { type CaseSpec, dayScope } from './spec.ts';

export interface CaseResult extends Judgement {
  attempts: number;
  seconds: number;
  /** After the good input was put back and the asset materialised again, the partition is as before. */
  restored: boolean;
}

/**
 * Feeds one bad input through the real stage asset: the partition as the good data left it is
 * snapshotted, the input broken, the asset materialised with force, the outcome judged, the good
 * input put back and the asset materialised again, so the next case starts from good data.
 */
export async function runCase(h: Harness, spec: CaseSpec): Promise<CaseResult> {
  const scope = (spec.scope ?? dayScope(spec.asset))(h);
  const before = await snapshot(h.warehouse, scope);
  const quarantinedBefore = await quarantinedBy(h.warehouse, spec.asset);
  let judged: Judgement;
  let run: Awaited<ReturnType<Harness['run']>>;
  try {
    const settings = await spec.inject(h);
    run = await h.run(spec.asset, settings);
    const after = await snapshot(h.warehouse, scope);
    // The rows this run quarantined that were not in quarantine before: the bad input's.
    const rows = newRows(await quarantinedBy(h.warehouse, spec.asset, run.runId), quarantinedBefore);
    const verified = spec.verify && run.status === 'success' ? await spec.verify(h, run) : null;
    judged = judge(spec, before, after, run, rows, verified);
  } finally {
    await spec.restore(h);
  }
  const again = await h.run(spec.asset);
  const restoredTo = await snapshot(h.warehouse, scope);
  const restored =
    again.status === 'success' &&
    restoredTo.rows === before.rows &&
    restoredTo.checksum === before.checksum &&
    restoredTo.quarantined === before.quarantined;
  return { ...judged, attempts: run.attempts, seconds: run.seconds, restored };
}
