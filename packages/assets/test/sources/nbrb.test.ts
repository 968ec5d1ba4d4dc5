import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReplayServer } from '../../src/replay/server.ts';
import { fetchDynamics, fetchRatesOn, nbrbRateSchema, toDailyRate } from '../../src/sources/nbrb.ts';

/** Fixtures in NBRB's format: USD quoted per 1 (Cur_ID 431 since 2021), RUB per 100. */
const rates = (day: string, usd: number, rub: number) => [
  {
    Cur_ID: 431,
    Date: `${day}T00:00:00`,
    Cur_Abbreviation: 'USD',
    Cur_Scale: 1,
    Cur_Name: 'Доллар США',
    Cur_OfficialRate: usd,
  },
  {
    Cur_ID: 456,
    Date: `${day}T00:00:00`,
    Cur_Abbreviation: 'RUB',
    Cur_Scale: 100,
    Cur_Name: 'Российских рублей',
    Cur_OfficialRate: rub,
  },
];

let fixtures: string;
let replay: Awaited<ReturnType<typeof startReplayServer>>;
beforeAll(async () => {
  fixtures = mkdtempSync(join(tmpdir(), 'vitrina-nbrb-'));
  mkdirSync(join(fixtures, 'nbrb'));
  for (const [day, usd, rub] of [
    ['2025-01-10', 3.4, 3.1],
    ['2026-01-09', 2.95, 3.7],
    ['2026-01-12', 2.96, 3.72],
  ] as const) {
    writeFileSync(join(fixtures, 'nbrb', `rates-${day}.json`), JSON.stringify(rates(day, usd, rub)));
  }
  replay = await startReplayServer(fixtures);
});
afterAll(async () => {
  await replay?.close();
  rmSync(fixtures, { recursive: true, force: true });
});

describe('NBRB rates through the replay server', () => {
  it('fetches a day in the real format, keeping the rate per Cur_Scale units as published', async () => {
    const raw = await fetchRatesOn(replay.url, '2026-01-09');
    const daily = raw.map((record) => toDailyRate(nbrbRateSchema.parse(record)));
    expect(daily).toEqual([
      { day: '2026-01-09', currency: 'USD', curId: 431, scale: 1, officialRate: 2.95 },
      { day: '2026-01-09', currency: 'RUB', curId: 456, scale: 100, officialRate: 3.7 },
    ]);
  });

  it('answers a day without rates (a weekend) with a clear 404', async () => {
    await expect(fetchRatesOn(replay.url, '2026-01-10')).rejects.toThrow(
      /exrates\/rates\?periodicity=0&ondate=2026-01-10: HTTP 404/,
    );
  });

  it('backfills a currency in requests of at most 365 days', async () => {
    const before = replay.requests.length;
    const usd = await fetchDynamics(replay.url, 431, '2025-01-01', '2026-01-31');
    expect(usd).toEqual([
      { day: '2025-01-10', officialRate: 3.4 },
      { day: '2026-01-09', officialRate: 2.95 },
      { day: '2026-01-12', officialRate: 2.96 },
    ]);
    const made = replay.requests.slice(before);
    expect(made).toEqual([
      '/exrates/rates/dynamics/431?startdate=2025-01-01&enddate=2025-12-31',
      '/exrates/rates/dynamics/431?startdate=2026-01-01&enddate=2026-01-31',
    ]);
  });

  it('rejects a record of the wrong shape, naming the field', () => {
    const result = nbrbRateSchema.safeParse({ ...rates('2026-01-09', 2.95, 3.7)[0], Cur_Scale: 0 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(['Cur_Scale']);
  });
});
