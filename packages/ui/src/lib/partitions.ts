/** The partition bar: one cell per day, coloured by what is known of that day. */

import type { AssetDetail } from '../api/types.ts';

export type PartitionState = 'fresh' | 'stale' | 'failed' | 'never' | 'running';

export interface PartitionCell {
  partition: string;
  state: PartitionState;
  reason: string | null;
  rowCount: number | null;
  materializedAt: string | null;
}

export const partitionStateLabels: Record<PartitionState, string> = {
  fresh: 'Fresh',
  stale: 'Stale',
  failed: 'Failed',
  never: 'Missing',
  running: 'Running',
};

interface Stored {
  partition: string;
  status: AssetDetail['partitions'][number]['status'];
  rowCount: number | null;
  materializedAt: string | null;
  failure: string | null;
}

/**
 * Cells from what storage holds (materialised or failed partitions) and what the planner would run
 * (stale or never materialised partitions, with reasons), plus the partitions running now.
 */
export function partitionCells(
  stored: readonly Stored[],
  planned: readonly { partition: string; reasons: readonly { message: string }[] }[],
  running: ReadonlySet<string> = new Set(),
): PartitionCell[] {
  const byKey = new Map<string, PartitionCell>();
  for (const state of stored) {
    byKey.set(state.partition, {
      partition: state.partition,
      state: state.status === 'failed' ? 'failed' : 'fresh',
      reason: state.status === 'failed' ? (state.failure ?? 'the last attempt failed') : null,
      rowCount: state.rowCount,
      materializedAt: state.materializedAt,
    });
  }
  for (const step of planned) {
    const reason = step.reasons.map((r) => r.message).join('; ') || null;
    const known = byKey.get(step.partition);
    if (!known) {
      byKey.set(step.partition, {
        partition: step.partition,
        state: 'never',
        reason,
        rowCount: null,
        materializedAt: null,
      });
    } else if (known.state === 'fresh') {
      known.state = 'stale';
      known.reason = reason;
    }
  }
  for (const partition of running) {
    const known = byKey.get(partition);
    if (known) known.state = 'running';
  }
  return [...byKey.values()].sort((a, b) => a.partition.localeCompare(b.partition));
}

/** The inclusive range between two partitions, in order. */
export function partitionRange(a: string, b: string): { from: string; to: string } {
  return a <= b ? { from: a, to: b } : { from: b, to: a };
}

/** How many cells of each state, for the bar's caption. */
export function partitionSummary(cells: readonly PartitionCell[]): Record<PartitionState, number> {
  const summary: Record<PartitionState, number> = { fresh: 0, stale: 0, failed: 0, never: 0, running: 0 };
  for (const cell of cells) summary[cell.state]++;
  return summary;
}
