/**
 * Engine benchmark: a synthetic graph of 1,000 no-op assets × 10 daily partitions (layers of 50,
 * each asset reading 1–3 assets of the layer before) planned and run end to end on embedded PGlite
 * and on PostgreSQL; then planning a 10,000-asset graph. Writes bench/results/engine.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type Asset,
  AssetGraph,
  addDays,
  daily,
  defineAsset,
  execute,
  indexStates,
  planFromState,
  planRun,
  type StorageKind,
} from '@vitrina/core';
import { openTestStorage, storageKinds } from '@vitrina/core/testing';

const LAYER = 50;
const PARTITIONS = 10;

/** A deterministic pseudo-random sequence, so every run benchmarks the same graph. */
function random(seed: number) {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
    return state / 2 ** 31;
  };
}

function syntheticGraph(count: number, partitioned: boolean): AssetGraph<null> {
  const next = random(42);
  const today = new Date().toLocaleDateString('sv-SE', { timeZone: 'Europe/Minsk' });
  const partitions = partitioned ? daily(addDays(today, -PARTITIONS), 'Europe/Minsk') : null;
  const assets: Asset<null>[] = [];
  for (let i = 0; i < count; i++) {
    const layer = Math.floor(i / LAYER);
    const deps = new Set<string>();
    if (layer > 0) {
      const wanted = 1 + Math.floor(next() * 3);
      while (deps.size < wanted) deps.add(`bench.a${(layer - 1) * LAYER + Math.floor(next() * LAYER)}`);
    }
    assets.push(
      defineAsset<null>({
        key: `bench.a${i}`,
        description: 'no-op',
        group: `layer_${layer}`,
        storage: 'postgres',
        partitions,
        deps: [...deps],
        codeVersion: 'v1',
        materialize: async () => ({ rows: 0 }),
      }),
    );
  }
  return new AssetGraph(assets);
}

async function time<T>(work: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await work();
  return { ms: performance.now() - started, value };
}

interface Result {
  storage: StorageKind;
  assets: number;
  partitions: number;
  steps: number;
  plan_ms: number;
  run_ms: number;
  overhead_ms_per_step: number;
  replan_ms: number;
  plan_10k_ms: number;
  plan_10k_read_state_ms: number;
  plan_10k_compute_ms: number;
  graph_10k_ms: number;
}

const round = (value: number) => Math.round(value * 100) / 100;

const graph = syntheticGraph(1000, true);
const big = await time(async () => syntheticGraph(10_000, false));
const results: Result[] = [];
for (const kind of storageKinds) {
  const test = await openTestStorage(kind);
  try {
    process.stdout.write(`${kind}: planning 1,000 assets × ${PARTITIONS} days… `);
    const plan = await time(() => planRun(graph, test.storage, { selection: '*' }));
    process.stdout.write(`${plan.value.steps.length} steps in ${round(plan.ms)} ms; running… `);
    const run = await time(() =>
      execute({ graph, plan: plan.value, storage: test.storage, resources: null, pools: {}, maxParallel: 8 }),
    );
    if (run.value.run.status !== 'success') throw new Error(`the benchmark run ${run.value.run.status}`);
    console.log(`${round(run.ms)} ms`);
    const replan = await time(() => planRun(graph, test.storage, { selection: '*' }));
    if (replan.value.steps.length !== 0) throw new Error('a fresh graph should plan nothing');
    const plan10k = await time(() => planRun(big.value, test.storage, { selection: '*' }));
    if (plan10k.value.steps.length !== 10_000) throw new Error('the 10k graph should plan every asset');
    // Where the time goes: reading the state rows versus deciding staleness.
    const state = await time(async () => indexStates(await test.storage.assetPartitions()));
    const compute = await time(async () =>
      planFromState(big.value, new Set(big.value.order), state.value, { selection: '*' }, new Date()),
    );
    const steps = plan.value.steps.length;
    results.push({
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
    });
  } finally {
    await test.dispose();
  }
}

const out = resolve(import.meta.dirname, 'results/engine.json');
mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);

console.log(
  '\nstorage   steps  plan_ms  run_ms  overhead/step  vs 1 ms target  plan_10k_ms  vs 200 ms target  (read state + compute)',
);
for (const r of results) {
  console.log(
    `${r.storage.padEnd(8)}  ${String(r.steps).padStart(5)}  ${String(r.plan_ms).padStart(7)}  ${String(r.run_ms).padStart(6)}  ${`${r.overhead_ms_per_step} ms`.padStart(13)}  ${`×${round(r.overhead_ms_per_step / 1)}`.padStart(14)}  ${String(r.plan_10k_ms).padStart(11)}  ${`×${round(r.plan_10k_ms / 200)}`.padStart(16)}  (${r.plan_10k_read_state_ms} + ${r.plan_10k_compute_ms} ms)`,
  );
}
console.log(`\nwrote ${out}`);
