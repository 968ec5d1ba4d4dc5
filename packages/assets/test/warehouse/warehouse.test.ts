import { AssetGraph, execute, planChecks, planRun } from '@vitrina/core';
import { openTestStorage, type TestStorage } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { biAssets } from '../../src/bi/index.ts';
import { dimensionAssets } from '../../src/dimension/index.ts';
import { openResources, type WarehouseResources } from '../../src/resources.ts';
import { stageAssets } from '../../src/stage/index.ts';
import { materializeAll, type SampleSystems, sampleSystems } from '../../src/testing/index.ts';
import { kpisFromGenerator } from './kpisFromGenerator.ts';

/**
 * The sample company seeded into real source systems and run through stage, dimension and bi on
 * the real servers, three days and then a fourth incrementally; the daily, acquisition (channel),
 * funnel, retention and legal-entity (daily and monthly) KPIs must equal the ones computed from the
 * generator's raw rows (./kpisFromGenerator.ts), to the kopeck and exactly for counts. The days run from
 * Thursday the 1st to Sunday, so the incremental fourth day delivers the agency's weekly report
 * (Monday 28 September to Sunday): paid spend of days before start and the fixed fees of the 1st.
 */
const DAYS = ['2026-10-01', '2026-10-02', '2026-10-03', '2026-10-04'] as const;
const COMPANY = { seed: 7, scale: 1, start: DAYS[0] };
const WAREHOUSE_GROUPS = 'group:maintenance group:dimension group:bi';
const POOLS = { crm: 1, payments: 1, registry: 1, files: 1, api: 2, warehouse: 4 };
/** The KPIs from the generator after the first three days and after all four, each computed once. */
const expectedAfter = (() => {
  const computed = new Map<number, ReturnType<typeof kpisFromGenerator>>();
  return (days: 3 | 4) => {
    if (!computed.has(days)) computed.set(days, kpisFromGenerator(COMPANY, DAYS.slice(0, days)));
    return computed.get(days)!;
  };
})();
const CONTRACT_TABLES = [
  'dim_date',
  'dim_currency_rate',
  'dim_channel',
  'dim_user',
  'dim_merchant',
  'dim_legal_entity',
  'fact_payments',
  'fact_app_events',
  'fact_sessions',
  'fact_marketing_spend',
  'fact_crm_deals',
  'fact_partner_sales',
];

let systems: SampleSystems;
let runs: TestStorage;
let resources: WarehouseResources;
let graph: AssetGraph<WarehouseResources>;
let warehouse: pg.Pool;
const seed = (from: string, to: string) => systems.seed(COMPANY, from, to);

beforeAll(async () => {
  systems = await sampleSystems({ start: DAYS[0], prefix: 'vitrina_kpis' });
  runs = await openTestStorage('pglite');
  await seed(DAYS[0], DAYS[2]);
  resources = await openResources(systems.config);
  graph = new AssetGraph([...stageAssets(DAYS[0]), ...dimensionAssets(DAYS[0]), ...biAssets(DAYS[0])]);
  warehouse = new pg.Pool({ connectionString: systems.config.VITRINA_WAREHOUSE_URL });
}, 180_000);

afterAll(async () => {
  await resources?.close();
  await warehouse?.end();
  await runs?.dispose();
  await systems?.drop();
});

async function materialize(selection: string, to: string, force = false) {
  const { plan, ...outcome } = await materializeAll({
    graph,
    storage: runs.storage,
    resources,
    pools: POOLS,
    request: { selection, from: DAYS[0], to, force },
    maxParallel: 4,
  });
  return { plan, outcome };
}

async function warehouseKpis(to: string) {
  const { rows } = await warehouse.query(
    `select day::text, dau, wau, mau, stickiness, transactions, turnover_byn, revenue_byn, cashback_byn,
       avg_check_byn, paying_users, arpu_byn, arppu_byn, churned_users, churn_base_users,
       b2b_transactions, b2b_turnover_byn, b2b_revenue_byn
     from bi.kpi_daily where day <= $1 order by day`,
    [to],
  );
  return rows;
}

/** bi.kpi_channel and bi.kpi_funnel as kpisFromGenerator orders them (text by code point). */
async function warehouseAcquisition() {
  const channel = await warehouse.query(
    `select channel, cohort_month::text, registered_users, paying_users, spend_byn, revenue_byn, cac_byn,
       ltv_byn, romi
     from bi.kpi_channel order by channel collate "C", cohort_month`,
  );
  const funnel = await warehouse.query(
    `select install_week::text, channel, installs, registered, card_linked, first_payment, repeat_payment
     from bi.kpi_funnel order by install_week, channel collate "C"`,
  );
  return { channel: channel.rows, funnel: funnel.rows };
}

/** bi.kpi_retention, bi.kpi_legal_entities and bi.kpi_legal_monthly as kpisFromGenerator orders them. */
async function warehouseCohortsAndLegal() {
  const retention = await warehouse.query(
    `select grain, cohort::text, period_offset, period_start::text, cohort_users, active_users, retention_rate,
       revenue_byn, cumulative_revenue_byn, ltv_byn
     from bi.kpi_retention order by grain collate "C", cohort, period_offset`,
  );
  const legalDaily = await warehouse.query(
    `select day::text, clients, active_clients, active_key_accounts, transactions, turnover_byn, revenue_byn,
       transactions_per_active_client, own_active_clients, own_active_key_accounts, own_transactions,
       own_turnover_byn, own_revenue_byn, own_transactions_per_active_client
     from bi.kpi_legal_entities order by day`,
  );
  const legalMonthly = await warehouse.query(
    `select month::text, tariff_code, clients, active_clients, transactions, turnover_byn, revenue_byn,
       key_accounts, key_accounts_active, key_accounts_active_before, key_accounts_retained,
       own_active_clients, own_transactions, own_turnover_byn, own_revenue_byn
     from bi.kpi_legal_monthly order by month, tariff_code collate "C"`,
  );
  return { retention: retention.rows, legalDaily: legalDaily.rows, legalMonthly: legalMonthly.rows };
}

/** An order-independent checksum of every row of a table. */
async function checksum(table: string): Promise<string> {
  const { rows } = await warehouse.query<{ sum: string }>(
    `select count(*) || ':' || coalesce(md5(string_agg(md5(t::text), '' order by md5(t::text))), '') as sum from ${table} t`,
  );
  return rows[0]!.sum;
}

async function biChecksums() {
  const { rows } = await warehouse.query<{ name: string }>(
    `select table_schema || '.' || table_name as name from information_schema.tables
     where table_schema in ('dimension', 'bi') order by 1`,
  );
  const sums: Record<string, string> = {};
  for (const { name } of rows) sums[name] = await checksum(name);
  return sums;
}

describe('seeded company → stage → dimension → bi', () => {
  it('builds every layer over three days; every table of the bi contract is there and the facts are filled', async () => {
    await materialize('group:stage', DAYS[2]);
    const built = await materialize(WAREHOUSE_GROUPS, DAYS[2]);
    const { rows } = await warehouse.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = 'bi'",
    );
    expect(rows.map((row) => row.table_name)).toEqual(expect.arrayContaining(CONTRACT_TABLES));
    for (const table of [
      'fact_payments',
      'fact_app_events',
      'fact_sessions',
      'fact_partner_sales',
      'dim_user',
    ]) {
      const { rows: counted } = await warehouse.query<{ n: string }>(`select count(*) as n from bi.${table}`);
      expect(Number(counted[0]!.n), table).toBeGreaterThan(0);
    }
    // Every payment that stage holds is in bi once, converted: no row lost in the joins.
    const { rows: paid } = await warehouse.query<{ stage: string; bi: string }>(
      'select (select count(*) from stage.payments) as stage, (select count(*) from bi.fact_payments) as bi',
    );
    expect(paid[0]!.bi).toBe(paid[0]!.stage);

    // Every table of dimension and bi carries checks, and on the sample company every one passed.
    const results = await runs.storage.checkResults({ runId: built.outcome.run.id, limit: 100_000 });
    const tables = graph
      .assets()
      .filter((asset) => ['dimension', 'bi'].includes(asset.group) && asset.tags.writes !== 'definitions')
      .map((asset) => asset.key);
    expect(tables.length).toBeGreaterThan(20);
    expect(tables.filter((key) => !results.some((result) => result.assetKey === key))).toEqual([]);
    const failed = results.filter((result) => !result.passed);
    expect(
      failed.map((result) => `${result.assetKey} ${result.partition} ${result.checkName}: ${result.message}`),
    ).toEqual([]);
  });

  it('equals the KPIs computed from the generator’s raw rows (to the kopeck, counts exactly)', async () => {
    const expected = expectedAfter(3).daily;
    expect(await warehouseKpis(DAYS[2])).toEqual(expected);
  });

  it('kpi_channel and kpi_funnel equal the KPIs from the generator: users, payers, spend, revenue, CAC, LTV, ROMI; the funnel steps', async () => {
    const { channel, funnel } = expectedAfter(3);
    expect(channel.length).toBeGreaterThan(0);
    expect(funnel.length).toBeGreaterThan(0);
    expect(await warehouseAcquisition()).toEqual({ channel, funnel });
  });

  it('kpi_retention, kpi_legal_entities and kpi_legal_monthly equal the KPIs from the generator: cohorts, retention, LTV; legal clients, activity, tariff mix', async () => {
    const { retention, legalDaily, legalMonthly } = expectedAfter(3);
    expect(retention.length).toBeGreaterThan(0);
    expect(legalDaily.map((row) => row.day)).toEqual(DAYS.slice(0, 3));
    expect(legalMonthly.length).toBeGreaterThan(0);
    // Legal clients and entrepreneurs pay through their business accounts every day (docs/metrics.md).
    expect(legalDaily.every((row) => row.own_transactions > 0 && row.own_active_clients > 0)).toBe(true);
    expect(expectedAfter(3).daily.every((row) => row.b2b_transactions > 0)).toBe(true);
    expect(await warehouseCohortsAndLegal()).toEqual({ retention, legalDaily, legalMonthly });
  });

  it('normalises phones to +375XXXXXXXXX and e-mails to lower case, and counts ambiguous identity links', async () => {
    const { rows } = await warehouse.query<{ bad_phones: string; bad_emails: string; ambiguous: string }>(
      `select (select count(*) from bi.dim_user where phone !~ '^\\+375[0-9]{9}$') as bad_phones,
         (select count(*) from bi.dim_user where email <> lower(btrim(email))) as bad_emails,
         (select count(*) from dimension.identity_links where ambiguous and user_id is not null and system <> 'crm_contact') as ambiguous`,
    );
    expect(rows[0]).toEqual({ bad_phones: '0', bad_emails: '0', ambiguous: '0' });
  });

  it('loads the next day incrementally: only the new day and the days its lookback rewrote run', async () => {
    await seed(DAYS[3], DAYS[3]);
    await materialize('group:stage', DAYS[3]);
    const { plan } = await materialize(WAREHOUSE_GROUPS, DAYS[3]);
    const rewritten = new Set(
      (
        await warehouse.query<{ day: string }>(
          `select distinct day::text as day from stage.payments where day < $1
           union select distinct day::text from stage.app_sessions where day < $1`,
          [DAYS[3]],
        )
      ).rows.map((row) => row.day),
    );
    const earlier = plan.steps.filter((step) => step.partition !== DAYS[3]);
    for (const step of earlier) {
      // Only what reads a rewritten stage day, or a window over the new day, runs again for it.
      expect(rewritten.has(step.partition), `${step.assetKey} ${step.partition}`).toBe(true);
      expect(
        step.reasons.every(
          (reason) => reason.kind === 'upstream_changed' || reason.kind === 'upstream_planned',
        ),
      ).toBe(true);
    }
    // The stage tables of earlier days that the new day did not touch stay as they were downstream.
    expect(earlier.some((step) => step.assetKey === 'bi.fact_sessions')).toBe(false);
    expect(plan.steps.filter((step) => step.partition === DAYS[3]).length).toBeGreaterThan(20);
    expect(await warehouseKpis(DAYS[3])).toEqual(expectedAfter(4).daily);
  });

  it('after the incremental day, kpi_channel and kpi_funnel still equal the KPIs from the generator', async () => {
    const { channel, funnel } = expectedAfter(4);
    const acquisition = await warehouseAcquisition();
    expect(acquisition).toEqual({ channel, funnel });
    // The Sunday's agency report brought paid spend, and the fixed fees of the 1st (README: referral
    // 900 BYN and partner 1,400 BYN a month), which kpisFromGenerator takes from the generator's rows.
    const spend = (name: string, month: string) =>
      acquisition.channel.find((row) => row.channel === name && row.cohort_month === month)?.spend_byn;
    expect(spend('referral', '2026-10-01')).toBe('900.00');
    expect(spend('partner', '2026-10-01')).toBe('1400.00');
    expect(Number(spend('google_ads', '2026-10-01'))).toBeGreaterThan(0);
    expect(Number(spend('google_ads', '2026-09-01'))).toBeGreaterThan(0);
  });

  it('after the incremental day, kpi_retention, kpi_legal_entities and kpi_legal_monthly still equal the KPIs from the generator', async () => {
    const { retention, legalDaily, legalMonthly } = expectedAfter(4);
    expect(legalDaily.map((row) => row.day)).toEqual([...DAYS]);
    expect(await warehouseCohortsAndLegal()).toEqual({ retention, legalDaily, legalMonthly });
  });

  it('re-running everything by force leaves every dimension and bi table the same (checksums)', async () => {
    const before = await biChecksums();
    await materialize(WAREHOUSE_GROUPS, DAYS[3], true);
    expect(await biChecksums()).toEqual(before);
  });

  it('cleans only the users whose profile changed, and ends where a full rebuild ends', async () => {
    const { rows: picked } = await warehouse.query<{ user_id: string }>(
      'select user_id::text from stage.user_profiles order by user_id limit 1',
    );
    const userId = picked[0]!.user_id;
    const cleaned = async () =>
      // xmin: the transaction that wrote the row version, so a row cleaned again is a changed row.
      (
        await warehouse.query<{ user_id: string; phone: string; email: string; version: string }>(
          'select user_id::text, phone, email, xmin::text as version from dimension.users order by user_id',
        )
      ).rows;
    const before = await cleaned();
    await warehouse.query(
      `update stage.user_profiles set phone = '8 (029) 111-22-33', email = ' New.Address@Mail.BY ' where user_id = $1`,
      [userId],
    );
    await warehouse.query('call dimension.fill_users()');
    const after = await cleaned();
    const changed = after.filter((row, index) => JSON.stringify(row) !== JSON.stringify(before[index]));
    expect(changed.map(({ version: _, ...row }) => row)).toEqual([
      { user_id: userId, phone: '+375291112233', email: 'new.address@mail.by' },
    ]);
    // Forgetting the rules' version makes the next fill clean every user again: the same table.
    const incremental = await checksum('dimension.users');
    await warehouse.query('comment on table dimension.users is null');
    await warehouse.query('call dimension.fill_users()');
    expect(await checksum('dimension.users')).toBe(incremental);
    const { rows: comment } = await warehouse.query<{ rules: string }>(
      "select obj_description('dimension.users'::regclass, 'pg_class') as rules",
    );
    expect(comment[0]!.rules).toMatch(/^cleaning rules [0-9a-f]{32}$/);
  });

  it('editing a procedure makes exactly that asset and its downstream stale', async () => {
    const edited = 'dimension.merchants';
    const assets = [...stageAssets(DAYS[0]), ...dimensionAssets(DAYS[0]), ...biAssets(DAYS[0])].map(
      (asset) => (asset.key === edited ? { ...asset, codeVersion: `${asset.codeVersion}-edited` } : asset),
    );
    const editedGraph = new AssetGraph(assets);
    const plan = await planRun(editedGraph, runs.storage, {
      selection: WAREHOUSE_GROUPS,
      from: DAYS[0],
      to: DAYS[3],
    });
    // The downstream, found by walking the declared deps (not the engine's own traversal); a dep
    // on days further back than these four (the clean-up's, 91 days) reaches none of them.
    const downstream = new Set([edited]);
    const reaches = (dep: (typeof assets)[number]['deps'][number]) =>
      dep.mapping.kind !== 'window' || dep.mapping.endOffset > -DAYS.length;
    for (let grew = true; grew; ) {
      grew = false;
      for (const asset of assets)
        if (!downstream.has(asset.key) && asset.deps.some((dep) => reaches(dep) && downstream.has(dep.key))) {
          downstream.add(asset.key);
          grew = true;
        }
    }
    expect(new Set(plan.steps.map((step) => step.assetKey))).toEqual(downstream);
    expect(downstream).toContain('bi.fact_payments');
    expect(downstream).not.toContain('bi.fact_sessions');
  });

  it('catches a payment lost between dimension and bi: the check names it, with the payment, without materialising', async () => {
    const day = DAYS[1];
    const { rows } = await warehouse.query<{ transaction_id: string }>(
      `delete from bi.fact_payments where day = $1
         and transaction_id = (select min(transaction_id) from bi.fact_payments where day = $1)
       returning transaction_id::text`,
      [day],
    );
    const lost = rows[0]!.transaction_id;
    try {
      const plan = await planChecks(graph, runs.storage, {
        selection: 'bi.fact_payments',
        from: day,
        to: day,
      });
      const outcome = await execute({
        graph,
        plan,
        storage: runs.storage,
        resources,
        pools: POOLS,
        maxParallel: 4,
      });
      const results = await runs.storage.checkResults({ runId: outcome.run.id });
      const check = results.find((result) => result.checkName === 'every_payment');
      expect(check?.passed).toBe(false);
      expect(check?.message).toMatch(new RegExp(`^1 failing row in bi.fact_payments.*${day}`));
      expect(check?.metadata.sample).toEqual([expect.objectContaining({ transaction_id: Number(lost) })]);
    } finally {
      await materialize('bi.fact_payments', day, true);
    }
  });
});
