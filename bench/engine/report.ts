/** The engine bench's comparison with Dagster: ratios per storage, the targets, the printed table. */
import type { DagsterGraphLoad, DagsterRun } from './dagster.ts';
import type { VitrinaResult } from './vitrina.ts';

/** Dagster's storages as the bench names them; `postgres` is dagster-postgres holding a pool. */
export type DagsterStorage = 'memory' | 'sqlite' | 'postgres' | 'postgres_default';
export type DagsterRuns = Record<DagsterStorage, DagsterRun>;

/** Which Dagster storage each Vitrina storage is compared with, like for like. */
const likeForLike = { pglite: 'sqlite', postgres: 'postgres' } as const;

const ratio = (theirs: number, ours: number) => Math.round((theirs / ours) * 10) / 10;

export function compare(ours: VitrinaResult, dagster: DagsterRuns, graph: DagsterGraphLoad) {
  const against = dagster[likeForLike[ours.storage]];
  return {
    ...ours,
    ratio_vs_dagster: {
      like_for_like_against: likeForLike[ours.storage],
      like_for_like: ratio(against.overhead_ms_per_step, ours.overhead_ms_per_step),
      in_memory: ratio(dagster.memory.overhead_ms_per_step, ours.overhead_ms_per_step),
      ...(ours.storage === 'postgres'
        ? {
            postgres_default: ratio(dagster.postgres_default.overhead_ms_per_step, ours.overhead_ms_per_step),
          }
        : {}),
      graph_10k: ratio(graph.graph_10k_ms, ours.graph_10k_ms),
    },
    peak_rss_vs_dagster: {
      against: likeForLike[ours.storage],
      dagster_peak_rss_mb: against.peak_rss_mb,
      ours_over_theirs: Math.round((ours.peak_rss_mb / against.peak_rss_mb) * 100) / 100,
    },
  };
}
export type Compared = ReturnType<typeof compare>;

const met = (ok: boolean) => (ok ? 'met' : 'MISSED');

export function printReport(results: Compared[], dagster: DagsterRuns, graph: DagsterGraphLoad): void {
  console.log(
    '\nVitrina   steps  plan_ms    run_ms  ms/step (≤ 1 ms)  plan_10k_ms (≤ 200 ms)  (read state + compute)  peak RSS',
  );
  for (const r of results) {
    console.log(
      `${r.storage.padEnd(8)}  ${String(r.steps).padStart(5)}  ${String(r.plan_ms).padStart(7)}  ${String(r.run_ms).padStart(8)}  ${`${r.overhead_ms_per_step} ${met(r.overhead_ms_per_step <= 1)}`.padStart(16)}  ${`${r.plan_10k_ms} ${met(r.plan_10k_ms <= 200)}`.padStart(22)}  ${`(${r.plan_10k_read_state_ms} + ${r.plan_10k_compute_ms} ms)`.padStart(22)}  ${r.peak_rss_mb} MB`,
    );
  }
  console.log(`\nDagster ${graph.version}  days  assets  steps  ms/step  (per run: ms)          peak RSS`);
  for (const [name, run] of Object.entries(dagster)) {
    const label =
      name === 'postgres' ? 'postgres (pooled)' : name === 'postgres_default' ? 'postgres (default)' : name;
    console.log(
      `${label.padEnd(18)}  ${String(run.partitions).padStart(4)}  ${String(run.assets).padStart(6)}  ${String(run.steps).padStart(5)}  ${String(run.overhead_ms_per_step).padStart(7)}  ${`(${run.runs_ms.map(Math.round).join(', ')})`.padEnd(22)}  ${run.peak_rss_mb} MB`,
    );
  }
  console.log(
    `10,000-asset graph load: Dagster ${graph.graph_10k_ms} ms (${graph.peak_rss_mb} MB), Vitrina ${results.map((r) => `${r.graph_10k_ms} ms`).join(' / ')}`,
  );

  console.log('\nDagster ms/step over Vitrina ms/step, in the same run');
  for (const r of results) {
    const v = r.ratio_vs_dagster;
    const memory = r.peak_rss_vs_dagster;
    console.log(
      `${r.storage.padEnd(8)}  vs Dagster on ${v.like_for_like_against}: ×${v.like_for_like} (target ≥ ×100: ${met(v.like_for_like >= 100)})` +
        `  vs Dagster in memory: ×${v.in_memory} (target ≥ ×50: ${met(v.in_memory >= 50)})` +
        ('postgres_default' in v ? `  vs dagster-postgres without a pool: ×${v.postgres_default}` : '') +
        `\n          peak RSS ${r.peak_rss_mb} MB vs Dagster on ${memory.against} ${memory.dagster_peak_rss_mb} MB: ×${memory.ours_over_theirs} (target ≤ ×1: ${met(memory.ours_over_theirs <= 1)})` +
        `  graph load 10k: Dagster ×${v.graph_10k} slower`,
    );
  }
}
