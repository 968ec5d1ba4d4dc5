import { describe, expect, it } from 'vitest';
import { dayKey, dayNumber, generateSnapshot, type SqlValue } from '../src/index.ts';
import { bynPerUnit } from '../src/rates.ts';
import { generateDay, rowsOf, START, world } from './helpers.ts';

type Row = Record<string, SqlValue>;
const day = (offset: number) => dayKey(dayNumber(START) + offset);
const weekdayOf = (timestamp: string) => new Date(`${timestamp.slice(0, 10)}T00:00:00Z`).getUTCDay();

describe('business accounts: legal clients and entrepreneurs pay through the app themselves', () => {
  const company = world({ badRowRate: 0 });
  const days = Array.from({ length: 14 }, (_, i) => i);
  const rows = days.flatMap((offset) =>
    rowsOf(generateDay(company, day(offset)), 'core.transactions').map(({ row }) => row as Row),
  );
  const successes = rows.filter((row) => row.status === 'success');
  const business = successes.filter((row) => row.payer_type !== 'individual');
  const snapshot = generateSnapshot(company, day(-1));
  const clients = new Map(rowsOf(snapshot, 'REGISTRY.LEGAL_CLIENTS').map(({ row }) => [row.CLIENT_ID, row]));
  const contracts = new Map(rowsOf(snapshot, 'REGISTRY.CONTRACTS').map(({ row }) => [row.CLIENT_ID, row]));

  it('an individual pays for themself; a business payment names the registry client it is for', () => {
    for (const row of rows) {
      if (row.payer_type === 'individual') expect(row.payer_legal_client_id).toBeNull();
      else {
        expect(['legal', 'entrepreneur']).toContain(row.payer_type);
        const client = clients.get(row.payer_legal_client_id as number);
        expect(client, String(row.payer_legal_client_id)).toBeDefined();
        // Entrepreneurs are the registry's clients of the legal form ИП.
        expect(String(client!.NAME).startsWith('ИП ')).toBe(row.payer_type === 'entrepreneur');
        expect(row.cashback_campaign_id).toBeNull();
      }
    }
    expect(new Set(business.map((row) => row.payer_type))).toEqual(new Set(['legal', 'entrepreneur']));
  });

  it('B2B is 8–15% of successful payments and 20–35% of their turnover', () => {
    const b2b = business;
    const turnover = (list: Row[]) =>
      list.reduce(
        (total, row) =>
          total +
          (row.amount as number) *
            bynPerUnit(company, dayNumber(String(row.trans_date).slice(0, 10)), String(row.currency)),
        0,
      );
    const share = b2b.length / successes.length;
    expect(share).toBeGreaterThan(0.08);
    expect(share).toBeLessThan(0.15);
    const turnoverShare = turnover(b2b) / turnover(successes);
    expect(turnoverShare).toBeGreaterThan(0.2);
    expect(turnoverShare).toBeLessThan(0.35);
  });

  it('businesses pay on weekdays in business hours, and more often on higher tariffs', () => {
    const weekday = business.filter((row) => ![0, 6].includes(weekdayOf(String(row.trans_date))));
    expect(weekday.length / business.length).toBeGreaterThan(0.9);
    const hour = (row: Row) => Number(String(row.trans_date).slice(11, 13));
    expect(weekday.filter((row) => hour(row) >= 8 && hour(row) < 19).length / weekday.length).toBeGreaterThan(
      0.9,
    );
    // Payments per paying client by the client's tariff (its contract's): CORPORATE ≫ START.
    const perClient = new Map<number, Map<number, number>>();
    for (const row of business) {
      const tariff = contracts.get(row.payer_legal_client_id as number)?.TARIFF_ID as number | undefined;
      if (tariff === undefined) continue;
      const counts = perClient.get(tariff) ?? new Map<number, number>();
      const id = row.payer_legal_client_id as number;
      counts.set(id, (counts.get(id) ?? 0) + 1);
      perClient.set(tariff, counts);
    }
    const frequency = (tariff: number) => {
      const counts = [...(perClient.get(tariff)?.values() ?? [])];
      return counts.reduce((a, b) => a + b, 0) / counts.length;
    };
    expect(frequency(4)).toBeGreaterThan(3 * frequency(1));
  });
});

describe('grocery chains’ own cashback campaigns have different effects', () => {
  const company = world({ badRowRate: 0 });
  const favourite = new Map<number, number>();
  for (const user of company.usersThrough(dayNumber(START) + 60)) favourite.set(user.id, user.favouriteChain);
  const chainIndex = (name: string) =>
    ['Евроопт', 'Санта', 'Гиппо', 'Корона', 'Соседи', 'Белмаркет'].indexOf(name);
  const offsetOf = (key: string) => dayNumber(key) - dayNumber(START);
  /** Trips of each chain's own customers to it on a day (successful grocery payments). */
  const tripsOn = new Map<number, Map<string, number>>();
  const trips = (offset: number) => {
    if (!tripsOn.has(offset)) {
      const counts = new Map<string, number>();
      for (const { row } of rowsOf(generateDay(company, day(offset)), 'core.transactions')) {
        const merchant = company.merchantsById.get(row.merchant_id as number);
        if (row.status !== 'success' || merchant?.vertical !== 'grocery' || !merchant.chain) continue;
        if (favourite.get(row.user_id as number) !== chainIndex(merchant.chain)) continue;
        counts.set(merchant.chain, (counts.get(merchant.chain) ?? 0) + 1);
      }
      tripsOn.set(offset, counts);
    }
    return tripsOn.get(offset)!;
  };
  /** Customers' trips to their chain in its first campaign vs the 10 days before, against Белмаркет's (no campaigns). */
  const lift = (chain: string) => {
    const campaign = company.campaigns.find((c) => c.chain === chain)!;
    const first = offsetOf(campaign.starts_on);
    const sum = (name: string, from: number, to: number) => {
      let total = 0;
      for (let offset = from; offset < to; offset++) total += trips(offset).get(name) ?? 0;
      return total;
    };
    const ratio = (name: string) => sum(name, first, first + 10) / sum(name, first - 10, first);
    return ratio(chain) / ratio('Белмаркет');
  };

  it('Гиппо’s campaign makes its customers shop there far more often; Корона’s changes nothing', () => {
    expect(lift('Гиппо')).toBeGreaterThan(1.5);
    expect(Math.abs(lift('Корона') - 1)).toBeLessThan(0.15);
  });
});
