/** Row counts over time for the asset page's chart. */

import type { AssetDetail } from '../api/types.ts';

export interface RowPoint {
  label: string;
  rows: number;
  at: string;
}

interface Materialization {
  partition: string;
  status: AssetDetail['materializations'][number]['status'];
  finishedAt: string;
  rowCount: number | null;
}

/**
 * A daily asset: the latest successful row count of each day, in day order. An unpartitioned one:
 * each successful materialisation's row count, in time order. At most `limit` points, the newest.
 */
export function rowSeries(
  materializations: readonly Materialization[],
  partitioned: boolean,
  limit = 120,
): RowPoint[] {
  const ok = materializations.filter((m) => m.status === 'success' && m.rowCount !== null);
  if (partitioned) {
    const latest = new Map<string, Materialization>();
    for (const m of ok) {
      const known = latest.get(m.partition);
      if (!known || known.finishedAt < m.finishedAt) latest.set(m.partition, m);
    }
    return [...latest.values()]
      .sort((a, b) => a.partition.localeCompare(b.partition))
      .slice(-limit)
      .map((m) => ({ label: m.partition, rows: m.rowCount!, at: m.finishedAt }));
  }
  return [...ok]
    .sort((a, b) => a.finishedAt.localeCompare(b.finishedAt))
    .slice(-limit)
    .map((m) => ({
      label: m.finishedAt.slice(0, 16).replace('T', ' '),
      rows: m.rowCount!,
      at: m.finishedAt,
    }));
}

/** A "nice" upper bound for an axis: 1, 2, 2.5 or 5 times a power of ten, at least `max`. */
export function niceMax(max: number): number {
  if (max <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= max) return step * power;
  return 10 * power;
}
