/**
 * One day's incremental run, from extraction to the marts, at several scales: for each, the sample
 * company is seeded into fresh source systems for two days, the first day is materialised in full
 * (not measured), then the second day's run — what the 00:30 schedule does — is timed, in total and
 * per layer (from the layer's first step starting to its last step finishing; layers overlap,
 * since a day's bi waits only for its own upstream partitions), with its cost per million payments
 * to show how it grows with the volume. Each scale runs in a process of its own (the location
 * reads its settings when imported). Writes bench/results/daily.json: the standard scale's (100)
 * figures at the top, every scale's in `scales`, each with when and at which commit it was measured;
 * a scale this run does not measure keeps its entry from the file.
 *
 *   BENCH_DAILY_SCALES (10,100,300), BENCH_DAILY_DAY (2026-10-06): the scales and the measured day.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addDays, type Location } from '@vitrina/core';
import { openTestStorage } from '@vitrina/core/testing';
import type { WarehouseResources } from '../packages/assets/src/resources.ts';
import { materializeAll, sampleSystems } from '../packages/assets/src/testing/index.ts';

const DAY = process.env.BENCH_DAILY_DAY ?? '2026-10-06';
const START = addDays(DAY, -1);
const TARGET_S = 30;
const STANDARD_SCALE = 100;
/** The scale a child process measures; unset in the parent, which runs one child per scale. */
const CHILD_SCALE = process.env.BENCH_DAILY_CHILD_SCALE;

const round = (value: number) => Math.round(value * 10) / 10;
const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

interface ScaleResult {
  scale: number;
  measured_at?: string;
  commit?: string;
  payments: number;
  steps: number;
  total_s: number;
  s_per_million_payments: number;
  per_layer_s: Record<string, number>;
  slowest_steps_s: Array<{ asset: string; s: number; rows: number | null }>;
}

if (CHILD_SCALE === undefined) {
  const scales = (process.env.BENCH_DAILY_SCALES ?? '10,100,300').split(',').map(Number);
  const out = resolve(import.meta.dirname, 'results/daily.json');
  const previous: ScaleResult[] = existsSync(out)
    ? ((JSON.parse(readFileSync(out, 'utf8')) as { scales?: ScaleResult[] }).scales ?? [])
    : [];
  const results: ScaleResult[] = previous.filter((entry) => !scales.includes(entry.scale));
  const commit = spawnSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  // Written after every scale, so a run stopped at a large scale keeps the smaller ones.
  const write = () => {
    const standard = results.find((r) => r.scale === STANDARD_SCALE) ?? results.at(-1)!;
    mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ scale: standard.scale, total_s: standard.total_s, target_s: TARGET_S, per_layer_s: standard.per_layer_s, slowest_steps_s: standard.slowest_steps_s, scales: results }, null, 2)}\n`,
    );
  };
  for (const scale of scales) {
    console.log(`\n— scale ${scale} —`);
    const resultFile = join(tmpdir(), `vitrina-bench-daily-${process.pid}-${scale}.json`);
    // The generator holds the company's world in memory: at scale 300 it outgrows Node's default
    // 4 GB heap while seeding (the pipeline itself streams).
    const child = spawnSync(
      process.execPath,
      [...process.execArgv, '--max-old-space-size=16384', import.meta.filename],
      {
        env: { ...process.env, BENCH_DAILY_CHILD_SCALE: String(scale), BENCH_DAILY_RESULT_FILE: resultFile },
        stdio: 'inherit',
        timeout: 40 * 60_000,
      },
    );
    if (child.status !== 0 || !existsSync(resultFile))
      throw new Error(
        `bench daily at scale ${scale} ended with ${child.error?.message ?? `exit code ${child.status}`}`,
      );
    results.push({
      ...(JSON.parse(readFileSync(resultFile, 'utf8')) as ScaleResult),
      measured_at: new Date().toISOString(),
      commit,
    });
    results.sort((a, b) => a.scale - b.scale);
    rmSync(resultFile, { force: true });
    write();
  }
  console.log('\nscale  payments  total   s per million payments');
  for (const r of results)
    console.log(
      `${String(r.scale).padStart(5)}  ${String(r.payments).padStart(8)}  ${`${r.total_s} s`.padStart(7)}  ${r.s_per_million_payments}`,
    );
  console.log(`wrote ${out}`);
  process.exit(0);
}
const SCALE = Number(CHILD_SCALE);

const systems = await sampleSystems({ start: START, prefix: 'bench_daily', clickhouse: true });
const runs = await openTestStorage('postgres');
// The location reads its configuration when it is imported.
Object.assign(process.env, systems.env);
const { default: location } = (await import('../packages/assets/src/index.ts')) as {
  default: Location<WarehouseResources>;
};
const resources = await location.resources.open();
try {
  const materialize = (day: string) =>
    materializeAll({
      graph: location.graph,
      storage: runs.storage,
      resources,
      pools: location.pools,
      request: { selection: '*', from: day, to: day },
      maxParallel: 8,
    });

  console.log(`seeding ${START} and ${DAY} at scale ${SCALE}…`);
  const seeded = await systems.seed({ scale: SCALE, seed: 1 }, START, DAY);
  console.log(`seeded in ${round(seeded.elapsedMs / 1000)} s; materialising ${START} (not measured)…`);
  const first = await materialize(START);
  console.log(
    `${START}: ${first.steps.length} steps in ${round(seconds(first.run.createdAt, first.run.finishedAt!))} s`,
  );

  console.log(`materialising ${DAY}, the measured daily run…`);
  const started = performance.now();
  const day = await materialize(DAY);
  const totalS = (performance.now() - started) / 1000;
  const perLayer: Record<string, number> = {};
  for (const group of [...new Set(day.steps.map((step) => location.graph.get(step.assetKey).group))]) {
    const steps = day.steps.filter((step) => location.graph.get(step.assetKey).group === group);
    const from = Math.min(...steps.map((step) => step.startedAt!.getTime()));
    const to = Math.max(...steps.map((step) => step.finishedAt!.getTime()));
    perLayer[group] = round((to - from) / 1000);
  }
  // Where the time goes: the longest steps of the day.
  const slowest = day.steps
    .map((step) => ({
      asset: step.assetKey,
      s: round((step.finishedAt!.getTime() - step.startedAt!.getTime()) / 1000),
      rows: step.rowCount,
    }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 12);
  const payments = day.steps.find((step) => step.assetKey === 'stage.payments')?.rowCount ?? 0;
  const result: ScaleResult = {
    scale: SCALE,
    payments,
    steps: day.steps.length,
    total_s: round(totalS),
    s_per_million_payments: round(totalS / Math.max(payments / 1e6, 1e-6)),
    per_layer_s: perLayer,
    slowest_steps_s: slowest,
  };
  console.log(
    `${DAY}: ${day.steps.length} steps, ${payments} payments, in ${result.total_s} s (target at scale ${STANDARD_SCALE} ≤ ${TARGET_S} s): ${JSON.stringify(perLayer)}`,
  );
  console.log(`slowest steps: ${slowest.map((step) => `${step.asset} ${step.s} s`).join(', ')}`);
  writeFileSync(process.env.BENCH_DAILY_RESULT_FILE!, JSON.stringify(result));
} finally {
  await location.resources.close(resources);
  await runs.dispose();
  await systems.drop();
}
