import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadWarehouseConfig } from '../../src/config.ts';
import type { WarehouseResources } from '../../src/resources.ts';
import { createFixture, csvHeader, DAYS, type Fixture, writeInbox } from './fixture.ts';

/**
 * No silent loss: a delivery that is empty, header-only, in the wrong format or answered with
 * nothing fails its step before it replaces the day, so the day keeps its previous data and what
 * reads it waits; the message says what was read, loaded and quarantined and how to accept the
 * delivery if it is right, and accepting it loads it.
 */
let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
  const outcome = await f.materialize(
    'stage.partner_sales stage.app_events stage.nbrb_rates stage.user_settings',
    {
      from: DAYS[0],
      to: DAYS[1],
    },
  );
  expect(outcome.steps.filter((step) => step.status !== 'success').map((step) => step.error)).toEqual([]);
}, 120_000);
afterAll(async () => f?.dispose());

/** Everything a day of a table holds, and its quarantine, to compare before and after. */
const snapshot = async (table: string, day: string) => {
  const sum = async (sql: string) =>
    (await f.warehouse.query<{ sum: string | null }>(sql, [day])).rows[0]!.sum;
  return {
    rows: await sum(
      `select md5(string_agg(t::text, ',' order by t::text)) as sum from ${table} t where day = $1`,
    ),
    quarantine: await sum(
      `select md5(string_agg(q.reason || q.raw::text, ',' order by q.id)) as sum from quarantine.rows q where asset = '${table}' and partition = $1`,
    ),
  };
};

/** Runs one asset for one day and returns its failed step; the counts in its message reconcile. */
async function refused(asset: string, day: string, resources?: WarehouseResources) {
  const outcome = await f.materialize(asset, { from: day, to: day, force: true }, resources);
  const step = outcome.steps[0]!;
  expect(step.status).toBe('failed');
  const counts = /read (\d+) rows, loaded (\d+), quarantined (\d+)/.exec(step.error ?? '');
  expect(counts, step.error ?? '').not.toBeNull();
  const [read, loaded, quarantined] = counts!.slice(1).map(Number) as [number, number, number];
  expect(read).toBe(loaded + quarantined);
  return { error: step.error!, read, loaded, quarantined };
}

const salesFile = (day: string) => `partner_sales/partner_sales_${day}.csv`;
const saleLine = (store: string) => `${DAYS[1]};EVROOPT;${store};Евроопт;Минск;1200;30000,00;150;3000,50`;

describe('broken deliveries', () => {
  it.each([
    ['an empty file', '', 0],
    ['a header without lines', `${csvHeader}\n`, 0],
    [
      'a file with the wrong delimiter',
      [csvHeader, saleLine('EVROOPT-0001'), saleLine('EVROOPT-0004')].join('\n').replaceAll(';', ','),
      2,
    ],
    [
      'a file missing a column',
      [
        csvHeader.replace(';store_code', ''),
        ...[1, 2].map((n) => `${DAYS[1]};EVROOPT;Евроопт;Минск;${n};1,00;1;1,00`),
      ].join('\n'),
      2,
    ],
  ])('fails the step on %s and keeps the day as it was', async (_what, content, lines) => {
    const before = await snapshot('stage.partner_sales', DAYS[1]);
    writeInbox(f.inbox, salesFile(DAYS[1]), content);
    const step = await refused('stage.partner_sales', DAYS[1]);
    expect(step).toMatchObject({ read: lines, loaded: 0, quarantined: lines });
    expect(step.error).toContain(`${salesFile(DAYS[1])}: `);
    expect(step.error).toMatch(/previous 2 rows are kept/);
    expect(step.error).toContain(`VITRINA_ACCEPT_PARTIAL_DELIVERY="stage.partner_sales:${DAYS[1]}"`);
    expect(await snapshot('stage.partner_sales', DAYS[1])).toEqual(before);
  });

  it('fails the step on a file cut short, which would replace the day with less', async () => {
    const before = await snapshot('stage.partner_sales', DAYS[1]);
    writeInbox(f.inbox, salesFile(DAYS[1]), [csvHeader, saleLine('EVROOPT-0001')].join('\n'));
    const step = await refused('stage.partner_sales', DAYS[1]);
    expect(step).toMatchObject({ read: 1, loaded: 1, quarantined: 0 });
    expect(step.error).toMatch(/would replace 2 rows with 1 \(50 % fewer > 20 %\)/);
    expect(await snapshot('stage.partner_sales', DAYS[1])).toEqual(before);
  });

  it('quarantines a line the partner delivered twice, whatever line it is on', async () => {
    const lines = [saleLine('EVROOPT-0001'), saleLine('EVROOPT-0004')];
    writeInbox(f.inbox, salesFile(DAYS[1]), [csvHeader, ...lines, lines[0]].join('\n'));
    const outcome = await f.materialize('stage.partner_sales', { from: DAYS[1], to: DAYS[1], force: true });
    expect(outcome.steps[0]?.status, outcome.steps[0]?.error ?? '').toBe('success');
    const held = await f.warehouse.query(
      'select store_code from stage.partner_sales where day = $1 order by 1',
      [DAYS[1]],
    );
    expect(held.rows.map((row) => row.store_code)).toEqual(['EVROOPT-0001', 'EVROOPT-0004']);
    const quarantined = await f.warehouse.query(
      "select reason from quarantine.rows where asset = 'stage.partner_sales' and partition = $1",
      [DAYS[1]],
    );
    expect(quarantined.rows.map((row) => row.reason)).toEqual([
      'duplicate row: store_code EVROOPT-0001 delivered more than once with the same values',
    ]);
  });

  it('fails the step on an empty log, keeping the day’s events', async () => {
    const before = await snapshot('stage.app_events', DAYS[1]);
    writeInbox(f.inbox, `logs/app_events_${DAYS[1]}.log`, '');
    const step = await refused('stage.app_events', DAYS[1]);
    expect(step).toMatchObject({ read: 0, loaded: 0, quarantined: 0 });
    expect(step.error).toMatch(/previous 3 rows are kept/);
    expect(await snapshot('stage.app_events', DAYS[1])).toEqual(before);
  });

  it('fails the first delivery of a day that is empty, although it replaced nothing', async () => {
    writeInbox(f.inbox, salesFile(DAYS[2]), `${csvHeader}\n`);
    const step = await refused('stage.partner_sales', DAYS[2]);
    expect(step.read).toBe(0);
    expect(step.error).toContain(`VITRINA_ACCEPT_PARTIAL_DELIVERY="stage.partner_sales:${DAYS[2]}"`);
  });

  it('fails the step when the rates API answers an empty list, keeping the day’s rates', async () => {
    const rates = async () =>
      (
        await f.warehouse.query(
          'select currency, official_rate::text from stage.nbrb_rates where day = $1 order by 1',
          [DAYS[1]],
        )
      ).rows;
    const before = await rates();
    expect(before).toHaveLength(3);
    writeFileSync(join(f.replay, 'nbrb', `rates-${DAYS[1]}.json`), '[]');
    const step = await refused('stage.nbrb_rates', DAYS[1]);
    expect(step).toMatchObject({ read: 0, loaded: 0, quarantined: 0 });
    expect(step.error).toMatch(new RegExp(`NBRB rates on ${DAYS[1]}: .*previous 3 rows are kept`));
    expect(await rates()).toEqual(before);
  });

  it('does not let an empty source empty a reference table loaded in full', async () => {
    await f.registry.query('delete from "REGISTRY"."USER_SETTINGS"');
    const step = await refused('stage.user_settings', DAYS[1]);
    expect(step.error).toMatch(/USER_SETTINGS: .*previous 3 rows are kept/);
    expect((await f.warehouse.query('select count(*)::int as n from stage.user_settings')).rows[0].n).toBe(3);
  });

  it('loads a delivery as it is once accepted, with a warning', async () => {
    writeInbox(f.inbox, salesFile(DAYS[1]), `${csvHeader}\n`);
    const accept = { VITRINA_ACCEPT_PARTIAL_DELIVERY: `stage.partner_sales:${DAYS[1]}, stage.nbrb_rates:*` };
    const outcome = await f.withSettings(accept, (resources) =>
      f.materialize(
        'stage.partner_sales stage.nbrb_rates',
        { from: DAYS[1], to: DAYS[1], force: true },
        resources,
      ),
    );
    expect(outcome.steps.map((step) => `${step.assetKey} ${step.status}`).sort()).toEqual([
      'stage.nbrb_rates success',
      'stage.partner_sales success',
    ]);
    expect(
      (
        await f.warehouse.query('select count(*)::int as n from stage.partner_sales where day = $1', [
          DAYS[1],
        ])
      ).rows[0].n,
    ).toBe(0);
    expect(
      (await f.warehouse.query('select count(*)::int as n from stage.nbrb_rates where day = $1', [DAYS[1]]))
        .rows[0].n,
    ).toBe(0);
    const warnings = (await f.runs.storage.listEvents(outcome.run.id)).filter((event) =>
      event.message?.includes('VITRINA_ACCEPT_PARTIAL_DELIVERY accepts it'),
    );
    expect(warnings.map((event) => event.assetKey).sort()).toEqual([
      'stage.nbrb_rates',
      'stage.partner_sales',
    ]);
  });

  it('holds each asset to its share of quarantined rows, 20 % unless set otherwise', async () => {
    // The first day's file: 3 lines, 1 of them bad (33.3 %); the fixture allows 50 %.
    const before = await snapshot('stage.partner_sales', DAYS[0]);
    for (const share of ['', 'stage.partner_sales=20%', '*=0.3']) {
      const step = await f.withSettings({ VITRINA_MAX_QUARANTINED_SHARE: share }, (resources) =>
        refused('stage.partner_sales', DAYS[0], resources),
      );
      expect(step, share).toMatchObject({ read: 3, loaded: 2, quarantined: 1 });
      expect(step.error).toMatch(/33(\.3)? % > (20|30) %/);
    }
    expect(await snapshot('stage.partner_sales', DAYS[0])).toEqual(before);
    const passes = await f.withSettings(
      { VITRINA_MAX_QUARANTINED_SHARE: '*=10%, stage.partner_sales=40%' },
      (resources) =>
        f.materialize('stage.partner_sales', { from: DAYS[0], to: DAYS[0], force: true }, resources),
    );
    expect(passes.steps[0]?.status).toBe('success');
  });

  it('names a malformed setting', () => {
    expect(() => loadWarehouseConfig({ VITRINA_ACCEPT_PARTIAL_DELIVERY: 'partner_sales' })).toThrow(
      /^VITRINA_ACCEPT_PARTIAL_DELIVERY: "partner_sales": expected <asset>:<day>/,
    );
    expect(() => loadWarehouseConfig({ VITRINA_MAX_QUARANTINED_SHARE: 'stage.partner_sales=120%' })).toThrow(
      /^VITRINA_MAX_QUARANTINED_SHARE: "stage.partner_sales=120%"/,
    );
    expect(() => loadWarehouseConfig({ VITRINA_FILE_ENCODINGS: 'stage.partner_sales=koi8-r' })).toThrow(
      /^VITRINA_FILE_ENCODINGS: /,
    );
    const config = loadWarehouseConfig({
      VITRINA_ACCEPT_PARTIAL_DELIVERY: 'stage.partner_sales:2026-01-05,stage.app_events:*',
      VITRINA_MAX_QUARANTINED_SHARE: 'stage.app_events=5%',
    });
    expect(config.VITRINA_ACCEPT_PARTIAL_DELIVERY).toEqual([
      { asset: 'stage.partner_sales', partition: '2026-01-05' },
      { asset: 'stage.app_events', partition: '*' },
    ]);
    expect(config.VITRINA_MAX_QUARANTINED_SHARE.get('stage.app_events')).toBe(0.05);
  });
});
