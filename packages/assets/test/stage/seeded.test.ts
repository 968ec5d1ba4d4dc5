import { AssetGraph } from '@vitrina/core';
import { openTestStorage, type TestStorage } from '@vitrina/core/testing';
import type { SeedSummary } from '@vitrina/sample-company';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openResources, type WarehouseResources } from '../../src/resources.ts';
import { stageAssets } from '../../src/stage/index.ts';
import { materializeAll, type SampleSystems, sampleSystems } from '../../src/testing/index.ts';

/**
 * The sample company seeded into the real source systems, then the whole stage layer loaded day
 * by day: what the source holds reconciles with what stage and the quarantine hold, and the bad
 * rows quarantined are exactly the ones the generator says it injected.
 */
const DAYS = ['2026-10-05', '2026-10-06', '2026-10-07'] as const;
let systems: SampleSystems;
let runs: TestStorage;
let resources: WarehouseResources;
let graph: AssetGraph<WarehouseResources>;
let source: pg.Pool;
let warehouse: pg.Pool;
const seed = (from: string, to: string) => systems.seed({ scale: 1, seed: 7 }, from, to);

beforeAll(async () => {
  systems = await sampleSystems({ start: DAYS[0], prefix: 'vitrina_seeded' });
  runs = await openTestStorage('pglite');
  await seed(DAYS[0], DAYS[1]);
  // A card linked long before the first day, its bank mis-decoded upstream: the first load's
  // quarantine holds it, and a later re-run of that day must not forget it.
  const payments = new pg.Client({ connectionString: systems.config.VITRINA_PAYMENTS_URL });
  await payments.connect();
  await payments.query(
    `insert into core.cards values (990001, 1, '4255 19** **** 7646', 'visa', 'М\uFFFDБанк', '2026-06-02 22:00:23', 'active', '2026-06-02 22:00:23')`,
  );
  await payments.end();
  resources = await openResources(systems.config);
  graph = new AssetGraph(stageAssets(DAYS[0]));
  source = new pg.Pool({ connectionString: systems.config.VITRINA_PAYMENTS_URL });
  warehouse = new pg.Pool({ connectionString: systems.config.VITRINA_WAREHOUSE_URL });
}, 120_000);

afterAll(async () => {
  await resources?.close();
  await Promise.all([source?.end(), warehouse?.end()]);
  await runs?.dispose();
  await systems?.drop();
});

const materialize = (to: string) =>
  materializeAll({
    graph,
    storage: runs.storage,
    resources,
    pools: { crm: 1, payments: 1, registry: 1, files: 1, api: 2 },
    request: { selection: 'group:stage', from: DAYS[0], to },
  });

const one = async (pool: pg.Pool, sql: string, params: unknown[] = []) =>
  Number(Object.values((await pool.query(sql, params)).rows[0] as object)[0]);

/** Bad rows the seeds injected into one table or file family, over the days given. */
function injected(summaries: SeedSummary[], table: RegExp): number {
  let total = 0;
  for (const summary of summaries)
    for (const day of summary.days)
      for (const counts of day.tables)
        if (table.test(counts.table)) for (const n of Object.values(counts.bad)) total += n ?? 0;
  return total;
}

describe('seeded company → stage, day by day', () => {
  const summaries: SeedSummary[] = [];

  it('reconciles the first days: source rows = stage rows + quarantined rows, and only injected rows are quarantined', async () => {
    summaries.push(await seed(DAYS[0], DAYS[1])); // re-seeding is idempotent: the same days again
    await materialize(DAYS[1]);
    const window = [DAYS[0], DAYS[1]];
    const sourceRows = await one(
      source,
      'select count(*) from core.transactions where trans_date >= $1::date and trans_date < $2::date + 1',
      window,
    );
    const staged = await one(warehouse, 'select count(*) from stage.payments');
    const quarantined = await one(
      warehouse,
      "select count(*) from quarantine.rows where asset = 'stage.payments'",
    );
    expect(staged + quarantined).toBe(sourceRows);
    expect(quarantined).toBe(injected(summaries, /^core\.transactions$/));
    expect(quarantined).toBeGreaterThan(0);
    expect(
      await one(warehouse, "select count(*) from quarantine.rows where asset = 'stage.app_events'"),
    ).toBe(injected(summaries, /^logs\//));
    expect(
      await one(warehouse, "select count(*) from quarantine.rows where asset = 'stage.partner_sales'"),
    ).toBe(injected(summaries, /^partner_sales\//));
  });

  it('loads the next seeded day incrementally: late rows land on their own days, the totals still reconcile', async () => {
    summaries.push(await seed(DAYS[2], DAYS[2]));
    const outcome = await materialize(DAYS[2]);
    const payments = outcome.steps.filter((s) => s.assetKey === 'stage.payments').map((s) => s.partition);
    expect(payments).toEqual([DAYS[2]]);
    const late = await one(
      source,
      'select count(*) from core.transactions where created_at::date = $1 and trans_date < $1::date',
      [DAYS[2]],
    );
    expect(late).toBeGreaterThan(0);
    const sourceRows = await one(
      source,
      'select count(*) from core.transactions where trans_date >= $1::date and trans_date < $2::date + 1',
      [DAYS[0], DAYS[2]],
    );
    const staged = await one(warehouse, 'select count(*) from stage.payments');
    const quarantined = await one(
      warehouse,
      "select count(*) from quarantine.rows where asset = 'stage.payments'",
    );
    expect(staged + quarantined).toBe(sourceRows);
    expect(quarantined).toBe(injected(summaries, /^core\.transactions$/));
    // Every stage table of the registry and the CRM holds what its source holds now.
    expect(await one(warehouse, 'select count(*) from stage.user_profiles')).toBe(
      await one(
        resources.registry.dialect === 'postgres' ? resources.registry.pool : source,
        'select count(*) from "REGISTRY"."USER_PROFILES"',
      ),
    );
  });

  it('re-runs the first day after the watermarks moved on and leaves the same quarantine', async () => {
    const snapshot = async () =>
      (
        await warehouse.query<{ asset: string; partition: string; rows: number; reasons: string }>(
          `select asset, partition, count(*)::int as rows, md5(string_agg(reason || raw::text, '' order by reason || raw::text)) as reasons
           from quarantine.rows group by asset, partition order by asset, partition`,
        )
      ).rows;
    const before = await snapshot();
    expect(before.some((row) => row.asset === 'stage.cards' && row.partition === DAYS[0])).toBe(true);
    await materializeAll({
      graph,
      storage: runs.storage,
      resources,
      pools: { crm: 1, payments: 1, registry: 1, files: 1, api: 2 },
      request: { selection: 'group:stage', from: DAYS[0], to: DAYS[0], force: true },
    });
    expect(await snapshot()).toEqual(before);
  });
});
