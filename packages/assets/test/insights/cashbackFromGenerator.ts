import type { Raw } from '../warehouse/generatorRows.ts';
import type { Figures, Success } from './successes.ts';

/** A user's favourite grocery chain: most trips; of equals, the greatest name ('' = single stores). */
export function favouriteChains(grocery: readonly Success[]): Map<number, string> {
  const trips = new Map<number, Map<string, number>>();
  for (const { payment, chain } of grocery) {
    const byChain = trips.get(payment.userId) ?? new Map<string, number>();
    byChain.set(chain, (byChain.get(chain) ?? 0) + 1);
    trips.set(payment.userId, byChain);
  }
  const favourites = new Map<number, string>();
  for (const [userId, byChain] of trips) {
    let best: [string, number] | null = null;
    for (const entry of byChain)
      if (!best || entry[1] > best[1] || (entry[1] === best[1] && entry[0] > best[0])) best = entry;
    favourites.set(userId, best![0]);
  }
  return favourites;
}

/**
 * cashback_frequency (mart.payments). Grocery trips: successful B2C payments at grocery merchants.
 * A chain's campaign: a cashback campaign id paid (on any grocery payment of the loaded days) at that
 * chain only; its days: the days a payment carried it. Days when a campaign paid at three chains or
 * more ran (the vertical's) are left out of both sides. A chain's customers: the users whose
 * favourite (most trips) it is. Per chain with a campaign, during and outside its days: its
 * customers' trips to it per customer and day, and its share of all grocery trips.
 */
export function cashbackFrequency(raw: Raw, successes: readonly Success[]): Figures[] {
  const grocery = successes.filter((s) => s.b2c && s.vertical === 'grocery');
  const favourites = favouriteChains(grocery);
  const customers = new Map<string, number>();
  for (const chain of favourites.values()) customers.set(chain, (customers.get(chain) ?? 0) + 1);

  // Campaign ids by the chains and days they were paid at, over every grocery payment.
  const campaigns = new Map<number, { chains: Set<string>; days: Set<string> }>();
  for (const payment of raw.payments.values()) {
    const merchant = raw.merchantKinds.get(payment.merchantId);
    if (
      !raw.loaded.has(payment.day) ||
      merchant?.vertical !== 'grocery' ||
      payment.cashbackCampaignId === null
    )
      continue;
    const campaign = campaigns.get(payment.cashbackCampaignId) ?? { chains: new Set(), days: new Set() };
    campaign.chains.add(merchant.chain);
    campaign.days.add(payment.day);
    campaigns.set(payment.cashbackCampaignId, campaign);
  }
  const campaignDays = new Map<string, Set<string>>();
  const excluded = new Set<string>();
  for (const { chains, days } of campaigns.values()) {
    const [only] = chains;
    if (chains.size === 1 && only !== '') {
      const known = campaignDays.get(only!) ?? new Set<string>();
      for (const day of days) known.add(day);
      campaignDays.set(only!, known);
    }
    if (chains.size >= 3) for (const day of days) excluded.add(day);
  }

  const groceryTrips = new Map<string, number>();
  const cells = new Map<string, { chain: string; day: string; own: number; trips: number }>();
  for (const { payment, chain } of grocery) {
    groceryTrips.set(payment.day, (groceryTrips.get(payment.day) ?? 0) + 1);
    if (chain === '') continue;
    const key = `${chain}|${payment.day}`;
    const cell = cells.get(key) ?? { chain, day: payment.day, own: 0, trips: 0 };
    cell.trips++;
    if (favourites.get(payment.userId) === chain) cell.own++;
    cells.set(key, cell);
  }

  const rows: Figures[] = [];
  for (const [chain, days] of campaignDays) {
    const kept = [...cells.values()].filter((cell) => cell.chain === chain && !excluded.has(cell.day));
    const during = kept.filter((cell) => days.has(cell.day));
    const outside = kept.filter((cell) => !days.has(cell.day));
    const sum = (list: typeof kept, of: (cell: (typeof kept)[number]) => number) =>
      list.reduce((total, cell) => total + of(cell), 0);
    const own = (cell: (typeof kept)[number]) => cell.own;
    const trips = (cell: (typeof kept)[number]) => cell.trips;
    const all = (cell: (typeof kept)[number]) => groceryTrips.get(cell.day)!;
    const buyers = customers.get(chain) ?? 0;
    const frequencyDuring = sum(during, own) / buyers / during.length;
    const frequencyOutside = sum(outside, own) / buyers / outside.length;
    const shareDuring = sum(during, trips) / sum(during, all);
    const shareOutside = sum(outside, trips) / sum(outside, all);
    const kept_days = kept.map((cell) => cell.day).sort();
    rows.push({
      chain,
      period_from: kept_days[0]!,
      period_to: kept_days.at(-1)!,
      customers: buyers,
      campaign_days: during.length,
      other_days: outside.length,
      frequency_during: frequencyDuring,
      frequency_outside: frequencyOutside,
      frequency_lift: frequencyDuring / frequencyOutside - 1,
      share_during: shareDuring,
      share_outside: shareOutside,
      share_change: shareDuring - shareOutside,
    });
  }
  return rows.sort((a, b) => Number(b.frequency_lift) - Number(a.frequency_lift));
}
