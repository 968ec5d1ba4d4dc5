import { appVersion } from './app.ts';
import { businessPayments } from './business.ts';
import { isWeekend, monthAndDate, SECONDS_PER_DAY } from './calendar.ts';
import {
  CAMPAIGN_LIFT,
  type ChainEffect,
  campaignFor,
  campaignTrips,
  chainEffects,
  pulledChain,
} from './cashback.ts';
import { randomFor, Stream } from './random.ts';
import { ratesOn } from './rates.ts';
import { groceryChains, type Vertical, verticals } from './reference.ts';
import { groceryWeights, sampleHour } from './users.ts';
import type { CashbackCampaign, Merchant, User, World } from './world.ts';

/** What a user pays for: the merchant verticals plus person-to-person transfers. */
export const paymentKinds = [...verticals, 'p2p'] as const;
export type PaymentKind = (typeof paymentKinds)[number];

/** Ground truth: each kind's share of payments on a weekday and its multiplier on weekends. */
export const kindWeights: Record<PaymentKind, { weekday: number; weekend: number }> = {
  grocery: { weekday: 40, weekend: 1.4 },
  cafe: { weekday: 11, weekend: 1.3 },
  pharmacy: { weekday: 7, weekend: 0.9 },
  transport: { weekday: 10, weekend: 0.6 },
  utilities: { weekday: 7, weekend: 0.5 },
  telecom: { weekday: 7, weekend: 0.8 },
  auto: { weekday: 4, weekend: 1.1 },
  other: { weekday: 8, weekend: 1 },
  p2p: { weekday: 6, weekend: 0.9 },
};

/** Ground truth: hourly profiles (relative weights for hours 0–23). */
export const hourProfiles = {
  groceryWeekday: [
    0.1, 0.05, 0.03, 0.02, 0.02, 0.05, 0.3, 1, 1.2, 1, 1.2, 1.4, 1.8, 1.8, 1.5, 1.5, 2, 3.2, 4.2, 4, 3, 1.8,
    0.8, 0.3,
  ],
  groceryWeekend: [
    0.1, 0.05, 0.03, 0.02, 0.02, 0.03, 0.1, 0.3, 0.8, 1.8, 2.8, 3.4, 3.6, 3.4, 3.2, 3.2, 3.6, 4.6, 5.4, 5,
    3.6, 2, 0.8, 0.3,
  ],
  cafe: [
    0.1, 0.05, 0.02, 0.02, 0.02, 0.05, 0.2, 0.8, 1.2, 1, 1, 1.6, 3.5, 3.5, 2, 1.2, 1.2, 1.8, 2.6, 2.6, 2, 1.2,
    0.6, 0.2,
  ],
  transportWeekday: [
    0.1, 0.05, 0.02, 0.02, 0.05, 0.4, 2, 4, 4, 2, 1, 1, 1, 1, 1, 1.2, 2, 3.5, 3.5, 2, 1.2, 0.8, 0.5, 0.2,
  ],
  daytime: [
    0.1, 0.05, 0.02, 0.02, 0.02, 0.05, 0.2, 0.6, 1, 1.5, 2, 2, 2, 2, 2, 2, 2, 2, 2.2, 2.4, 2.4, 1.8, 1, 0.4,
  ],
} as const;

/** Ground truth: mean BYN amount (log-normal) and spread per kind; auto centres by subtype. */
const amountModel: Record<string, { mean: number; sigma: number }> = {
  grocery: { mean: 32, sigma: 0.7 },
  cafe: { mean: 18, sigma: 0.5 },
  pharmacy: { mean: 24, sigma: 0.6 },
  transport: { mean: 4, sigma: 0.8 },
  utilities: { mean: 85, sigma: 0.5 },
  telecom: { mean: 20, sigma: 0.4 },
  dealer: { mean: 2500, sigma: 0.8 },
  service: { mean: 220, sigma: 0.6 },
  parts: { mean: 110, sigma: 0.7 },
  other: { mean: 60, sigma: 0.9 },
  p2p: { mean: 90, sigma: 0.9 },
};

/** Ground truth: auto-service demand multiplier (tyre change seasons). */
export function autoSeason(day: number): number {
  const { month, date } = monthAndDate(day);
  if ((month === 10 && date >= 15) || month === 11) return 2.5;
  if ((month === 3 && date >= 15) || month === 4) return 2;
  return 1;
}

export interface DayContext {
  day: number;
  weekend: boolean;
  weights: number[];
  campaigns: readonly CashbackCampaign[];
  /** The running grocery chain campaigns' effects (cashback.ts). */
  chainEffects: readonly ChainEffect[];
  bynPerUnit: Map<string, number>;
  tyreSeason: boolean;
}

export function dayContext(world: World, day: number): DayContext {
  const weekend = isWeekend(day);
  const campaigns = world.campaigns.filter((c) => c.startDay <= day && day <= c.endDay);
  const season = autoSeason(day);
  const weights = paymentKinds.map((kind) => {
    const model = kindWeights[kind];
    let weight = model.weekday * (weekend ? model.weekend : 1);
    if (kind === 'auto') weight *= season;
    if (campaigns.some((c) => c.vertical === kind && c.chain === null)) weight *= CAMPAIGN_LIFT;
    return weight;
  });
  const bynPerUnit = new Map<string, number>([['BYN', 1]]);
  for (const [code, rate] of ratesOn(world, day)) bynPerUnit.set(code, rate.rate / rate.scale);
  return {
    day,
    weekend,
    weights,
    campaigns,
    chainEffects: chainEffects(campaigns),
    bynPerUnit,
    tyreSeason: season > 1,
  };
}

export interface Payment {
  userId: number;
  /** The user's card; null for a business account's payment (from the client's settlement account). */
  cardId: number | null;
  /** Who pays: the person themself, or a business account acting for a registry client (business.ts). */
  payerType: 'individual' | 'entrepreneur' | 'legal';
  /** The registry's LEGAL_CLIENTS.CLIENT_ID the payment is made for; null for an individual's own. */
  payerClientId: number | null;
  transSeconds: number;
  merchant: Merchant;
  productId: number;
  amount: number;
  currency: string;
  method: 'card' | 'wallet' | 'qr' | 'erip';
  operationType: 'purchase' | 'bill_payment' | 'p2p_transfer' | 'top_up';
  status: 'success' | 'failed';
  commission: number;
  campaignId: number | null;
  cashback: number | null;
  sessionId: string;
  /** 0 on time; 1–3 when the row reaches the core days later. */
  delayDays: number;
  createdSeconds: number;
  refundDay: number | null;
}

export interface Session {
  SESSION_ID: string;
  USER_ID: number;
  startedAt: number;
  endedAt: number;
  DEVICE_OS: 'android' | 'ios';
  APP_VERSION: string;
  SCREENS: number;
  payments: number;
}

export interface UserDay {
  payments: Payment[];
  sessions: Session[];
}

const round2 = (value: number) => Math.round(value * 100) / 100;
const foreignCurrencies = ['USD', 'EUR', 'RUB'];

/** Late arrival: share of payments reaching the core 1–3 days after they happened. */
export const LATE_SHARE = 0.025;
export const REFUND_SHARE = 0.01;
export const FAILED_SHARE = 0.03;

/** What one user did on one day, drawn from (seed, day, user): the same whichever pass asks. */
export function userDay(world: World, context: DayContext, user: User): UserDay | null {
  const { day } = context;
  if (user.registrationDay > day || user.churnDay <= day) return null;
  const random = randomFor(world.options.seed, Stream.activity, day, user.id);
  const dayStart = day * SECONDS_PER_DAY;
  const paying = user.cardLinkedAt !== null && user.cardLinkedAt < dayStart + SECONDS_PER_DAY;
  const milestone =
    user.registrationDay === day ||
    (user.cardLinkedAt !== null && Math.floor(user.cardLinkedAt / SECONDS_PER_DAY) === day);
  const active = random.chance(paying ? user.activeProbability * (context.weekend ? 1.05 : 1) : 0.12);
  const business = businessPayments(world, context, user);
  if (!active && !milestone && business.length === 0) return null;
  const count = paying && active ? 1 + random.poisson(user.intensity) : 0;
  // A running campaign of the user's favourite chain may add trips to it (after the usual ones).
  const trips = count > 0 ? count + campaignTrips(context.chainEffects, user, random) : 0;
  const earliest = Math.max(user.registeredAt, paying ? user.cardLinkedAt! : 0, dayStart);
  const payments: Payment[] = [];
  for (let i = 0; i < trips; i++) {
    const kind = i < count ? paymentKinds[random.weighted(context.weights)]! : 'grocery';
    const merchant =
      i < count
        ? pickMerchant(world, context, user, kind, random)
        : storeOf(world, user, user.favouriteChain, random);
    const profile =
      kind === 'grocery'
        ? context.weekend
          ? hourProfiles.groceryWeekend
          : hourProfiles.groceryWeekday
        : kind === 'cafe'
          ? hourProfiles.cafe
          : kind === 'transport' && !context.weekend
            ? hourProfiles.transportWeekday
            : hourProfiles.daytime;
    let transSeconds = Math.floor(dayStart + sampleHour(random, profile) * 3600);
    if (transSeconds <= earliest)
      transSeconds = Math.min(earliest + 60 + i * 90, dayStart + SECONDS_PER_DAY - 1);
    const model = amountModel[kind === 'auto' ? merchant.subtype : kind]!;
    const bynAmount = Math.max(0.5, random.logNormal(model.mean, model.sigma));
    const foreign = random.chance(kind === 'other' || merchant.subtype === 'dealer' ? 0.08 : 0.004);
    const currency = foreign ? foreignCurrencies[random.weighted([55, 30, 15])]! : 'BYN';
    const amount = round2(bynAmount / context.bynPerUnit.get(currency)!);
    const status = random.chance(foreign ? 0.08 : FAILED_SHARE) ? 'failed' : 'success';
    const campaign = campaignFor(context.campaigns, merchant);
    const operationType =
      kind === 'utilities'
        ? 'bill_payment'
        : kind === 'telecom'
          ? 'top_up'
          : kind === 'p2p'
            ? 'p2p_transfer'
            : 'purchase';
    const method =
      operationType === 'bill_payment'
        ? 'erip'
        : operationType === 'p2p_transfer'
          ? 'card'
          : (['card', 'wallet', 'qr'] as const)[
              random.weighted([60, 20, operationType === 'top_up' ? 0 : 20])
            ]!;
    const productId =
      kind === 'utilities'
        ? 3
        : kind === 'telecom'
          ? 4
          : kind === 'p2p'
            ? 5
            : kind === 'transport'
              ? 6
              : method === 'qr'
                ? 2
                : 1;
    const delayDays = random.chance(LATE_SHARE) ? random.int(1, 3) : 0;
    const createdSeconds =
      delayDays === 0
        ? Math.min(transSeconds + random.int(1, 5), dayStart + SECONDS_PER_DAY - 1)
        : (day + delayDays) * SECONDS_PER_DAY + random.int(0, SECONDS_PER_DAY - 1);
    payments.push({
      userId: user.id,
      cardId: user.cardId,
      payerType: 'individual',
      payerClientId: null,
      transSeconds,
      merchant,
      productId,
      amount,
      currency,
      method,
      operationType,
      status,
      commission: status === 'success' ? round2((amount * merchant.commission_pct) / 100) : 0,
      campaignId: campaign && status === 'success' ? campaign.campaign_id : null,
      cashback: campaign && status === 'success' ? round2((amount * campaign.cashback_pct) / 100) : null,
      sessionId: '',
      delayDays,
      createdSeconds,
      refundDay:
        status === 'success' && delayDays === 0 && random.chance(REFUND_SHARE)
          ? day + random.int(1, 7)
          : null,
    });
  }
  for (const payment of business) {
    if (payment.transSeconds <= earliest)
      payment.transSeconds = Math.min(earliest + 60, dayStart + SECONDS_PER_DAY - 1);
    if (payment.delayDays === 0)
      payment.createdSeconds = Math.min(payment.transSeconds + 3, dayStart + SECONDS_PER_DAY - 1);
    payments.push(payment);
  }
  payments.sort((a, b) => a.transSeconds - b.transSeconds);
  const sessions: Session[] = [];
  const newSession = (at: number): Session => {
    const session: Session = {
      SESSION_ID: `s-${user.id.toString(36)}-${day.toString(36)}-${sessions.length}`,
      USER_ID: user.id,
      startedAt: Math.max(at - random.int(30, 300), dayStart),
      endedAt: at + random.int(30, 240),
      DEVICE_OS: user.install.os,
      APP_VERSION: appVersion(world, user, day),
      SCREENS: random.int(2, 6),
      payments: 0,
    };
    sessions.push(session);
    return session;
  };
  for (const payment of payments) {
    const last = sessions[sessions.length - 1];
    const session =
      last && payment.transSeconds - last.endedAt < 600 ? last : newSession(payment.transSeconds);
    session.endedAt = Math.max(session.endedAt, payment.transSeconds + random.int(20, 120));
    session.SCREENS += 3;
    session.payments++;
    payment.sessionId = session.SESSION_ID;
  }
  // A session belongs to the day it was generated for: one after a late registration must not start
  // past midnight, where the next day's increment (which replaces that day's sessions) would drop it.
  if (sessions.length === 0)
    newSession(
      Math.min(
        Math.max(earliest, dayStart + random.int(8 * 3600, 22 * 3600)) + 300,
        dayStart + SECONDS_PER_DAY - 1,
      ),
    );
  return { payments, sessions };
}

/** One of the user's three usual stores of a grocery chain (single stores: index past the chains). */
function storeOf(world: World, user: User, chain: number, random: ReturnType<typeof randomFor>): Merchant {
  const stores = world.storesOfChain(user.cityIndex, chain < groceryChains.length ? chain : -1);
  return stores[(user.id * 7 + random.int(0, 2)) % stores.length]!;
}

function pickMerchant(
  world: World,
  context: DayContext,
  user: User,
  kind: PaymentKind,
  random: ReturnType<typeof randomFor>,
): Merchant {
  if (kind === 'p2p') return world.p2pMerchant;
  if (kind === 'grocery') {
    const chain = random.chance(0.65) ? user.favouriteChain : random.weighted(groceryWeights);
    return storeOf(world, user, pulledChain(context.chainEffects, random) ?? chain, random);
  }
  let candidates = world.merchantsFor(user.cityIndex, kind as Vertical);
  if (kind === 'auto' && context.tyreSeason && random.chance(0.6)) {
    const services = candidates.filter((m) => m.subtype === 'service');
    if (services.length > 0) candidates = services;
  }
  return candidates[(user.id * 13 + random.int(0, 4)) % candidates.length]!;
}
