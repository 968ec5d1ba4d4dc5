import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, csvHeader, DAYS, type Fixture, paymentsOf, writeInbox } from './fixture.ts';

/**
 * The stage layer end to end on real servers: every source table, file and endpoint of a small
 * hand-made company loaded day by day, with the expectations taken from the rows put in.
 */
let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
}, 120_000);
afterAll(async () => f?.dispose());

const count = async (table: string, where = 'true', params: unknown[] = []) =>
  (await f.warehouse.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`, params))
    .rows[0]!.n;

const checksum = async (table: string) =>
  (
    await f.warehouse.query<{ sum: string }>(
      `select md5(string_agg(t::text, ',' order by t::text)) as sum from ${table} t`,
    )
  ).rows[0]!.sum;

const stepOf = (outcome: Awaited<ReturnType<Fixture['materialize']>>, key: string, partition = '') =>
  outcome.steps.find((step) => step.assetKey === key && step.partition === partition);

describe('the stage layer', () => {
  it('fills every stage table from every source for the first days', async () => {
    const outcome = await f.materialize('group:stage', { from: DAYS[0], to: DAYS[1] });
    const failed = outcome.steps.filter((step) => step.status !== 'success');
    expect(failed.map((step) => `${step.assetKey} ${step.partition}: ${step.error}`)).toEqual([]);
    for (const key of f.graph
      .assets()
      .filter((a) => a.group === 'stage')
      .map((a) => a.key)) {
      expect(await count(key), key).toBeGreaterThan(0);
    }
    expect(await count('stage.crm_deals')).toBe(3);
    expect(await count('stage.user_profiles')).toBe(3);
    expect(await count('stage.geocodes')).toBe(3);
    expect(await count('stage.nbrb_rates', 'day = $1', [DAYS[0]])).toBe(3);
  });

  it('quarantines bad rows with their reasons, and read = loaded + quarantined', async () => {
    // Day 1: 20 payments plus one delivered twice; 1001 has a negative amount, 1002 a malformed currency.
    const [day1] = (await f.runs.storage.materializations('stage.payments')).filter(
      (m) => m.partition === DAYS[0] && m.status === 'success' && !m.metadata.rewrittenBy,
    );
    expect(day1?.metadata).toMatchObject({ read: 21, loaded: 18, quarantined: 3 });
    expect(await count('stage.payments', 'day = $1', [DAYS[0]])).toBe(18);
    const reasons = (
      await f.warehouse.query<{ id: string; reason: string }>(
        "select coalesce(raw->>'transaction_id', '?') as id, reason from quarantine.rows where asset = 'stage.payments' order by id",
      )
    ).rows;
    expect(reasons.map((row) => row.id)).toEqual(['1001', '1002', '1003']);
    expect(reasons[0]!.reason).toMatch(/amount: .*must be positive/);
    expect(reasons[1]!.reason).toMatch(/currency/);
    expect(reasons[2]!.reason).toMatch(/duplicate row: transaction_id 1003/);
    // Broken file lines: a CSV amount "12,5O", an [event] line without a name, text in an Excel number column.
    expect(
      await count('quarantine.rows', "asset = 'stage.partner_sales' and partition = $1", [DAYS[0]]),
    ).toBe(1);
    expect(await count('quarantine.rows', "asset = 'stage.app_events' and partition = $1", [DAYS[0]])).toBe(
      1,
    );
    expect(await count('stage.app_events', 'day = $1', [DAYS[0]])).toBe(3); // the [http] noise line is not an event
    expect(await count('quarantine.rows', "asset = 'stage.agency_spend'")).toBe(1);
    expect(await count('stage.agency_spend')).toBe(2);
  });

  it('extracts the fields of contracts, rates per unit, and geocodes as Yandex gave them', async () => {
    const contract = (
      await f.warehouse.query(
        'select contract_no, signed_on::text, counterparty, tariff, amount::text from stage.contract_documents',
      )
    ).rows;
    expect(contract).toEqual([
      {
        contract_no: 'Д-2026/00001',
        signed_on: '2026-01-15',
        counterparty: 'ООО «Евроторг»',
        tariff: 'BUSINESS',
        amount: '12000.00',
      },
    ]);
    const rub = (
      await f.warehouse.query(
        "select rate_per_unit::text from stage.nbrb_rates where currency = 'RUB' and day = $1",
        [DAYS[0]],
      )
    ).rows;
    expect(rub).toEqual([{ rate_per_unit: '0.03710000000000000000' }]);
    const geo = (
      await f.warehouse.query("select lon, lat, locality from stage.geocodes where address like 'Брест%'")
    ).rows;
    expect(geo).toEqual([{ lon: 27.1, lat: 53.1, locality: 'Брест' }]);
  });

  it('loads the next day incrementally, picking up late rows and refunds within the lookback', async () => {
    await f.payments.query(paymentsOf(2));
    // A payment of day 1 that reached the core on day 3, and a refund of a day-2 payment.
    await f.payments.query(`insert into core.transactions select 1999, timestamp '${DAYS[0]} 23:50', 100, 1, 1, null, 42.00, 'BYN', 'card',
      'purchase', 'success', 0.42, null, null, timestamp '${DAYS[2]} 09:00', timestamp '${DAYS[2]} 09:00'`);
    await f.payments.query(
      "update core.transactions set status = 'refunded', updated_at = $1 where transaction_id = 2003",
      [`${DAYS[2]} 10:00`],
    );
    await f.crm.query(
      "UPDATE b_crm_deal SET STAGE_ID = 'WON', STAGE_SEMANTIC_ID = 'S', DATE_MODIFY = '2026-10-03 11:00:00' WHERE ID = 2",
    );

    const outcome = await f.materialize('stage.payments', { from: DAYS[0], to: DAYS[2] });
    // Only the new day is planned for payments; it re-reads days 1 and 2 (lookback 2) and rewrites them.
    expect(outcome.steps.filter((s) => s.assetKey === 'stage.payments').map((s) => s.partition)).toEqual([
      DAYS[2],
    ]);
    expect(await count('stage.payments', 'transaction_id = 1999 and day = $1', [DAYS[0]])).toBe(1);
    expect(
      (await f.warehouse.query('select status from stage.payments where transaction_id = 2003')).rows,
    ).toEqual([{ status: 'refunded' }]);
    expect(await count('stage.payments', 'day = $1', [DAYS[2]])).toBe(20);
    const rewritten = (await f.runs.storage.materializations('stage.payments')).filter(
      (m) => m.runId === outcome.run.id && m.metadata.rewrittenBy === DAYS[2],
    );
    expect(rewritten.map((m) => m.partition).sort()).toEqual([DAYS[0], DAYS[1]]);
    // The quarantine of the re-read days is replaced, not repeated.
    expect(await count('quarantine.rows', "asset = 'stage.payments'")).toBe(3);
    expect(
      (await f.runs.storage.getCursor('payments.core.transactions', 'trans_date'))?.value.slice(0, 10),
    ).toBe(DAYS[2]);

    // The CRM deal moved on: only changed rows are read, and upserted.
    await f.materialize('stage.crm_deals', { from: DAYS[2], to: DAYS[2] });
    const deals = (await f.runs.storage.materializations('stage.crm_deals'))[0];
    expect(deals?.metadata).toMatchObject({ read: 1, loaded: 1 });
    expect((await f.warehouse.query('select stage_id from stage.crm_deals where id = 2')).rows).toEqual([
      { stage_id: 'WON' },
    ]);
  });

  it('is idempotent: loading the same days again leaves the same rows', async () => {
    const before = await Promise.all(
      ['stage.payments', 'stage.app_sessions', 'stage.partner_sales', 'quarantine.rows'].map((t) =>
        checksum(t),
      ),
    );
    const outcome = await f.materialize('stage.payments stage.app_sessions stage.partner_sales', {
      from: DAYS[0],
      to: DAYS[1],
      force: true,
    });
    expect(outcome.run.status).toBe('success');
    const after = await Promise.all(
      ['stage.payments', 'stage.app_sessions', 'stage.partner_sales', 'quarantine.rows'].map((t) =>
        checksum(t),
      ),
    );
    expect(after.slice(0, 3)).toEqual(before.slice(0, 3));
    expect(await count('quarantine.rows', "asset = 'stage.payments'")).toBe(3);
  });

  it('reloads a file of the lookback window that was delivered again with other content', async () => {
    writeInbox(
      f.inbox,
      `partner_sales/partner_sales_${DAYS[0]}.csv`,
      [
        csvHeader,
        `${DAYS[0]};EVROOPT;EVROOPT-0001;Евроопт Притыцкого;Минск;2000;50000,00;300;7000,00`,
        `${DAYS[0]};EVROOPT;EVROOPT-0004;Евроопт Сурганова;Минск;1200;30000,00;150;3000,50`,
      ].join('\n'),
    );
    const outcome = await f.materialize('stage.partner_sales', { from: DAYS[2], to: DAYS[2] });
    expect(outcome.run.status).toBe('success');
    expect(
      (
        await f.warehouse.query(
          'select receipts_total from stage.partner_sales where day = $1 order by receipts_total',
          [DAYS[0]],
        )
      ).rows,
    ).toEqual([{ receipts_total: 1200 }, { receipts_total: 2000 }]);
    expect(
      await count('quarantine.rows', "asset = 'stage.partner_sales' and partition = $1", [DAYS[0]]),
    ).toBe(0);
    const history = await f.runs.storage.materializations('stage.partner_sales');
    expect(
      history
        .filter((m) => m.runId === outcome.run.id)
        .map((m) => m.partition)
        .sort(),
    ).toEqual([DAYS[0], DAYS[2]]);
  });

  it('stops on a critical violation with what to fix, blocks what reads it, and goes on once fixed', async () => {
    await f.payments.query(`update core.transactions set commission = 999 where transaction_id = 3004`);
    await f.payments.query(`insert into core.transactions select 3005, trans_date, user_id, merchant_id, product_id, card_id, amount + 1,
      currency, method, operation_type, status, commission, null, null, created_at, updated_at from core.transactions where transaction_id = 3005`);
    const failed = await f.materialize('stage.payments', { from: DAYS[2], to: DAYS[2], force: true });
    const step = stepOf(failed, 'stage.payments', DAYS[2]);
    expect(step?.status).toBe('failed');
    expect(step?.error).toMatch(/transaction_ids_unique.*transaction_id 3005 appears 2 times/s);
    const checks = await f.runs.storage.checkResults({ runId: failed.run.id });
    const failedChecks = checks
      .filter((c) => !c.passed)
      .map((c) => c.checkName)
      .sort();
    expect(failedChecks).toEqual(['commission_within_amount', 'transaction_ids_unique']);
    expect(checks.find((c) => c.checkName === 'commission_within_amount')?.message).toMatch(
      /transaction_id 3004: commission 999.00 > amount 6.00.*Correct the commission in the payments core/,
    );

    await f.payments.query('update core.transactions set commission = 0.06 where transaction_id = 3004');
    await f.payments.query('delete from core.transactions where transaction_id = 3005 and amount = 8.50');
    const fixed = await f.materialize('stage.payments', { from: DAYS[2], to: DAYS[2] });
    expect(stepOf(fixed, 'stage.payments', DAYS[2])?.status).toBe('success');
  });
});
