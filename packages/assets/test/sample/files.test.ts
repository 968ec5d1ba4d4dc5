import { createReadStream, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tempDatabase } from '@vitrina/core/testing';
import { readCsv, readDocxText, readExcel } from '@vitrina/io';
import { startFtpServer, tempMysqlDatabase } from '@vitrina/io/testing';
import { createWorld, dayKey, dayNumber, type SeedSummary, seedCompany } from '@vitrina/sample-company';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../../src/replay/server.ts';
import { fetchRatesOn, nbrbRateSchema } from '../../src/sources/nbrb.ts';
import { geocode } from '../../src/sources/yandex.ts';

/** A Monday, as the sample company's own tests start. */
const START = '2026-10-05';

const day = (offset: number) => dayKey(dayNumber(START) + offset);
const LAST = 6; // START is a Monday: the week's agency report arrives on day 6, a Sunday.

let ftpRoot: string;
let folder: string;
let summary: SeedSummary;
const stops: Array<() => Promise<void>> = [];

beforeAll(async () => {
  ftpRoot = mkdtempSync(join(tmpdir(), 'vitrina-ftp-'));
  folder = mkdtempSync(join(tmpdir(), 'vitrina-seed-files-'));
  const [ftp, payments, registry, crm] = await Promise.all([
    startFtpServer(ftpRoot),
    tempDatabase('seedf_payments'),
    tempDatabase('seedf_registry'),
    tempMysqlDatabase('seedf_crm'),
  ]);
  stops.push(ftp.stop, payments.drop, registry.drop, crm.drop);
  summary = await seedCompany(
    {
      crmUrl: crm.url,
      paymentsUrl: payments.url,
      registryUrl: registry.url,
      ftpUrl: `${ftp.url}/outbox`,
      inbox: join(folder, 'inbox'),
      replay: join(folder, 'replay'),
    },
    { scale: 1, seed: 3, start: START, from: day(0), to: day(LAST), badRowRate: 0.03 },
  );
}, 120_000);
afterAll(async () => {
  await Promise.all(stops.map((stop) => stop()));
  rmSync(ftpRoot, { recursive: true, force: true });
  rmSync(folder, { recursive: true, force: true });
});

const counted = (file: string) => {
  for (const d of summary.days) {
    const found = d.tables.find((t) => t.table === file);
    if (found) return found;
  }
  throw new Error(`no ${file} in the summary`);
};
const outbox = (path: string) => join(ftpRoot, 'outbox', path);

describe('the files the company delivers over FTP', () => {
  it('partner sales parse with readCsv; the broken lines are exactly the injected ones', async () => {
    const file = `partner_sales/partner_sales_${day(2)}.csv`;
    let lines = 0;
    let broken = 0;
    for await (const { record } of readCsv(createReadStream(outbox(file)), { delimiter: ';' })) {
      lines++;
      const fields = Object.keys(record).filter((key) => key !== '_extra');
      const wellFormed =
        fields.length === 9 &&
        !('_extra' in record) &&
        /^\d{4}-\d{2}-\d{2}$/.test(record.sale_date ?? '') &&
        !Number.isNaN(Date.parse(record.sale_date ?? '')) &&
        Object.values(record).every((value) => value !== undefined) &&
        /^\d+,\d{2}$/.test(record.turnover_total_byn ?? '') &&
        /^\d+,\d{2}$/.test(record.turnover_app_byn ?? '');
      if (!wellFormed) broken++;
    }
    const counts = counted(file);
    expect(lines).toBe(counts.written);
    expect(broken).toBe(Object.values(counts.bad).reduce((a, b) => a + (b ?? 0), 0));
    expect(broken).toBeGreaterThan(0);
  });

  it('the app log has one [event] line per record, broken ones without name=', () => {
    const file = `logs/app_events_${day(3)}.log`;
    const lines = readFileSync(outbox(file), 'utf8').trim().split('\n');
    const events = lines.filter((line) => line.includes(' [event] '));
    const broken = events.filter((line) => !/ name=\S/.test(line));
    expect(lines.length).toBeGreaterThan(events.length); // the server's own [http] noise
    expect(events.length).toBe(counted(file).written);
    expect(broken.length).toBe(counted(file).bad.broken_event_line ?? 0);
    expect(events.some((line) => line.includes('name=app_install channel='))).toBe(true);
    expect(
      events.some((line) => /name=payment_success amount=\d+\.\d{2} currency=BYN merchant=\d+/.test(line)),
    ).toBe(true);
  });

  it('the weekly agency report parses with readExcel; text in number cells is exactly the injected rows', async () => {
    const file = `agency/agency_report_${day(0)}.xlsx`;
    let rows = 0;
    let textInNumbers = 0;
    for await (const { record } of readExcel(outbox(file))) {
      rows++;
      expect(record.Дата).toBeInstanceOf(Date);
      const numbers = ['Расход, BYN', 'Показы', 'Клики', 'Установки'].map((column) => record[column]);
      if (numbers.some((value) => typeof value !== 'number')) textInNumbers++;
    }
    expect(rows).toBe(counted(file).written);
    expect(textInNumbers).toBe(counted(file).bad.text_in_number_cell ?? 0);
    expect(rows).toBeGreaterThan(7 * 4);
  });

  it('contracts and product descriptions read with readDocxText', async () => {
    const contracts = readdirSync(outbox('docs/contracts'));
    expect(contracts.length).toBeGreaterThan(10);
    const text = await readDocxText(contracts[0]!, readFileSync(outbox(`docs/contracts/${contracts[0]}`)));
    expect(text).toMatch(/ДОГОВОР № Д-\d{4}\/\d{5,}/);
    expect(text).toMatch(/Тариф: (START|BUSINESS|PREMIUM|CORPORATE)/);
    expect(text).toMatch(/Сумма договора: [\d ]+,\d{2} BYN/);
    const product = await readDocxText('product', readFileSync(outbox('docs/products/product_PAY_QR.docx')));
    expect(product).toContain('Продукт: Оплата по QR-коду (PAY_QR)');
  });
});

describe('the replay fixtures', () => {
  it('the replay server serves NBRB rates in realistic ranges and a geocode for every address', async () => {
    const replay = await startReplayServer(join(folder, 'replay'), { yandexApiKey: 'key' });
    try {
      for (const offset of [0, 5]) {
        const rates = (await fetchRatesOn(replay.url, day(offset))).map((rate) => nbrbRateSchema.parse(rate));
        const byCode = new Map(rates.map((rate) => [rate.Cur_Abbreviation, rate]));
        expect(byCode.get('USD')!.Cur_OfficialRate).toBeGreaterThan(2.9);
        expect(byCode.get('USD')!.Cur_OfficialRate).toBeLessThan(3.3);
        expect(byCode.get('EUR')!.Cur_OfficialRate).toBeGreaterThan(3.3);
        expect(byCode.get('EUR')!.Cur_OfficialRate).toBeLessThan(3.7);
        expect(byCode.get('RUB')!.Cur_Scale).toBe(100);
        expect(byCode.get('RUB')!.Cur_OfficialRate).toBeGreaterThan(3.5);
        expect(byCode.get('RUB')!.Cur_OfficialRate).toBeLessThan(4);
      }
      for (const merchant of createWorld({ seed: 3, scale: 1, start: START }).merchants.slice(0, 20)) {
        const point = await geocode(replay.url, 'key', merchant.address);
        expect(point?.components.locality).toBe(merchant.city);
      }
      const answers = readdirSync(join(folder, 'replay', 'yandex'));
      expect(answers.length).toBeGreaterThan(100);
      // An address that was written answers with a point in Belarus.
      const body = JSON.parse(readFileSync(join(folder, 'replay', 'yandex', answers[0]!), 'utf8'));
      const [lon, lat] = body.response.GeoObjectCollection.featureMember[0].GeoObject.Point.pos
        .split(' ')
        .map(Number);
      expect(lon).toBeGreaterThan(23);
      expect(lon).toBeLessThan(33);
      expect(lat).toBeGreaterThan(51);
      expect(lat).toBeLessThan(56.5);
    } finally {
      await replay.close();
    }
  });
});
