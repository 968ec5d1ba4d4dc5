import { type DayContext, LATE_SHARE, type Payment, REFUND_SHARE } from './activity.ts';
import { SECONDS_PER_DAY } from './calendar.ts';
import { leadsCreatedOn, legalClientOfLead, wonOn } from './leads.ts';
import { type Random, randomFor, Stream } from './random.ts';
import { cities, type industries, tariffs, type Vertical } from './reference.ts';
import { FIRST_USER_ID, sampleHour } from './users.ts';
import { clientTypeOf, type LegalClient, type Merchant, type User, type World } from './world.ts';

/*
 * Business accounts (ground truth, documented in the README): the registry's legal clients and
 * individual entrepreneurs pay through the app themselves. A client's business account is held by
 * app users — the entrepreneur, or a legal entity's employees (1 for micro and small, 2 medium,
 * 3 large) — who pay for the client from it: utilities, telecom, fuel, taxis and tickets, auto parts
 * and repairs, goods. The payments core records such a payment with the holder's user_id, the payer
 * type (`entrepreneur` or `legal`) and the client it is made for (`payer_legal_client_id`); an
 * individual's own payment has payer type `individual`.
 */

type Industry = (typeof industries)[number];
type Size = LegalClient['SIZE_CATEGORY'];

/** A client's business payments per working day at scale 1, by its tariff (frequency grows with the tariff). */
export const TARIFF_RATE: Record<string, number> = { START: 0.8, BUSINESS: 2, PREMIUM: 4, CORPORATE: 7.5 };
/** … times a factor of its industry (carriers fill up daily; IT firms pay mostly bills). */
export const INDUSTRY_RATE: Record<Industry, number> = {
  DELIVERY: 1.8,
  AUTO: 1.3,
  MANUFACTURING: 1.3,
  RETAIL: 1,
  FOOD: 0.9,
  OTHER: 1,
  TELECOM: 0.8,
  IT: 0.7,
  ENTERTAINMENT: 0.7,
  TRANSPORT: 1.6,
  ENERGY: 1,
};
/**
 * The rates are for a company of this many initial clients at scale 1; at other scales they are
 * multiplied by scale × this ÷ the initial clients: the client base grows slower than the user base
 * (merchants as scale^0.7, utilities and chains not at all), so each client pays more and B2B keeps
 * its share of payments.
 */
export const REFERENCE_CLIENTS = 150;
/** Weekends: businesses pay 12% of a working day's payments. */
export const WEEKEND_RATE = 0.12;
/** Holders of a client's business account by the client's size; an entrepreneur holds their own. */
export const HOLDERS: Record<Size, number> = { micro: 1, small: 1, medium: 2, large: 3 };
/** Business amounts scale with the client's size. */
export const SIZE_AMOUNT: Record<Size, number> = { micro: 0.6, small: 0.9, medium: 1.4, large: 2.2 };
export const BUSINESS_FAILED_SHARE = 0.02;
/** Business hours (relative weights for hours 0–23): 8–18 with a dip at lunch. */
export const businessHours = [
  0, 0, 0, 0, 0, 0, 0.05, 0.4, 2.2, 3.4, 3.6, 3.4, 2.4, 2.6, 3.4, 3.4, 3, 2.4, 1, 0.4, 0.2, 0.1, 0.05, 0,
];

type BusinessKind = 'utilities' | 'telecom' | 'fuel' | 'transport' | 'parts' | 'service' | 'other';
const kinds: readonly BusinessKind[] = [
  'utilities',
  'telecom',
  'fuel',
  'transport',
  'parts',
  'service',
  'other',
];
/** What businesses pay for (weights), and per industry what differs from that. */
export const businessMix: Record<BusinessKind, number> = {
  utilities: 18,
  telecom: 14,
  fuel: 26,
  transport: 8,
  parts: 10,
  service: 6,
  other: 18,
};
export const industryMix: Partial<Record<Industry, Partial<Record<BusinessKind, number>>>> = {
  DELIVERY: { fuel: 55, parts: 14, service: 8 },
  AUTO: { parts: 40, service: 10, fuel: 16 },
  IT: { fuel: 6, telecom: 24, transport: 16, other: 34 },
  TELECOM: { telecom: 30, fuel: 20 },
  FOOD: { utilities: 28, other: 24 },
  RETAIL: { utilities: 24, other: 22 },
};
/** Log-normal mean BYN and spread of a business payment (times SIZE_AMOUNT). */
export const businessAmounts: Record<BusinessKind, { mean: number; sigma: number }> = {
  utilities: { mean: 340, sigma: 0.7 },
  telecom: { mean: 80, sigma: 0.5 },
  fuel: { mean: 115, sigma: 0.45 },
  transport: { mean: 32, sigma: 0.6 },
  parts: { mean: 240, sigma: 0.8 },
  service: { mean: 480, sigma: 0.6 },
  other: { mean: 220, sigma: 0.9 },
};

export interface BusinessAccount {
  client: LegalClient;
  payerType: 'entrepreneur' | 'legal';
  /** Payments start the day after it is opened. */
  opened: number;
  /** Mean payments per working day of each of its holders. */
  rate: number;
  mix: readonly number[];
}

interface Accounts {
  /** Lead-creation days processed (won deals' clients open accounts). */
  through: number;
  byUser: Map<number, BusinessAccount[]>;
}

/**
 * The business accounts and their holders: the initial clients' (opened before start) and those of
 * clients won later (opened 3–21 days after the deal), extended in lead order, so a user's accounts
 * are the same whichever day asks first. Holders are users registered by the opening day with a card
 * linked and at least 30 more days in the app, each holding one account.
 */
function accounts(world: World, day: number): Accounts {
  let state = world.memo.get('businessAccounts') as Accounts | undefined;
  if (!state) {
    state = { through: world.startDay - 1, byUser: new Map() };
    world.memo.set('businessAccounts', state);
    for (const client of world.legalClients)
      if (client.CLIENT_ID !== world.p2pMerchant.legal_client_id)
        open(world, state, client, world.startDay - 1);
  }
  while (state.through < day) {
    state.through++;
    for (const plan of leadsCreatedOn(world, state.through)) {
      const won = wonOn(plan);
      if (!won) continue;
      const client = legalClientOfLead(world, plan);
      open(
        world,
        state,
        client,
        won.day + randomFor(world.options.seed, Stream.business, client.CLIENT_ID).int(3, 21),
      );
    }
  }
  return state;
}

function open(world: World, state: Accounts, client: LegalClient, opened: number): void {
  const random = randomFor(world.options.seed, Stream.business, client.CLIENT_ID, 1);
  const payerType = clientTypeOf(client);
  const holders = payerType === 'entrepreneur' ? 1 : HOLDERS[client.SIZE_CATEGORY];
  const industry = client.INDUSTRY as Industry;
  const tariff = tariffs[client.tariffId - 1]!.CODE;
  const size = (world.options.scale * REFERENCE_CLIENTS) / world.legalClients.length;
  const rate = ((TARIFF_RATE[tariff] ?? 1) * (INDUSTRY_RATE[industry] ?? 1) * size) / holders;
  const mix = kinds.map((kind) => industryMix[industry]?.[kind] ?? businessMix[kind]);
  const account: BusinessAccount = { client, payerType, opened, rate, mix };
  const users = world.usersThrough(opened + 1);
  const registered = (world.memo.get(`firstUserId:${opened + 1}`) as number) - FIRST_USER_ID;
  for (let holder = 0; holder < holders && registered > 0; holder++) {
    for (let attempt = 0; attempt < 60; attempt++) {
      const user = users[random.int(0, registered - 1)]!;
      const settled =
        user.cardLinkedAt !== null &&
        user.cardLinkedAt < (opened + 1) * SECONDS_PER_DAY &&
        user.churnDay > opened + 30 &&
        !state.byUser.has(user.id);
      if (!settled) continue;
      state.byUser.set(user.id, [account]);
      break;
    }
  }
}

/** The business accounts a user holds on a day (open since an earlier day). */
export function accountsOf(world: World, user: User, day: number): BusinessAccount[] {
  const held = accounts(world, day).byUser.get(user.id);
  return held ? held.filter((account) => account.opened < day) : [];
}

const cityIndexOf = (name: string) =>
  Math.max(
    0,
    cities.findIndex((city) => city.name === name),
  );

function merchantFor(world: World, kind: BusinessKind, client: LegalClient, random: Random): Merchant {
  if (kind === 'fuel') return random.pick(world.fuelStations);
  if (kind === 'parts' || kind === 'service') {
    const auto = world.merchantsFor(cityIndexOf(client.CITY), 'auto');
    const ofKind = auto.filter((merchant) => merchant.subtype === kind);
    return random.pick(ofKind.length > 0 ? ofKind : auto);
  }
  // utilities, telecom, transport and other are the national verticals of the same names.
  return random.pick(world.merchantsFor(0, kind satisfies Vertical));
}

const round2 = (value: number) => Math.round(value * 100) / 100;

/** A holder's business payments on a day, drawn from (seed, day, user): BYN, business hours, no cashback. */
export function businessPayments(world: World, context: DayContext, user: User): Payment[] {
  const held = accountsOf(world, user, context.day);
  if (held.length === 0) return [];
  const random = randomFor(world.options.seed, Stream.businessDay, context.day, user.id);
  const dayStart = context.day * SECONDS_PER_DAY;
  const payments: Payment[] = [];
  for (const account of held) {
    const count = random.poisson(account.rate * (context.weekend ? WEEKEND_RATE : 1));
    for (let i = 0; i < count; i++) {
      const kind = kinds[random.weighted(account.mix)]!;
      const merchant = merchantFor(world, kind, account.client, random);
      const model = businessAmounts[kind];
      const amount = round2(
        Math.max(1, random.logNormal(model.mean * SIZE_AMOUNT[account.client.SIZE_CATEGORY], model.sigma)),
      );
      const transSeconds = Math.floor(dayStart + sampleHour(random, businessHours) * 3600);
      const status = random.chance(BUSINESS_FAILED_SHARE) ? 'failed' : 'success';
      const delayDays = random.chance(LATE_SHARE) ? random.int(1, 3) : 0;
      const bill = kind === 'utilities';
      payments.push({
        userId: user.id,
        cardId: null,
        payerType: account.payerType,
        payerClientId: account.client.CLIENT_ID,
        transSeconds,
        merchant,
        productId: bill ? 3 : kind === 'telecom' ? 4 : kind === 'transport' ? 6 : 2,
        amount,
        currency: 'BYN',
        method: bill || kind === 'telecom' ? 'erip' : 'qr',
        operationType: bill ? 'bill_payment' : kind === 'telecom' ? 'top_up' : 'purchase',
        status,
        commission: status === 'success' ? round2((amount * merchant.commission_pct) / 100) : 0,
        campaignId: null,
        cashback: null,
        sessionId: '',
        delayDays,
        createdSeconds:
          delayDays === 0
            ? transSeconds + random.int(1, 5)
            : (context.day + delayDays) * SECONDS_PER_DAY + random.int(0, SECONDS_PER_DAY - 1),
        refundDay:
          status === 'success' && delayDays === 0 && random.chance(REFUND_SHARE)
            ? context.day + random.int(1, 7)
            : null,
      });
    }
  }
  return payments;
}
