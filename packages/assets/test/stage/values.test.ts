import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixture, csvHeader, DAYS, type Fixture, writeInbox } from './fixture.ts';

/**
 * Values that do not fit their column, from files and from source databases: each is quarantined
 * naming where it stood (file and line, or the source row's key), the column, the value and why,
 * and the step loads the rest instead of failing on PostgreSQL's first refusal.
 */
let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
}, 120_000);
afterAll(async () => f?.dispose());

interface Quarantined {
  source: string;
  reason: string;
  raw: Record<string, unknown>;
}

const quarantined = async (asset: string, partition: string) =>
  (
    await f.warehouse.query<Quarantined>(
      `select source, reason, raw from quarantine.rows where asset = $1 and partition = $2
       order by coalesce((raw->>'line')::int, 0), reason`,
      [asset, partition],
    )
  ).rows;

/** The counts the step's materialisation recorded. */
async function countsOf(asset: string, partition: string) {
  const [latest] = (await f.runs.storage.materializations(asset)).filter(
    (m) => m.partition === partition && m.status === 'success' && !m.metadata.rewrittenBy,
  );
  return latest?.metadata as { read: number; loaded: number; quarantined: number };
}

const succeeds = async (selection: string, day: string) => {
  const outcome = await f.materialize(selection, { from: day, to: day, force: true });
  expect(outcome.steps.map((step) => `${step.assetKey} ${step.status} ${step.error ?? ''}`)).toEqual(
    outcome.steps.map((step) => `${step.assetKey} success `),
  );
};

const sale = (
  store: string,
  fields: Partial<Record<'name' | 'total' | 'turnover' | 'app' | 'appTurnover', string>> = {},
) =>
  [
    DAYS[1],
    'EVROOPT',
    store,
    fields.name ?? `Евроопт ${store}`,
    'Минск',
    fields.total ?? '100',
    fields.turnover ?? '2500,00',
    fields.app ?? '10',
    fields.appTurnover ?? '250,00',
  ].join(';');

describe('values that do not fit', () => {
  it('quarantines CSV lines beyond integer, beyond numeric(14,2), with a negative count or NUL, naming file, line, column and value', async () => {
    const file = `partner_sales/partner_sales_${DAYS[1]}.csv`;
    const good = [
      'EVROOPT-0001',
      'EVROOPT-0002',
      'EVROOPT-0003',
      'EVROOPT-0004',
      'EVROOPT-0006',
      'EVROOPT-0007',
    ];
    writeInbox(
      f.inbox,
      file,
      [
        csvHeader,
        ...good.map((store) => sale(store)), // lines 2–7
        sale('EVROOPT-0008', { total: '99999999999' }), // 8: beyond integer
        sale('EVROOPT-0009', { turnover: '1234567890123,45' }), // 9: 13 digits before the comma
        sale('EVROOPT-0010', { appTurnover: '250,005' }), // 10: a third decimal place would be rounded away
        sale('EVROOPT-0011', { app: '-5' }), // 11: a negative count (mart.partner_sales is UInt32)
        sale('EVROOPT-0012', { name: 'Евроопт\u0000Немига' }), // 12: NUL
        sale('EVROOPT-99999999999'), // 13: the merchant id bi.fact_partner_sales reads is beyond integer
      ].join('\n'),
    );
    await succeeds('stage.partner_sales', DAYS[1]);

    expect(await countsOf('stage.partner_sales', DAYS[1])).toMatchObject({
      read: 12,
      loaded: 6,
      quarantined: 6,
    });
    const rows = await f.warehouse.query(
      'select store_code from stage.partner_sales where day = $1 order by 1',
      [DAYS[1]],
    );
    expect(rows.rows.map((row) => row.store_code)).toEqual(good);
    const bad = await quarantined('stage.partner_sales', DAYS[1]);
    expect(bad.map((row) => [row.source, row.raw.file_name, row.raw.line])).toEqual(
      [8, 9, 10, 11, 12, 13].map((line) => ['files', file, line]),
    );
    const reasons = bad.map((row) => row.reason);
    expect(reasons[0]).toMatch(/^receipts_total: .*integer.*"99999999999"/);
    expect(reasons[1]).toMatch(/^turnover_total_byn: .*numeric\(14,2\).*"1234567890123,45"/);
    expect(reasons[2]).toMatch(/^turnover_app_byn: .*decimal places.*"250,005"/);
    expect(reasons[3]).toMatch(/^receipts_app: must not be negative .*"-5"/);
    expect(reasons[4]).toMatch(/^store_name: .*NUL.*"Евроопт\\u0000Немига"/);
    expect(reasons[5]).toMatch(/^store_code: .*99999999999.*integer/);
    // The NUL is kept in quarantine, shown, since PostgreSQL text cannot hold it.
    expect(bad[4]!.raw.store_name).toMatch(/^Евроопт.+Немига$/);
  });

  it('quarantines log lines with NUL and an impossible time of day, and loads the others', async () => {
    const at = (time: string) => `${DAYS[1]}T${time}.000+03:00`;
    writeInbox(
      f.inbox,
      `logs/app_events_${DAYS[1]}.log`,
      [
        `${at('08:00:00')} INFO [http] GET /api/v2/balance\u0000 200 12ms`, // 1: noise, skipped whatever it holds
        `${at('08:00:01')} INFO [event] device=d-100 user=100 session=s-1 name=screen_view screen=home os=android app=3.14.0`,
        `${at('08:00:02')} INFO [event] device=d-1\u00002 user=- session=s-9 name=app_install channel=google_ads os=android app=3.14.0`,
        `${at('25:00:03')} INFO [event] device=d-100 user=100 session=s-1 name=click screen=home element=pay os=android app=3.14.0`,
        `${at('08:00:04')} INFO [event] device=d-100 user=100 session=s-1 name=payment_success amount=12.50 currency=BYN merchant=1 os=android app=3.14.0`,
        `${at('08:00:05')} INFO [event] device=d-101 user=101 session=s-2 name=screen_view screen=cards os=ios app=3.14.0`,
        `${at('08:00:06')} INFO [event] device=d-101 user=101 session=s-2 name=card_linked os=ios app=3.14.0`,
      ].join('\n'),
    );
    await succeeds('stage.app_events', DAYS[1]);
    expect(await countsOf('stage.app_events', DAYS[1])).toMatchObject({ read: 6, loaded: 4, quarantined: 2 });
    const bad = await quarantined('stage.app_events', DAYS[1]);
    expect(bad.map((row) => [row.raw.file_name, row.raw.line])).toEqual([
      [`logs/app_events_${DAYS[1]}.log`, 3],
      [`logs/app_events_${DAYS[1]}.log`, 4],
    ]);
    expect(bad[0]!.reason).toMatch(/^device_id: .*NUL.*"d-1\\u00002"/);
    expect(bad[1]!.reason).toMatch(/^event_time: no such time of day: 25:00:03/);
  });

  it('quarantines what a lax CRM stores — zero dates, 30 February, NUL — by the deal’s ID', async () => {
    await f.crm.query("SET SESSION sql_mode = 'ALLOW_INVALID_DATES'");
    await f.crm.query(`INSERT INTO b_crm_deal VALUES
      (10, 'Нулевая дата', 0, 'NEW', 'P', 100, 'BYN', 'WEB', 1, NULL, NULL, NULL, 'N', NULL, '0000-00-00 00:00:00', '2026-10-01 09:00:00'),
      (11, 'Тридцатое февраля', 0, 'WON', 'S', 200, 'BYN', 'WEB', 1, NULL, NULL, NULL, 'Y', '2026-02-30', '2026-09-01 10:00:00', '2026-10-01 09:00:00'),
      (12, 'Сделка\\0с NUL', 0, 'NEW', 'P', 300, 'BYN', 'WEB', 1, NULL, NULL, NULL, 'N', NULL, '2026-09-01 10:00:00', '2026-10-01 09:00:00'),
      (13, 'Обычная сделка', 0, 'NEW', 'P', 400, 'BYN', 'WEB', 1, NULL, NULL, NULL, 'N', NULL, '2026-09-01 10:00:00', '2026-10-01 09:00:00')`);
    await succeeds('stage.crm_deals', DAYS[0]);
    // The three deals of the fixture and deal 13 are loaded.
    expect(await countsOf('stage.crm_deals', DAYS[0])).toMatchObject({ read: 7, loaded: 4, quarantined: 3 });
    // An upsert's quarantine is kept under the day of the load.
    const bad = await quarantined('stage.crm_deals', DAYS[0]);
    expect(bad.map((row) => [row.source, row.raw.ID]).sort()).toEqual([
      ['crm', 10],
      ['crm', 11],
      ['crm', 12],
    ]);
    const byId = new Map(bad.map((row) => [row.raw.ID, row.reason]));
    expect(byId.get(10)).toMatch(/^DATE_CREATE: no such day: 0000-00-00 \(got "0000-00-00 00:00:00"\)/);
    expect(byId.get(11)).toMatch(/^CLOSEDATE: no such day: 2026-02-30/);
    expect(byId.get(12)).toMatch(/^TITLE: .*NUL/);
  });

  it('quarantines what the registry’s Oracle types allow and stage cannot hold: NUMBER(10) ids, unbounded amounts, sessions ending before they start', async () => {
    // The stand-in widened as Oracle has them: NUMBER(10) beyond integer, NUMBER without precision.
    await f.registry.query(`alter table "REGISTRY"."CONTRACTS" alter column "CONTRACT_ID" type bigint,
      alter column "AMOUNT" type numeric`);
    await f.registry.query(`insert into "REGISTRY"."CONTRACTS" values
      (3000000000, 'Д-2026/00003', 10, 2, '2026-09-01', '2026-09-01', null, 'active', 100, '2026-10-01 09:00'),
      (4, 'Д-2026/00004', 10, 2, '2026-09-01', '2026-09-01', null, 'active', 123456789012345.67, '2026-10-01 09:00'),
      (5, 'Д-2026/00005', 11, 1, '2026-09-01', '2026-09-01', null, 'active', 5000, '2026-10-01 09:00')`);
    await f.registry.query(`insert into "REGISTRY"."APP_SESSIONS" values
      ('s-4', 100, '${DAYS[0]} 12:00', '${DAYS[0]} 11:59', 'android', '3.14.0', 3)`);
    await succeeds('stage.contracts stage.app_sessions', DAYS[0]);

    expect(await countsOf('stage.contracts', DAYS[0])).toMatchObject({ read: 5, loaded: 3, quarantined: 2 });
    const contracts = new Map(
      (await quarantined('stage.contracts', DAYS[0])).map((row) => [row.raw.CONTRACT_NO, row]),
    );
    expect(contracts.get('Д-2026/00003')?.reason).toMatch(/^CONTRACT_ID: .*integer.*3000000000/);
    expect(contracts.get('Д-2026/00004')?.reason).toMatch(/^AMOUNT: .*numeric\(14,2\).*123456789012345\.67/);
    expect(contracts.get('Д-2026/00004')?.source).toBe('registry');

    expect(await countsOf('stage.app_sessions', DAYS[0])).toMatchObject({
      read: 3,
      loaded: 2,
      quarantined: 1,
    });
    const [session] = await quarantined('stage.app_sessions', DAYS[0]);
    expect(session?.raw.SESSION_ID).toBe('s-4');
    expect(session?.reason).toMatch(/^ENDED_AT: before STARTED_AT/);
  });

  it('quarantines what the dimension, bi and mart layers could not take: a day ClickHouse cannot hold, a blank region', async () => {
    const profile = (id: number, region: string, gender: string, registered: string) =>
      `(${id}, null, null, 'Имя', 'Фамилия', null, '${gender}', '${region}', 'Минск', null, '${registered}', 'organic', 'android', 'd-${id}', 'active', '${DAYS[0]} 09:00')`;
    await f.registry.query(`insert into "REGISTRY"."USER_PROFILES" values
      ${profile(103, 'Минск', 'F', '1969-12-31 10:00')}, ${profile(104, '   ', 'M', '2026-09-30 10:00')},
      ${profile(106, 'Минск', 'F', '2026-09-30 10:00')}`);
    await succeeds('stage.user_profiles', DAYS[0]);
    // The fixture's three users and user 106 are loaded.
    expect(await countsOf('stage.user_profiles', DAYS[0])).toMatchObject({
      read: 6,
      loaded: 4,
      quarantined: 2,
    });
    const reasons = new Map(
      (await quarantined('stage.user_profiles', DAYS[0])).map((row) => [row.raw.USER_ID, row.reason]),
    );
    expect(reasons.get('103')).toMatch(/^REGISTERED_AT: outside 1970-01-05 to 2105-12-31.*ClickHouse/);
    expect(reasons.get('104')).toMatch(/^REGION: blank/);
  });
});
