import { createHash } from 'node:crypto';
import { AssetGraph } from '@vitrina/core';
import { openTestStorage, type TestStorage } from '@vitrina/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { biAssets } from '../../src/bi/index.ts';
import { dimensionAssets } from '../../src/dimension/index.ts';
import { martAssets } from '../../src/marts/index.ts';
import { openResources, type WarehouseResources } from '../../src/resources.ts';
import { stageAssets } from '../../src/stage/index.ts';
import { materializeAll, type SampleSystems, sampleSystems } from '../../src/testing/index.ts';
import { dailyKpisFromGenerator } from '../warehouse/kpisFromGenerator.ts';
import { appDaysFromGenerator } from './appFromGenerator.ts';

/**
 * The whole graph on the real servers, from `seedCompany` into the source systems to the
 * ClickHouse marts, in one run: every mart filled and reconciled with PostgreSQL, the marts' daily
 * KPIs equal to the ones computed from the generator's raw rows, and a forced re-run leaving the
 * marts exactly as they were.
 */
const DAYS = ['2026-10-05', '2026-10-06', '2026-10-07'] as const;
const COMPANY = { seed: 11, scale: 1, start: DAYS[0] };
const POOLS = { crm: 1, payments: 1, registry: 1, files: 1, api: 2, warehouse: 4, transfer: 3 };

let systems: SampleSystems;
let mart: string;
let runs: TestStorage;
let resources: WarehouseResources;
let graph: AssetGraph<WarehouseResources>;

beforeAll(async () => {
  systems = await sampleSystems({ start: DAYS[0], prefix: 'vitrina_pipeline', clickhouse: true });
  await systems.seed(COMPANY, DAYS[0], DAYS[2]);
  runs = await openTestStorage('pglite');
  resources = await openResources(systems.config);
  mart = resources.clickhouse.database;
  const start = DAYS[0];
  graph = new AssetGraph([
    ...stageAssets(start),
    ...dimensionAssets(start),
    ...biAssets(start),
    ...martAssets(start),
  ]);
}, 180_000);

afterAll(async () => {
  await resources?.close();
  await runs?.dispose();
  await systems?.drop();
});

const materialize = (force = false) =>
  materializeAll({
    graph,
    storage: runs.storage,
    resources,
    pools: POOLS,
    request: { selection: '*', from: DAYS[0], to: DAYS[2], force },
  });

const martKeys = () =>
  graph
    .assets()
    .filter((asset) => asset.group === 'marts')
    .map((a) => a.key);

/** Every row of each mart table, sorted, hashed: the marts are small at scale 1. */

/** Every row of each mart table, sorted, hashed: the marts are small at scale 1. */
async function martChecksums(): Promise<Record<string, string>> {
  const sums: Record<string, string> = {};
  for (const key of martKeys()) {
    const dump = await resources.clickhouse.text(`SELECT * FROM ${mart}.${key.slice('mart.'.length)}`);
    const lines = dump.split('\n').filter(Boolean).sort();
    sums[key] = `${lines.length}:${createHash('md5').update(lines.join('\n')).digest('hex')}`;
  }
  return sums;
}

describe('seed → stage → dimension → bi → marts, in one run', () => {
  let first: Record<string, string>;

  it('fills every mart and reconciles each with PostgreSQL', async () => {
    const outcome = await materialize();
    expect(martKeys().length).toBeGreaterThan(10);
    first = await martChecksums();
    const empty = Object.entries(first).filter(([, sum]) => sum.startsWith('0:'));
    expect(empty.map(([key]) => key)).toEqual([]);
    const checks = await runs.storage.checkResults({ runId: outcome.run.id, limit: 10_000 });
    const reconciled = checks.filter((check) => check.checkName === 'reconciled_with_postgres');
    expect(reconciled.length).toBeGreaterThanOrEqual(martKeys().length);
    expect(reconciled.filter((check) => !check.passed)).toEqual([]);
  }, 300_000);

  it("serves the daily KPIs the generator's raw rows imply, to the kopeck", async () => {
    const expected = dailyKpisFromGenerator(COMPANY, [...DAYS]);
    const stored = await resources.clickhouse.rows<Record<string, string | number>>(
      `SELECT toString(day) AS day, dau, wau, mau, transactions, paying_users, churned_users, churn_base_users,
         toString(turnover_byn) AS turnover_byn, toString(revenue_byn) AS revenue_byn, toString(cashback_byn) AS cashback_byn
       FROM ${mart}.kpi_daily ORDER BY day`,
    );
    const money = (value: string | number) => Number(value).toFixed(2);
    expect(
      stored.map((row) => ({
        day: row.day,
        dau: Number(row.dau),
        wau: Number(row.wau),
        mau: Number(row.mau),
        transactions: Number(row.transactions),
        paying_users: Number(row.paying_users),
        churned_users: Number(row.churned_users),
        churn_base_users: Number(row.churn_base_users),
        turnover_byn: money(row.turnover_byn!),
        revenue_byn: money(row.revenue_byn!),
        cashback_byn: money(row.cashback_byn!),
      })),
    ).toEqual(
      expected.map((kpi) => ({
        day: kpi.day,
        dau: kpi.dau,
        wau: kpi.wau,
        mau: kpi.mau,
        transactions: kpi.transactions,
        paying_users: kpi.paying_users,
        churned_users: kpi.churned_users,
        churn_base_users: kpi.churn_base_users,
        turnover_byn: money(kpi.turnover_byn),
        revenue_byn: money(kpi.revenue_byn),
        cashback_byn: money(kpi.cashback_byn),
      })),
    );
  });

  it("serves the app's sessions, screen views and crashes per OS and version as the generator wrote them", async () => {
    const stored = await resources.clickhouse.rows<Record<string, string>>(
      `SELECT toString(day) AS day, device_os, app_version, toString(sessions) AS sessions,
         toString(screen_views) AS screen_views, toString(crashes) AS crashes
       FROM ${mart}.app_daily ORDER BY day, device_os, app_version`,
    );
    const expected = appDaysFromGenerator(COMPANY, [...DAYS]);
    expect(expected.some((row) => row.crashes > 0)).toBe(true);
    expect(
      stored.map((row) => ({
        ...row,
        sessions: Number(row.sessions),
        screen_views: Number(row.screen_views),
        crashes: Number(row.crashes),
      })),
    ).toEqual(expected);
  });

  it('leaves every mart exactly as it was when the whole graph is forced again', async () => {
    await materialize(true);
    // mart.freshness says how long ago each asset was materialised: a re-run changes it by design.
    const { 'mart.freshness': _before, ...expected } = first;
    const { 'mart.freshness': _after, ...again } = await martChecksums();
    expect(again).toEqual(expected);
    expect(Object.keys(again).length).toBeGreaterThan(10);
  }, 300_000);
});
