/**
 * One day's incremental run at the standard scale, from extraction to the marts: the sample
 * company is seeded into fresh source systems for two days, the first day is materialised in full
 * (not measured), then the second day's run — what the 00:30 schedule does — is timed, in total and
 * per layer (from the layer's first step starting to its last step finishing; layers overlap,
 * since a day's bi waits only for its own upstream partitions). Writes bench/results/daily.json.
 *
 *   BENCH_DAILY_SCALE (100), BENCH_DAILY_DAY (2026-10-06): the scale and the measured day.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { addDays, execute, type Location, planRun, type RunOutcome } from '@vitrina/core';
import { openTestStorage, tempDatabase, tempMysqlDatabase } from '@vitrina/core/testing';
import type { WarehouseResources } from '../packages/assets/src/resources.ts';

const SCALE = Number(process.env.BENCH_DAILY_SCALE ?? 100);
const DAY = process.env.BENCH_DAILY_DAY ?? '2026-10-06';
const START = addDays(DAY, -1);
const TARGET_S = 60;

const round = (value: number) => Math.round(value * 10) / 10;
const seconds = (from: Date, to: Date) => (to.getTime() - from.getTime()) / 1000;

const [payments, registry, crm, warehouse] = await Promise.all([
  tempDatabase('bench_payments'),
  tempDatabase('bench_registry'),
  tempMysqlDatabase('bench_bitrix'),
  tempDatabase('bench_warehouse'),
]);
const runs = await openTestStorage('postgres');
const folder = mkdtempSync(join(tmpdir(), 'vitrina-daily-'));
const mart = `bench_mart_${process.pid}`;
Object.assign(process.env, {
  VITRINA_WAREHOUSE_URL: warehouse.url,
  VITRINA_PAYMENTS_URL: payments.url,
  VITRINA_REGISTRY_URL: registry.url,
  VITRINA_CRM_URL: crm.url,
  VITRINA_CLICKHOUSE_URL: `${process.env.VITRINA_TEST_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123'}/${mart}`,
  VITRINA_INBOX: join(folder, 'inbox'),
  VITRINA_REPLAY_FIXTURES: join(folder, 'replay'),
  VITRINA_START: START,
});
// The location reads its configuration when it is imported.
const { default: location } = (await import('../packages/assets/src/index.ts')) as {
  default: Location<WarehouseResources>;
};
const { seedCompany } = await import('../packages/assets/src/company/index.ts');
const { loadWarehouseConfig } = await import('../packages/assets/src/config.ts');
const config = loadWarehouseConfig();
const resources = await location.resources.open();
try {
  const targets = {
    crmUrl: crm.url,
    paymentsUrl: payments.url,
    registryUrl: registry.url,
    inbox: config.VITRINA_INBOX,
    replay: config.VITRINA_REPLAY_FIXTURES,
  };
  const materialize = async (day: string): Promise<RunOutcome> => {
    const plan = await planRun(location.graph, runs.storage, { selection: '*', from: day, to: day });
    const outcome = await execute({
      graph: location.graph,
      plan,
      storage: runs.storage,
      resources,
      pools: location.pools,
      maxParallel: 8,
    });
    const failed = outcome.steps.filter((step) => step.status !== 'success');
    if (failed.length > 0)
      throw new Error(
        `the run of ${day} failed: ${failed.map((s) => `${s.assetKey} ${s.partition}: ${s.error}`).join('; ')}`,
      );
    return outcome;
  };

  console.log(`seeding ${START} and ${DAY} at scale ${SCALE}…`);
  const seeded = await seedCompany(targets, { scale: SCALE, seed: 1, from: START, to: DAY, start: START });
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
  await resources.clickhouse.query(`DROP DATABASE IF EXISTS ${mart}`).catch(() => {});
  await Promise.all([payments.drop(), registry.drop(), crm.drop(), warehouse.drop()]);
  rmSync(folder, { recursive: true, force: true });
}
