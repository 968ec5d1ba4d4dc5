import { describe, expect, it } from 'vitest';
import { dayKey, dayNumber, type Generated, generateDay, type SqlValue } from '../src/index.ts';
import { rowsOf, START, world } from './helpers.ts';

type Row = Record<string, SqlValue>;
const day = (offset: number) => dayKey(dayNumber(START) + offset);
const hourOf = (timestamp: string) => Number(timestamp.slice(11, 13));
const weekdayOf = (timestamp: string) => new Date(`${timestamp.slice(0, 10)}T00:00:00Z`).getUTCDay(); // 0 Sunday

describe('bad rows', () => {
  const knownCurrencies = new Set(['BYN', 'USD', 'EUR', 'RUB']);

  /** Finds the critical violations in a day's transactions without asking the generator which they are. */
  function criticalViolations(rows: Generated<Row>[]) {
    const amounts = new Map<number, Set<number>>();
    for (const { row } of rows) {
      const id = row.transaction_id as number;
      amounts.set(id, (amounts.get(id) ?? new Set()).add(row.amount as number));
    }
    return {
      duplicateIdsWithOtherAmounts: [...amounts.values()].filter((set) => set.size > 1).length,
      wellFormedCurrencyWithoutRate: rows.filter(
        ({ row }) => /^[A-Z]{3}$/.test(String(row.currency)) && !knownCurrencies.has(String(row.currency)),
      ).length,
      commissionAboveAmount: rows.filter(
        ({ row }) =>
          row.status === 'success' &&
          (row.commission as number) > (row.amount as number) &&
          (row.amount as number) > 0,
      ).length,
    };
  }

  it('the default injects no critical violation; `critical` injects each kind once a day', () => {
    const normal = rowsOf(generateDay(world(), day(1)), 'core.transactions');
    expect(criticalViolations(normal)).toEqual({
      duplicateIdsWithOtherAmounts: 0,
      wellFormedCurrencyWithoutRate: 0,
      commissionAboveAmount: 0,
    });
    const critical = rowsOf(generateDay(world({ critical: true }), day(1)), 'core.transactions');
    expect(criticalViolations(critical)).toEqual({
      duplicateIdsWithOtherAmounts: 1,
      wellFormedCurrencyWithoutRate: 1,
      commissionAboveAmount: 1,
    });
  });

  it('non-critical bad rows come at the configured rate, and each one is detectable', () => {
    const rate = 0.01;
    const rows = [0, 1, 2].flatMap((offset) =>
      rowsOf(generateDay(world({ badRowRate: rate }), day(offset)), 'core.transactions'),
    );
    const seen = new Set<string>();
    let detected = 0;
    for (const { row } of rows) {
      const key = JSON.stringify(row);
      const bad =
        (row.amount as number) < 0 ||
        !knownCurrencies.has(String(row.currency)) ||
        row.merchant_id === null ||
        row.user_id === null ||
        seen.has(key);
      seen.add(key);
      if (bad) detected++;
    }
    const flagged = rows.filter((generated) => generated.bad).length;
    expect(detected).toBe(flagged);
    const good = rows.length - flagged;
    // Binomial: mean rate × rows, well within five standard deviations.
    const mean = rate * good;
    expect(Math.abs(flagged - mean)).toBeLessThan(5 * Math.sqrt(mean));
  });

  it('with no bad-row rate there are no bad rows, and the good rows are the same as with one', () => {
    const clean = rowsOf(generateDay(world({ badRowRate: 0 }), day(1)), 'core.transactions');
    expect(clean.filter((generated) => generated.bad)).toEqual([]);
    const dirty = rowsOf(generateDay(world({ badRowRate: 0.05 }), day(1)), 'core.transactions').filter(
      (generated) => !generated.bad,
    );
    const cleanIds = new Set(clean.map(({ row }) => JSON.stringify(row)));
    expect(dirty.every(({ row }) => cleanIds.has(JSON.stringify(row)))).toBe(true);
  });
});

describe('behaviour the dashboards must find, computed from the raw generated rows', () => {
  const company = world({ badRowRate: 0 });
  const merchants = company.merchantsById;
  const transactions = (offsets: number[]) =>
    offsets.flatMap((offset) =>
      rowsOf(generateDay(company, day(offset)), 'core.transactions').map(({ row }) => row),
    );
  const twoWeeks = transactions(Array.from({ length: 14 }, (_, i) => i));
  const vertical = (row: Row) => merchants.get(row.merchant_id as number)?.vertical;

  it('grocery takes a larger share of payments on weekend evenings than on weekday mornings', () => {
    const share = (rows: Row[]) => rows.filter((row) => vertical(row) === 'grocery').length / rows.length;
    const weekendEvenings = twoWeeks.filter(
      (row) =>
        [0, 6].includes(weekdayOf(String(row.trans_date))) &&
        hourOf(String(row.trans_date)) >= 17 &&
        hourOf(String(row.trans_date)) < 21,
    );
    const weekdayMornings = twoWeeks.filter(
      (row) =>
        ![0, 6].includes(weekdayOf(String(row.trans_date))) &&
        hourOf(String(row.trans_date)) >= 7 &&
        hourOf(String(row.trans_date)) < 10,
    );
    expect(share(weekendEvenings)).toBeGreaterThan(share(weekdayMornings) + 0.1);
  });

  it('a few chains dominate grocery: Евроопт leads by turnover, the top three hold most of it', () => {
    const turnover = new Map<string, number>();
    for (const row of twoWeeks) {
      const merchant = merchants.get(row.merchant_id as number);
      if (merchant?.vertical !== 'grocery' || row.currency !== 'BYN' || row.status !== 'success') continue;
      const chain = merchant.chain ?? 'single';
      turnover.set(chain, (turnover.get(chain) ?? 0) + (row.amount as number));
    }
    const ranked = [...turnover].sort((a, b) => b[1] - a[1]);
    const total = ranked.reduce((sum, [, value]) => sum + value, 0);
    expect(ranked[0]![0]).toBe('Евроопт');
    expect(ranked.slice(0, 3).reduce((sum, [, value]) => sum + value, 0) / total).toBeGreaterThan(0.5);
  });

  it('auto-service demand rises in the tyre season (from mid-October)', () => {
    const serviceShare = (rows: Row[]) =>
      rows.filter((row) => merchants.get(row.merchant_id as number)?.subtype === 'service').length /
      rows.length;
    // START is 5 October: its first week is before the season, the third inside it.
    expect(serviceShare(transactions([14, 15, 16, 17, 18, 19, 20]))).toBeGreaterThan(
      1.5 * serviceShare(twoWeeks.slice(0, Math.floor(twoWeeks.length / 2))),
    );
  });

  it('a cashback campaign lifts its chain: Евроопт wins grocery share while its campaign runs', () => {
    const campaign = company.campaigns.find((c) => c.chain === 'Евроопт')!;
    const offsetOf = (key: string) => dayNumber(key) - dayNumber(START);
    const during = transactions([0, 1, 2, 3].map((i) => offsetOf(campaign.starts_on) + i));
    const chainShare = (rows: Row[]) => {
      const grocery = rows.filter((row) => vertical(row) === 'grocery');
      return (
        grocery.filter((row) => merchants.get(row.merchant_id as number)?.chain === 'Евроопт').length /
        grocery.length
      );
    };
    expect(chainShare(during)).toBeGreaterThan(chainShare(twoWeeks) + 0.08);
    expect(
      during.some(
        (row) => row.cashback_campaign_id === campaign.campaign_id && (row.cashback_amount as number) > 0,
      ),
    ).toBe(true);
  });

  it('users without a card in their first 3 days churn far more', () => {
    // Users registered in the first week; activity (sessions) in the fifth week tells who stayed.
    const registered = new Map<number, number>();
    const cardLinked = new Map<number, number>();
    for (let offset = 0; offset < 7; offset++) {
      const increment = generateDay(company, day(offset));
      for (const { row } of rowsOf(increment, 'REGISTRY.USER_PROFILES'))
        registered.set(row.USER_ID as number, Date.parse(`${String(row.REGISTERED_AT).replace(' ', 'T')}Z`));
    }
    for (let offset = 0; offset < 28; offset++) {
      for (const { row } of rowsOf(generateDay(company, day(offset)), 'core.cards'))
        cardLinked.set(row.user_id as number, Date.parse(`${String(row.linked_at).replace(' ', 'T')}Z`));
    }
    const active = new Set<number>();
    for (let offset = 28; offset < 35; offset++) {
      for (const { row } of rowsOf(generateDay(company, day(offset)), 'REGISTRY.APP_SESSIONS'))
        active.add(row.USER_ID as number);
    }
    const early: number[] = [];
    const late: number[] = [];
    for (const [user, at] of registered) {
      const linked = cardLinked.get(user);
      (linked !== undefined && linked - at <= 3 * 86_400_000 ? early : late).push(user);
    }
    const retention = (users: number[]) => users.filter((user) => active.has(user)).length / users.length;
    expect(early.length).toBeGreaterThan(30);
    expect(late.length).toBeGreaterThan(30);
    expect(retention(early)).toBeGreaterThan(2 * retention(late));
  });

  it('channels convert differently: referral installs register far more often than TikTok ones', async () => {
    const installs = new Map<string, { installs: number; registered: number }>();
    const channelOfDevice = new Map<string, string>();
    for (let offset = 0; offset < 7; offset++) {
      const log = generateDay(company, day(offset)).files.find((file) => file.kind === 'log');
      if (log?.kind !== 'log') throw new Error('no log');
      for (const { row } of log.lines()) {
        const device = / device=(\S+)/.exec(row)?.[1];
        const install = / name=app_install channel=(\S+)/.exec(row);
        if (install && device) {
          channelOfDevice.set(device, install[1]!);
          const counts = installs.get(install[1]!) ?? { installs: 0, registered: 0 };
          counts.installs++;
          installs.set(install[1]!, counts);
        } else if (row.includes(' name=registration_complete') && device) {
          const counts = installs.get(channelOfDevice.get(device) ?? '');
          if (counts) counts.registered++;
        }
      }
    }
    const rate = (channel: string) => installs.get(channel)!.registered / installs.get(channel)!.installs;
    expect(rate('referral')).toBeGreaterThan(rate('tiktok_ads') + 0.15);
  });
});
