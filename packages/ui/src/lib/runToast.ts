import type { LiveRun } from '../api/live.ts';
import { plural, shortId } from './format.ts';

/** The run a toast follows, as it was launched. */
export interface FollowedRun {
  id: string;
  /** `Run`, `Check-only run`, `Re-run`. */
  label: string;
  steps: number;
}

/** A followed run's toast: what it says and how it looks, from the run's live state. */
export function runToastText(
  run: FollowedRun,
  live: Pick<LiveRun, 'status' | 'total' | 'done' | 'failed'> | undefined,
): { kind: 'info' | 'success' | 'error'; text: string; finished: boolean } {
  const name = `${run.label} ${shortId(run.id)}`;
  const total = live?.total || run.steps;
  if (!live) return { kind: 'info', text: `${name} started: ${plural(run.steps, 'step')}`, finished: false };
  const failed = live.failed > 0 ? `, ${live.failed} failed` : '';
  switch (live.status) {
    case 'success':
      return { kind: 'success', text: `${name} succeeded: ${plural(total, 'step')}`, finished: true };
    case 'failed':
      return {
        kind: 'error',
        text: `${name} failed: ${live.failed} of ${plural(total, 'step')} did not succeed`,
        finished: true,
      };
    case 'cancelled':
      return {
        kind: 'info',
        text: `${name} cancelled after ${live.done} of ${plural(total, 'step')}`,
        finished: true,
      };
    default:
      return {
        kind: live.failed > 0 ? 'error' : 'info',
        text: `${name} running: ${live.done} of ${plural(total, 'step')} done${failed}`,
        finished: false,
      };
  }
}
