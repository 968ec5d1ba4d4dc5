/**
 * Vitrina's side of the engine bench for one run storage, in its own process so that its peak
 * memory is that storage's alone: `node --import tsx bench/engine/vitrina.ts <pglite|postgres>`.
 * Prints one JSON object (VitrinaResult) on stdout as its last line.
 */
import { execute, indexStates, planFromState, planRun, type StorageKind } from '@vitrina/core';
import { openTestStorage, storageKinds } from '@vitrina/core/testing';
import { z } from 'zod';
import { PARTITIONS, syntheticGraph } from './graph.ts';

export const vitrinaResultSchema = z.object({
  storage: z.enum(['pglite', 'postgres']),
  assets: z.number(),
  partitions: z.number(),
  steps: z.number(),
  plan_ms: z.number(),
  run_ms: z.number(),
  overhead_ms_per_step: z.number(),
  replan_ms: z.number(),
  plan_10k_ms: z.number(),
  plan_10k_read_state_ms: z.number(),
  plan_10k_compute_ms: z.number(),
  graph_10k_ms: z.number(),
  peak_rss_mb: z.number(),
  /** The process's resident memory after each stage, to show where the peak comes from. */
  rss_mb_after: z.record(z.string(), z.number()),
});
export type VitrinaResult = z.infer<typeof vitrinaResultSchema>;

const round = (value: number) => Math.round(value * 100) / 100;
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

async function measure(kind: StorageKind): Promise<VitrinaResult> {
  const rss: Record<string, number> = { start: mb(process.memoryUsage.rss()) };
  const graph = syntheticGraph(1000, true);
  const big = await time(async () => syntheticGraph(10_000, false));
  rss.graphs = mb(process.memoryUsage.rss());
  const test = await openTestStorage(kind);
  try {
    rss.storage_open = mb(process.memoryUsage.rss());
    const plan = await time(() => planRun(graph, test.storage, { selection: '*' }));
    rss.plan = mb(process.memoryUsage.rss());
    const run = await time(() =>
      execute({ graph, plan: plan.value, storage: test.storage, resources: null, pools: {}, maxParallel: 8 }),
    );
    if (run.value.run.status !== 'success') throw new Error(`the benchmark run ${run.value.run.status}`);
    rss.run = mb(process.memoryUsage.rss());
    const replan = await time(() => planRun(graph, test.storage, { selection: '*' }));
    if (replan.value.steps.length !== 0) throw new Error('a fresh graph should plan nothing');
    const plan10k = await time(() => planRun(big.value, test.storage, { selection: '*' }));
    if (plan10k.value.steps.length !== 10_000) throw new Error('the 10k graph should plan every asset');
    rss.plan_10k = mb(process.memoryUsage.rss());
    // Where the time goes: reading the state rows versus deciding staleness.
    const state = await time(async () => indexStates(await test.storage.assetPartitions()));
    const compute = await time(async () =>
      planFromState(big.value, new Set(big.value.order), state.value, { selection: '*' }, new Date()),
    );
    const steps = plan.value.steps.length;
    return {
      storage: kind,
      assets: graph.size,
      partitions: PARTITIONS,
      steps,
      plan_ms: round(plan.ms),
      run_ms: round(run.ms),
      overhead_ms_per_step: round(run.ms / steps),
      replan_ms: round(replan.ms),
      plan_10k_ms: round(plan10k.ms),
      plan_10k_read_state_ms: round(state.ms),
      plan_10k_compute_ms: round(compute.ms),
      graph_10k_ms: round(big.ms),
      // maxRSS is in KiB.
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 102.4) / 10,
      rss_mb_after: rss,
    };
  } finally {
    await test.dispose();
  }
}

// Run as a script (the bench's child); imported, it only lends its schema.
if (process.argv[1] === import.meta.filename) {
  const kind = storageKinds.find((candidate) => candidate === process.argv[2]);
  if (!kind) throw new Error(`usage: vitrina.ts <${storageKinds.join('|')}>`);
  console.log(JSON.stringify(await measure(kind)));
}
