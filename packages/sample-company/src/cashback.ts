import { dayKey } from './calendar.ts';
import type { Random } from './random.ts';
import { groceryChains, type Vertical } from './reference.ts';
import type { CashbackCampaign, Merchant, User } from './world.ts';

/*
 * Cashback campaigns (ground truth, documented in the README): vertical campaigns on a 30-day
 * cadence, and grocery chains' own campaigns, each chain on its own cadence and with its own effect.
 * A chain campaign can `pull` shoppers of other chains (a share of every grocery trip goes to the
 * chain) and `lift` its own customers (users whose favourite chain it is make extra grocery trips to
 * it on their active days): some campaigns do both, some one, some neither (cashback paid for nothing).
 */

/** A vertical campaign multiplies its vertical's weight in the payment mix while it runs. */
export const CAMPAIGN_LIFT = 1.3;

/** Vertical campaigns: one starting every 30 days from start + 15, cycling through these. */
const verticalTemplates: ReadonlyArray<{ name: string; vertical: Vertical; pct: number; days: number }> = [
  { name: 'Шиномонтаж: 7% кэшбэк', vertical: 'auto', pct: 7, days: 21 },
  { name: 'Кафе: 5% кэшбэк', vertical: 'cafe', pct: 5, days: 14 },
  { name: 'Продукты: 3% кэшбэк', vertical: 'grocery', pct: 3, days: 21 },
  { name: 'Аптеки: 3% кэшбэк', vertical: 'pharmacy', pct: 3, days: 14 },
];
const VERTICAL_CADENCE = 30;
const VERTICAL_FIRST = 15;

export interface ChainCampaignPlan {
  chain: string;
  pct: number;
  days: number;
  /** Days after start of the first campaign; the next ones follow every CHAIN_CADENCE days. */
  offset: number;
  /** Share of every user's grocery trips sent to the chain while it runs (shoppers of other chains). */
  pull: number;
  /** Mean extra grocery trips to the chain per active day of each of its own customers while it runs. */
  lift: number;
}

/** Chain campaigns repeat every 60 days; Белмаркет never runs one (the control chain). */
export const CHAIN_CADENCE = 60;
export const chainCampaignPlans: readonly ChainCampaignPlan[] = [
  // Share only: Санта's campaigns draw other chains' shoppers; its own customers shop as usual.
  { chain: 'Санта', pct: 4, days: 14, offset: 1, pull: 0.1, lift: 0 },
  // Both: the market leader's campaigns win share and make its customers shop more often.
  { chain: 'Евроопт', pct: 5, days: 14, offset: 15, pull: 0.1, lift: 0.4 },
  // Frequency only: Гиппо's own customers come back far more often, nobody switches.
  { chain: 'Гиппо', pct: 5, days: 12, offset: 29, pull: 0, lift: 0.7 },
  // No effect at all: Корона pays cashback on the trips it would have had anyway.
  { chain: 'Корона', pct: 3, days: 21, offset: 41, pull: 0, lift: 0 },
  // A mild one.
  { chain: 'Соседи', pct: 4, days: 14, offset: 50, pull: 0.05, lift: 0.25 },
];

/** Every campaign of the two years from start, ordered by first day (campaign ids in that order). */
export function cashbackCampaigns(startDay: number): CashbackCampaign[] {
  const drafts: Array<Omit<CashbackCampaign, 'campaign_id' | 'starts_on' | 'ends_on'>> = [];
  for (let index = 0; index < 24; index++) {
    const template = verticalTemplates[index % verticalTemplates.length]!;
    const first = startDay + VERTICAL_FIRST + index * VERTICAL_CADENCE;
    drafts.push({
      name: template.name,
      vertical: template.vertical,
      chain: null,
      cashback_pct: template.pct,
      startDay: first,
      endDay: first + template.days - 1,
    });
  }
  for (const plan of chainCampaignPlans) {
    for (let first = startDay + plan.offset; first < startDay + 730; first += CHAIN_CADENCE) {
      drafts.push({
        name: `${plan.chain}: ${plan.pct}% кэшбэк`,
        vertical: 'grocery',
        chain: plan.chain,
        cashback_pct: plan.pct,
        startDay: first,
        endDay: first + plan.days - 1,
      });
    }
  }
  drafts.sort((a, b) => a.startDay - b.startDay || a.name.localeCompare(b.name));
  return drafts.map((draft, index) => ({
    campaign_id: index + 1,
    ...draft,
    starts_on: dayKey(draft.startDay),
    ends_on: dayKey(draft.endDay),
  }));
}

/** A running chain campaign's effect, with the chain's index in `groceryChains`. */
export interface ChainEffect {
  chainIndex: number;
  pull: number;
  lift: number;
}

export function chainEffects(campaigns: readonly CashbackCampaign[]): ChainEffect[] {
  const effects: ChainEffect[] = [];
  for (const campaign of campaigns) {
    const plan = chainCampaignPlans.find((p) => p.chain === campaign.chain);
    if (!plan) continue;
    effects.push({
      chainIndex: groceryChains.findIndex((c) => c.name === plan.chain),
      pull: plan.pull,
      lift: plan.lift,
    });
  }
  return effects;
}

/** The chain a grocery trip is pulled to by a running campaign, if any (one draw per pulling campaign). */
export function pulledChain(effects: readonly ChainEffect[], random: Random): number | null {
  for (const effect of effects) if (effect.pull > 0 && random.chance(effect.pull)) return effect.chainIndex;
  return null;
}

/** Extra grocery trips a user makes on an active day to their favourite chain's running campaign. */
export function campaignTrips(effects: readonly ChainEffect[], user: User, random: Random): number {
  const effect = effects.find((e) => e.chainIndex === user.favouriteChain && e.lift > 0);
  return effect ? random.poisson(effect.lift) : 0;
}

/** The campaign that pays cashback on a payment at `merchant`: the highest rate of those that match. */
export function campaignFor(
  campaigns: readonly CashbackCampaign[],
  merchant: Merchant,
): CashbackCampaign | undefined {
  let best: CashbackCampaign | undefined;
  for (const c of campaigns) {
    if (c.vertical !== null && c.vertical !== merchant.vertical) continue;
    if (c.chain !== null && c.chain !== merchant.chain) continue;
    if (!best || c.cashback_pct > best.cashback_pct) best = c;
  }
  return best;
}
