/**
 * Vitrina's side of the engine bench for one run storage, in its own process so that its peak
 * memory is that storage's alone: `node --import tsx bench/engine/vitrina.ts <pglite|postgres>`.
 * Prints one JSON object (VitrinaResult) on stdout as its last line.
 *
 * The embedded store is created first by a process of its own (`… vitrina.ts --create <home>`), as
 * the first `vitrina dev` of a project does once: PGlite's initdb holds ~800 MB while it runs, which
 * it gives back on close, and every later process opens the existing store (~290 MB).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execute, indexStates, planFromState, planRun, RunStorage, type StorageKind } from '@vitrina/core';
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
  /** Of the process that created the embedded store (null on PostgreSQL, whose database exists). */
  store_create_peak_rss_mb: z.number().nullable(),
  /** The process's resident memory after each stage, to show where the peak comes from. */
  rss_mb_after: z.record(z.string(), z.number()),
});
export type VitrinaResult = z.infer<typeof vitrinaResultSchema>;

const round = (value: number) => Math.round(value * 100) / 100;
const mb = (bytes: number) => Math.round(bytes / 1024 / 102.4) / 10;
// maxRSS is in KiB.
const peakRssMb = () => Math.round(process.resourceUsage().maxRSS / 102.4) / 10;

interface Opened {
  storage: RunStorage;
  createPeakRssMb: number | null;
  dispose: () => Promise<void>;
}

/** The run storage to measure: on PGlite, an existing store created by another process. */
async function openStorage(kind: StorageKind): Promise<Opened> {
  if (kind === 'postgres') return { ...(await openTestStorage(kind)), createPeakRssMb: null };
  const home = mkdtempSync(join(tmpdir(), 'vitrina-bench-engine-store-'));
  const created = spawnSync(process.execPath, [...process.execArgv, import.meta.filename, '--create', home], {
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (created.status !== 0) throw new Error(`creating the embedded store failed: ${created.stderr}`);
  const storage = await RunStorage.open({ home });
  return {
    storage,
    createPeakRssMb: Number(created.stdout.trim().split('\n').at(-1)),
    dispose: async () => {
      await storage.close();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

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
  const test = await openStorage(kind);
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
      peak_rss_mb: peakRssMb(),
      store_create_peak_rss_mb: test.createPeakRssMb,
      rss_mb_after: rss,
    };
  } finally {
    await test.dispose();
  }
}

// Run as a script (the bench's child); imported, it only lends its schema.
if (process.argv[1] === import.meta.filename && process.argv[2] === '--create') {
  const storage = await RunStorage.open({ home: process.argv[3]! });
  await storage.close();
  console.log(peakRssMb());
} else if (process.argv[1] === import.meta.filename) {
  const kind = storageKinds.find((candidate) => candidate === process.argv[2]);
  if (!kind) throw new Error(`usage: vitrina.ts <${storageKinds.join('|')}>`);
  console.log(JSON.stringify(await measure(kind)));
}
