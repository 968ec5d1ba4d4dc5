import type { AssetGraph } from '../graph/assetGraph.ts';
import { latestPartition } from '../partitions/daily.ts';
import type { ActiveRun, StepState } from './activeRun.ts';
import { partitionLabel, queuedStep } from './records.ts';

/**
 * Adds to the run what reads partitions that a step rewrote with new data: every selected asset
 * downstream of them, partition by partition (same-day and window mappings), transitively — so one
 * run brings the days a lookback corrected up to date, not the next one.
 */
export function planDownstreamOf<R>(
  run: ActiveRun<R>,
  graph: AssetGraph<R>,
  selected: ReadonlySet<string>,
  key: string,
  partitions: string[],
): void {
  const now = run.log.now();
  const added: StepState[] = [];
  const queue = partitions.map((partition) => ({ key, partition }));
  for (let next = queue.shift(); next; next = queue.shift()) {
    const upstream = next;
    for (const downKey of graph.downstreamKeys(upstream.key)) {
      if (!selected.has(downKey)) continue;
      const { partitions: days } = graph.get(downKey);
      // A window reaches days after the rewritten one that have not ended yet (a 60-day KPI window
      // of 2026-11-30 reaches 2027-01-28): only days the asset has are added.
      const latest = days ? latestPartition(days, now) : null;
      for (const partition of graph.downstreamPartitions(downKey, upstream.key, upstream.partition)) {
        if (days && (latest === null || partition > latest || partition < days.start)) continue;
        if (run.has(downKey, partition)) continue;
        const reason = `upstream ${partitionLabel(upstream.key, upstream.partition)} was rewritten with new data`;
        added.push(run.add(queuedStep(run.log.runId, downKey, partition, reason)));
        queue.push({ key: downKey, partition });
      }
    }
  }
  run.enqueue(added, now);
}
