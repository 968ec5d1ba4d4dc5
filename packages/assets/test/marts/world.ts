/**
 * A small synthetic `bi` layer written by hand, independent of the company generator and of the
 * marts' SQL: every expectation of the mart tests is computed from these arrays in TypeScript.
 * Money is kept in integer cents so sums are exact.
 */
export const DAYS = ['2026-10-01', '2026-10-02', '2026-10-03'] as const;

export interface Channel {
  channel: string;
  channel_type: string;
  is_paid: boolean;
}
export interface User {
  user_id: number;
  registration_date: string;
  cohort_week: string;
  cohort_month: string;
  acq_channel: string;
  region: string;
  device_os: string;
  card_linked: boolean;
  first_payment_at: string | null;
}
export interface Merchant {
  merchant_id: number;
  name: string;
  vertical: string;
  subtype: string;
  chain: string | null;
  brand: string | null;
  region: string;
  legal_client_id: number | null;
}
export interface LegalEntity {
  client_id: number;
  industry: string;
  size_category: string;
  is_key_account: boolean;
  tariff_name: string;
}
export interface Payment {
  day: string;
  transaction_id: number;
  trans_date: string;
  hour: number;
  user_id: number;
  merchant_id: number;
  legal_client_id: number | null;
  /** Who pays: 'individual' (B2C) or a business account's 'legal' / 'entrepreneur' (B2B). */
  payer_type: 'individual' | 'legal' | 'entrepreneur';
  payer_legal_client_id: number | null;
  method: string;
  status: 'success' | 'failed' | 'refunded';
  currency: string;
  amountCents: number;
  amountBynCents: number;
  commissionCents: number;
  cashbackCampaignId: number | null;
  cashbackCents: number;
}
export interface Session {
  day: string;
  session_id: string;
  user_id: number;
  duration_s: number;
  started_at: string;
  device_os: string;
  app_version: string;
  screens: number;
}
/** A screen view or a crash in a session (bi.fact_app_events). */
export interface AppEvent {
  day: string;
  session_id: string;
  user_id: number;
  name: 'screen_view' | 'app_crash';
  screen: string;
  os: string;
  app_version: string;
}
export interface Install {
  day: string;
  device_id: string;
  channel: string | null;
  os: string;
}
export interface Spend {
  day: string;
  channel: string;
  campaign: string;
  spendCents: number;
  installs: number;
}
export interface PartnerSale {
  day: string;
  store_code: string;
  partner_code: string;
  merchant_id: number;
  receipts_total: number;
  turnoverTotalCents: number;
  receipts_app: number;
  turnoverAppCents: number;
}
export interface Quarantined {
  partition: string;
  source: string;
  asset: string;
  reason: string;
}

export const channels: Channel[] = [
  { channel: 'organic', channel_type: 'organic', is_paid: false },
  { channel: 'google_ads', channel_type: 'paid', is_paid: true },
  { channel: 'referral', channel_type: 'referral', is_paid: true },
];

export const merchants: Merchant[] = [
  {
    merchant_id: 1,
    name: 'Евроопт №1',
    vertical: 'grocery',
    subtype: 'supermarket',
    chain: 'Евроопт',
    brand: null,
    region: 'Минск',
    legal_client_id: null,
  },
  {
    merchant_id: 2,
    name: 'Евроопт №2',
    vertical: 'grocery',
    subtype: 'supermarket',
    chain: 'Евроопт',
    brand: null,
    region: 'Брестская область',
    legal_client_id: null,
  },
  {
    merchant_id: 3,
    name: 'Green',
    vertical: 'grocery',
    subtype: 'hypermarket',
    chain: 'Green',
    brand: null,
    region: 'Минск',
    legal_client_id: null,
  },
  {
    merchant_id: 4,
    name: 'Атлант-М',
    vertical: 'auto',
    subtype: 'dealer',
    chain: null,
    brand: 'Toyota',
    region: 'Минск',
    legal_client_id: 10,
  },
  {
    merchant_id: 5,
    name: 'СТО Колесо',
    vertical: 'auto',
    subtype: 'service',
    chain: null,
    brand: null,
    region: 'Брестская область',
    legal_client_id: 11,
  },
  {
    merchant_id: 6,
    name: 'Квартплата',
    vertical: 'utilities',
    subtype: 'housing',
    chain: null,
    brand: null,
    region: 'Минск',
    legal_client_id: null,
  },
];

export const legalEntities: LegalEntity[] = [
  { client_id: 10, industry: 'auto', size_category: 'large', is_key_account: true, tariff_name: 'Бизнес' },
  { client_id: 11, industry: 'auto', size_category: 'small', is_key_account: false, tariff_name: 'Старт' },
  {
    client_id: 12,
    industry: 'delivery',
    size_category: 'micro',
    is_key_account: false,
    tariff_name: 'Старт',
  },
];

const pad = (n: number) => String(n).padStart(2, '0');
const percentOf = (cents: number, percent: number) => Math.round((cents * percent) / 100);

/**
 * Payments of a day: 30, users 1–20, every tenth in USD at 3.2, some failed and refunded; the 4th,
 * 11th, 18th and 25th paid by a business account of client 11 (a legal entity), the 7th, 17th and
 * 27th by entrepreneur 12's — the rest are individuals' own.
 */
export const payments: Payment[] = DAYS.flatMap((day, d) =>
  Array.from({ length: 30 }, (_, n): Payment => {
    const merchant = merchants[n % merchants.length]!;
    const hour = 8 + ((n * 5) % 14);
    const amountCents = 1000 + n * 350 + d * 100;
    const usd = n % 10 === 9;
    const amountBynCents = usd ? Math.round(amountCents * 3.2) : amountCents;
    const status = n % 11 === 5 ? 'failed' : n % 13 === 7 ? 'refunded' : 'success';
    const payer = n % 7 === 3 ? 'legal' : n % 10 === 6 ? 'entrepreneur' : 'individual';
    const cashback = merchant.vertical === 'grocery' && n % 4 === 0 && payer === 'individual';
    return {
      day,
      transaction_id: (d + 1) * 1000 + n,
      trans_date: `${day} ${pad(hour)}:${pad(n)}:00`,
      hour,
      user_id: 1 + ((n * 7 + d) % 20),
      merchant_id: merchant.merchant_id,
      legal_client_id: merchant.legal_client_id,
      payer_type: payer,
      payer_legal_client_id: payer === 'legal' ? 11 : payer === 'entrepreneur' ? 12 : null,
      method: ['card', 'wallet', 'qr'][n % 3]!,
      status,
      currency: usd ? 'USD' : 'BYN',
      amountCents,
      amountBynCents,
      commissionCents: percentOf(amountBynCents, 1.5),
      cashbackCampaignId: cashback ? 77 : null,
      cashbackCents: cashback && status === 'success' ? percentOf(amountBynCents, 5) : 0,
    };
  }),
);

const firstPayment = (userId: number) =>
  payments
    .filter((p) => p.user_id === userId && p.status === 'success')
    .map((p) => p.trans_date)
    .sort()[0] ?? null;

/** Users 1–20 registered in September and pay; users 21–24 register in October and never pay. */
export const users: User[] = Array.from({ length: 24 }, (_, i): User => {
  const userId = i + 1;
  const registration = userId <= 20 ? `2026-09-${pad(1 + (userId % 28))}` : DAYS[(userId - 21) % 3]!;
  return {
    user_id: userId,
    registration_date: registration,
    cohort_week: mondayOf(registration),
    cohort_month: `${registration.slice(0, 7)}-01`,
    acq_channel: channels[userId % 3]!.channel,
    region: userId % 2 === 0 ? 'Минск' : 'Брестская область',
    device_os: userId % 2 === 0 ? 'android' : 'ios',
    card_linked: userId % 4 !== 0,
    first_payment_at: firstPayment(userId),
  };
});

/**
 * A session a day for every other user: Android on 3.9.0 (every fourth user on 3.10.0 from the last
 * day), iOS on 3.9.2; user 2 also has an earlier session on 3.9.0 on the first day, before updating.
 */
export const sessions: Session[] = DAYS.flatMap((day, d) =>
  users
    .filter((u) => (u.user_id + d) % 2 === 0)
    .flatMap((u) => {
      const session = (id: string, hour: string, app_version: string): Session => ({
        day,
        session_id: id,
        user_id: u.user_id,
        duration_s: 60 + u.user_id,
        started_at: `${day} ${hour}:00`,
        device_os: u.device_os,
        app_version,
        screens: 2 + (u.user_id % 4),
      });
      const updated = d === 2 && u.user_id % 4 === 0;
      const version =
        u.device_os === 'ios' ? '3.9.2' : updated || (d === 0 && u.user_id === 2) ? '3.10.0' : '3.9.0';
      const main = session(`s-${d}-${u.user_id}`, '12', version);
      return d === 0 && u.user_id === 2 ? [session('s-0-2-early', '09', '3.9.0'), main] : [main];
    }),
);

const appScreens = ['home', 'payments', 'qr_scan', 'history'] as const;

/**
 * Each session's `screens` screen views (home first), a crash on qr_scan in the sessions of users
 * 5, 15 and 20 (two in user 10's), and events outside any session, which the app marts leave out.
 */
export const appEvents: AppEvent[] = sessions.flatMap((s) => {
  const of = (name: AppEvent['name'], screen: string): AppEvent => ({
    day: s.day,
    session_id: s.session_id,
    user_id: s.user_id,
    name,
    screen,
    os: s.device_os,
    app_version: s.app_version,
  });
  const views = Array.from({ length: s.screens }, (_, i) =>
    of('screen_view', appScreens[i % appScreens.length]!),
  );
  const crashes = s.user_id % 5 === 0 ? (s.user_id === 10 ? 2 : 1) : 0;
  return [...views, ...Array.from({ length: crashes }, () => of('app_crash', 'qr_scan'))];
});
export const strayAppEvents: AppEvent[] = DAYS.map((day) => ({
  day,
  session_id: `s-install-${day}`,
  user_id: 1,
  name: 'app_crash',
  screen: 'home',
  os: 'android',
  app_version: '3.9.0',
}));

export const installs: Install[] = DAYS.flatMap((day, d) =>
  Array.from({ length: 5 }, (_, n) => ({
    day,
    device_id: `device-${d}-${n}`,
    channel: n % 3 === 0 ? null : channels[n % 3]!.channel,
    os: n % 2 === 0 ? 'android' : 'ios',
  })),
);

export const spend: Spend[] = DAYS.flatMap((day, d) => [
  { day, channel: 'google_ads', campaign: 'autumn', spendCents: 10050 + d * 100, installs: 3 },
  { day, channel: 'referral', campaign: 'fixed_fee', spendCents: 2000, installs: 1 },
]);

/** Grocery stores' own sales; the app's part is what the payments above put through each store. */
export const partnerSales: PartnerSale[] = DAYS.flatMap((day, d) =>
  merchants
    .filter((m) => m.vertical === 'grocery')
    .map((m) => {
      const paid = payments.filter(
        (p) => p.day === day && p.merchant_id === m.merchant_id && p.status === 'success',
      );
      const partner = m.chain === 'Green' ? 'GREEN' : 'EVROOPT';
      return {
        day,
        store_code: `${partner}-${String(m.merchant_id).padStart(4, '0')}`,
        partner_code: partner,
        merchant_id: m.merchant_id,
        receipts_total: 100 + d,
        turnoverTotalCents: 250000 + d * 1000,
        receipts_app: paid.length,
        turnoverAppCents: sum(paid.map((p) => p.amountBynCents)),
      };
    }),
);

export const quarantined: Quarantined[] = [
  { partition: DAYS[0], source: 'payments', asset: 'stage.payments', reason: 'amount: must be positive' },
  { partition: DAYS[0], source: 'payments', asset: 'stage.payments', reason: 'amount: must be positive' },
  { partition: DAYS[1], source: 'crm', asset: 'stage.crm_deals', reason: "STAGE_ID: unknown value 'X'" },
];

export function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** Cents as the decimal text both databases print. */
export function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

function mondayOf(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  const offset = (date.getUTCDay() + 6) % 7;
  date.setUTCDate(date.getUTCDate() - offset);
  return date.toISOString().slice(0, 10);
}
