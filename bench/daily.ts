/**
 * One day's incremental run at the standard scale, from extraction to the marts: the sample
 * company is seeded into fresh source systems for two days, the first day is materialised in full
 * (not measured), then the second day's run — what the 00:30 schedule does — is timed, in total and
 * per layer (from the layer's first step starting to its last step finishing; layers overlap,
 * since a day's bi waits only for its own upstream partitions). Writes bench/results/daily.json.
 *
 *   BENCH_DAILY_SCALE (100), BENCH_DAILY_DAY (2026-10-06): the scale and the measured day.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { addDays, type Location } from '@vitrina/core';
import { openTestStorage } from '@vitrina/core/testing';
import type { WarehouseResources } from '../packages/assets/src/resources.ts';
import { materializeAll, sampleSystems } from '../packages/assets/src/testing/index.ts';

const SCALE = Number(process.env.BENCH_DAILY_SCALE ?? 100);
const DAY = process.env.BENCH_DAILY_DAY ?? '2026-10-06';
const START = addDays(DAY, -1);
const TARGET_S = 60;

const round = (value: number) => Math.round(value * 10) / 10;
const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

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
    }))
    .sort((a, b) => b.s - a.s)
    .slice(0, 12);
  const result = { scale: SCALE, total_s: round(totalS), per_layer_s: perLayer, slowest_steps_s: slowest };
  console.log(
    `${DAY}: ${day.steps.length} steps in ${result.total_s} s (target ≤ ${TARGET_S} s): ${JSON.stringify(perLayer)}`,
  );
  console.log(`slowest steps: ${slowest.map((step) => `${step.asset} ${step.s} s`).join(', ')}`);
  const out = resolve(import.meta.dirname, 'results/daily.json');
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(out, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`wrote ${out}`);
} finally {
  await location.resources.close(resources);
  await runs.dispose();
  await systems.drop();
}
