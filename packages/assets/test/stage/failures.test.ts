import { cpSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startFtpServer } from '@vitrina/io/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openResources } from '../../src/resources.ts';
import { createFixture, DAYS, type Fixture, writeInbox } from './fixture.ts';

/** What goes wrong at the sources: each failure is clear, names what to look at, and loses nothing. */
let f: Fixture;
beforeAll(async () => {
  f = await createFixture();
  const outcome = await f.materialize('stage.crm_deals', { from: DAYS[0], to: DAYS[0] });
  expect(outcome.run.status).toBe('success');
}, 120_000);
afterAll(async () => f?.dispose());

const failureOf = async (selection: string, range: { from?: string; to?: string; force?: boolean } = {}) => {
  const outcome = await f.materialize(selection, range);
  const step = outcome.steps[0]!;
  expect(step.status).toBe('failed');
  return step;
};

describe('failures at the sources', () => {
  it('retries a source that is down, then fails naming it, without moving the watermark', async () => {
    const before = await f.runs.storage.getCursor('crm.b_crm_deal', 'DATE_MODIFY');
    expect(before).not.toBeNull();
    const down = await openResources({ ...f.config, VITRINA_CRM_URL: 'mysql://root@127.0.0.1:1/bitrix' });
    try {
      const outcome = await f.materialize(
        'stage.crm_deals',
        { from: DAYS[0], to: DAYS[0], force: true },
        down,
      );
      const step = outcome.steps[0]!;
      expect(step.status).toBe('failed');
      expect(step.attempts).toBe(4); // the first attempt and three retries
      expect(step.error).toMatch(/CRM \(Bitrix24 on MySQL\), b_crm_deal: .*ECONNREFUSED/);
    } finally {
      await down.close();
    }
    expect(await f.runs.storage.getCursor('crm.b_crm_deal', 'DATE_MODIFY')).toEqual(before);
    expect((await f.warehouse.query('select count(*)::int as n from stage.crm_deals')).rows[0].n).toBe(3);
  }, 60_000);

  it('names a file that was not delivered', async () => {
    const step = await failureOf('stage.partner_sales', { from: '2026-10-04', to: '2026-10-04' });
    expect(step.error).toMatch(
      /partner_sales\/partner_sales_2026-10-04\.csv is missing in the inbox .*not been delivered/,
    );
  });

  it('names a corrupt workbook and a truncated document, and keeps what was loaded before', async () => {
    expect(
      (await f.materialize('stage.agency_spend stage.product_documents', { from: DAYS[0], to: DAYS[0] })).run
        .status,
    ).toBe('success');
    writeInbox(
      f.inbox,
      'agency/agency_report_2026-10-05.xlsx',
      Buffer.from('PK\u0003\u0004 this is not a workbook'),
    );
    const workbook = await failureOf('stage.agency_spend', { from: DAYS[0], to: DAYS[0], force: true });
    expect(workbook.error).toMatch(/agency_report_2026-10-05\.xlsx is not a readable Excel workbook/);
    rmSync(join(f.inbox, 'agency/agency_report_2026-10-05.xlsx'));

    const product = join(f.inbox, 'docs/products/product_P2P.docx');
    cpSync(product, `${product}.bak`);
    writeFileSync(product, Buffer.from('PK\u0003\u0004\u0014\u0000truncated'));
    const document = await failureOf('stage.product_documents', { from: DAYS[0], to: DAYS[0], force: true });
    expect(document.error).toMatch(/product_P2P\.docx is not a readable DOCX document/);
    cpSync(`${product}.bak`, product);
    rmSync(`${product}.bak`);
    expect(
      (await f.warehouse.query('select count(*)::int as n from stage.product_documents')).rows[0].n,
    ).toBe(1);
    expect((await f.warehouse.query('select count(*)::int as n from stage.agency_spend')).rows[0].n).toBe(2);
  });

  it('backfills the rates of missing days from the dynamics endpoint, and records them', async () => {
    const outcome = await f.materialize('stage.nbrb_rates', { from: DAYS[2], to: DAYS[2] });
    expect(outcome.run.status).toBe('success');
    const rates = (
      await f.warehouse.query<{ day: string; currency: string; official_rate: string }>(
        "select day::text, currency, official_rate::text from stage.nbrb_rates where currency = 'USD' order by day",
      )
    ).rows;
    // The fixture's USD rate is 3.20, 3.21, 3.22 on the three days; RUB is quoted per 100.
    expect(rates.map((r) => [r.day, Number(r.official_rate)])).toEqual([
      [DAYS[0], 3.2],
      [DAYS[1], 3.21],
      [DAYS[2], 3.22],
    ]);
    expect(
      (
        await f.warehouse.query("select scale from stage.nbrb_rates where currency = 'RUB' and day = $1", [
          DAYS[0],
        ])
      ).rows,
    ).toEqual([{ scale: 100 }]);
    const history = await f.runs.storage.materializations('stage.nbrb_rates');
    expect(
      history
        .filter((m) => m.metadata.rewrittenBy === DAYS[2])
        .map((m) => m.partition)
        .sort(),
    ).toEqual([DAYS[0], DAYS[1]]);
  });

  it('fails clearly on garbage from the rates API', async () => {
    writeFileSync(join(f.replay, 'nbrb', 'rates-2026-10-04.json'), '<html>Service Unavailable</html>');
    const html = await failureOf('stage.nbrb_rates', { from: '2026-10-04', to: '2026-10-04' });
    expect(html.error).toMatch(/exrates\/rates\?periodicity=0&ondate=2026-10-04: the response is not JSON/);
    writeFileSync(join(f.replay, 'nbrb', 'rates-2026-10-04.json'), '{"Message":"An error has occurred."}');
    const object = await failureOf('stage.nbrb_rates', { from: '2026-10-04', to: '2026-10-04' });
    expect(object.error).toMatch(/expected array/);
  });

  it('reads the same files from a real FTP server as from the inbox', async () => {
    const root = join(f.inbox, '..', 'ftp-root');
    cpSync(f.inbox, join(root, 'outbox'), { recursive: true });
    const ftp = await startFtpServer(root);
    const remote = await openResources({ ...f.config, VITRINA_FTP_URL: `${ftp.url}/outbox` });
    try {
      const inboxRows = async () =>
        (
          await f.warehouse.query(
            "select md5(string_agg(t::text, ',' order by t::text)) as sum from stage.partner_sales t",
          )
        ).rows[0].sum;
      expect(
        (await f.materialize('stage.partner_sales', { from: DAYS[0], to: DAYS[1], force: true })).run.status,
      ).toBe('success');
      const fromInbox = await inboxRows();
      const outcome = await f.materialize(
        'stage.partner_sales',
        { from: DAYS[0], to: DAYS[1], force: true },
        remote,
      );
      expect(outcome.run.status).toBe('success');
      expect(await inboxRows()).toBe(fromInbox);
      const missing = await f.materialize(
        'stage.partner_sales',
        { from: '2026-10-04', to: '2026-10-04' },
        remote,
      );
      expect(missing.steps[0]?.error).toMatch(
        /partner_sales_2026-10-04\.csv is missing in ftp:\/\/127\.0\.0\.1/,
      );
      expect(missing.steps[0]?.error).not.toContain('secret-pass');
    } finally {
      await remote.close();
      await ftp.stop();
    }
  });
});
