import {
  createWorld,
  type DayIncrement,
  generateDay,
  generateSnapshot,
  type World,
} from '@vitrina/sample-company';

/**
 * What the source systems and files hold after the generator's snapshot and seeded days, read
 * straight from its raw rows (bad rows left out, refunds applied), with the exact-money helpers the
 * KPIs from the generator compute with.
 */
export interface RawPayment {
  day: string;
  userId: number;
  merchantId: number;
  status: string;
  currency: string;
  amountCents: bigint;
  commissionCents: bigint;
  cashbackCents: bigint;
  /** Who pays: 'individual', or a business account's 'entrepreneur' / 'legal'. */
  payerType: string;
  /** The registry client a business account pays for (core.transactions.payer_legal_client_id). */
  payerClientId: number | null;
  /** trans_date as the core holds it: 'YYYY-MM-DD HH:MM:SS', local time. */
  transDate: string;
  /** The campaign that paid cashback on it (core.transactions.cashback_campaign_id). */
  cashbackCampaignId: number | null;
}

/** A decimal written with at most `places` decimals as an integer of 10^-places units. */
export function toUnits(value: number | string, places: number): bigint {
  const [whole = '0', fraction = ''] = String(value).split('.');
  const negative = whole.startsWith('-');
  const digits = `${whole.replace('-', '')}${fraction.padEnd(places, '0').slice(0, places)}`;
  if (fraction.length > places) throw new Error(`${value} has more than ${places} decimals`);
  return (negative ? -1n : 1n) * BigInt(digits);
}

/** numerator / denominator rounded half away from zero. */
export function divideRounded(numerator: bigint, denominator: bigint): bigint {
  const negative = numerator < 0n !== denominator < 0n;
  const n = numerator < 0n ? -numerator : numerator;
  const d = denominator < 0n ? -denominator : denominator;
  const quotient = (2n * n + d) / (2n * d);
  return negative ? -quotient : quotient;
}

/** Units of 10^-places as PostgreSQL prints a numeric of that scale. */
export function formatUnits(units: bigint, places: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(places + 1, '0');
  const text = `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return negative ? `-${text}` : text;
}

export const dayOf = (timestamp: string) => timestamp.slice(0, 10);
export const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
export const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
/** The first of the month `months` after a day's month. */
export const addMonths = (day: string, months: number) => {
  const index = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
};
/** The Monday of a day's ISO week, as PostgreSQL's date_trunc('week', …). */
export const mondayOf = (day: string) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
/** A code as dimension.identifier() keeps it: white space collapsed and trimmed, lower case. */
export const identifier = (value: string) => value.replace(/\s+/g, ' ').trim().toLowerCase();
/** Text as dimension.clean_text() keeps a plain code: white space collapsed and trimmed. */
export const cleanText = (value: string) => value.replace(/\s+/g, ' ').trim();
/** `key=value` of an app log's `[event]` line (the generator writes no quoted values for these keys). */
export const logField = (line: string, key: string) =>
  new RegExp(`(?:^| )${key}=(\\S+)`).exec(line)?.[1] ?? null;

export type Values = Record<string, string | number | null>;

/** A generated table's rows as the source system holds them: the bad rows it refuses left out. */
export function* goodRows(table: DayIncrement['tables'][number]): Generator<Values> {
  for (const { row, bad } of table.rows()) if (!bad) yield row as Values;
}

/** What the source systems and files hold after the snapshot and every seeded day. */
export interface Raw {
  days: readonly string[];
  loaded: ReadonlySet<string>;
  /** transaction_id → the payment as the core holds it after every seeded day. */
  payments: Map<number, RawPayment>;
  sessions: Map<string, RawSession>;
  /** user_id → the registry's profile: channel, registration day and time, device. */
  users: Map<number, RawUser>;
  /** Users with a card in core.cards. */
  cardUsers: Set<number>;
  /** user_id → when their first card was linked (the earliest core.cards.linked_at). */
  cardLinkedAt: Map<number, string>;
  /** device → its first `app_install` in the app's logs: the log's day, the channel and the OS. */
  installs: Map<string, { at: string; day: string; channel: string; os: string }>;
  /** day|channel|campaign → the agency's spend in kopecks, the latest report's figure. */
  spend: Map<string, { day: string; channel: string; cents: bigint }>;
  /** merchant_id → its legal client (core.merchants.legal_client_id). */
  merchants: Map<number, number | null>;
  /** merchant_id → its vertical (as an identifier) and chain (clean text, '' for none). */
  merchantKinds: Map<number, { vertical: string; chain: string }>;
  /** client_id → the registry's legal client: registration day, key account. */
  legalClients: Map<number, { registeredDay: string; keyAccount: boolean }>;
  /** contract_id → the registry's contract. */
  contracts: Map<number, { clientId: number; tariffId: number; signedOn: string; status: string }>;
  /** tariff_id → its code. */
  tariffs: Map<number, string>;
  toByn: (cents: bigint, day: string, currency: string) => bigint;
}

/** A registry session (REGISTRY.APP_SESSIONS), with whether a good `app_crash` line of its day's log names it. */
export interface RawSession {
  day: string;
  userId: number;
  os: string;
  version: string;
  crashed: boolean;
}

/** A registry profile (REGISTRY.USER_PROFILES) as the latest good row has it. */
export interface RawUser {
  channel: string;
  registrationDay: string;
  /** REGISTERED_AT: 'YYYY-MM-DD HH:MM:SS', local time. */
  registeredAt: string;
  deviceId: string;
}

export function rawFromGenerator(
  options: { seed: number; scale: number; start: string },
  days: readonly string[],
): Raw {
  const world: World = createWorld({ seed: options.seed, scale: options.scale, start: options.start });
  const payments = new Map<number, RawPayment>();
  const sessions = new Map<string, RawSession>();
  const users = new Map<number, RawUser>();
  const cardUsers = new Set<number>();
  const cardLinkedAt = new Map<number, string>();
  const installs = new Map<string, { at: string; day: string; channel: string; os: string }>();
  const merchants = new Map<number, number | null>();
  const merchantKinds = new Map<number, { vertical: string; chain: string }>();
  const legalClients = new Map<number, { registeredDay: string; keyAccount: boolean }>();
  const contracts = new Map<
    number,
    { clientId: number; tariffId: number; signedOn: string; status: string }
  >();
  const tariffs = new Map<number, string>();
  /** agency report path → its good rows, applied in the order of the report names (the later wins). */
  const reports = new Map<string, Array<{ day: string; channel: string; campaign: string; cents: bigint }>>();
  /** day → currency → BYN per unit, as official rate (millionths) and scale. */
  const rates = new Map<string, Map<string, { micro: bigint; scale: bigint }>>();

  const readTables = (increment: DayIncrement) => {
    for (const table of increment.tables) {
      if (table.table === 'core.transactions') {
        for (const values of goodRows(table)) {
          const id = Number(values.transaction_id);
          if (table.mode.kind === 'update') {
            const known = payments.get(id);
            if (known) known.status = String(values.status);
            continue;
          }
          payments.set(id, {
            day: dayOf(String(values.trans_date)),
            userId: Number(values.user_id),
            merchantId: Number(values.merchant_id),
            status: String(values.status),
            currency: String(values.currency),
            amountCents: toUnits(values.amount as number, 2),
            commissionCents: toUnits(values.commission as number, 2),
            cashbackCents:
              values.cashback_amount === null ? 0n : toUnits(values.cashback_amount as number, 2),
            payerType: identifier(String(values.payer_type)),
            payerClientId:
              values.payer_legal_client_id === null ? null : Number(values.payer_legal_client_id),
            transDate: String(values.trans_date),
            cashbackCampaignId:
              values.cashback_campaign_id === null ? null : Number(values.cashback_campaign_id),
          });
        }
      }
      if (table.table === 'REGISTRY.APP_SESSIONS') {
        for (const values of goodRows(table)) {
          sessions.set(String(values.SESSION_ID), {
            day: dayOf(String(values.STARTED_AT)),
            userId: Number(values.USER_ID),
            os: identifier(String(values.DEVICE_OS)),
            version: cleanText(String(values.APP_VERSION)),
            crashed: false,
          });
        }
      }
      if (table.table === 'REGISTRY.USER_PROFILES') {
        for (const values of goodRows(table)) {
          users.set(Number(values.USER_ID), {
            channel: identifier(String(values.ACQ_CHANNEL)),
            registrationDay: dayOf(String(values.REGISTERED_AT)),
            registeredAt: String(values.REGISTERED_AT),
            deviceId: identifier(String(values.DEVICE_ID)),
          });
        }
      }
      if (table.table === 'core.merchants') {
        for (const values of goodRows(table)) {
          merchants.set(
            Number(values.merchant_id),
            values.legal_client_id === null ? null : Number(values.legal_client_id),
          );
          merchantKinds.set(Number(values.merchant_id), {
            vertical: identifier(String(values.vertical)),
            chain: values.chain === null ? '' : cleanText(String(values.chain)),
          });
        }
      }
      if (table.table === 'REGISTRY.LEGAL_CLIENTS') {
        for (const values of goodRows(table)) {
          legalClients.set(Number(values.CLIENT_ID), {
            registeredDay: dayOf(String(values.REGISTERED_AT)),
            keyAccount: values.KEY_ACCOUNT === 'Y',
          });
        }
      }
      if (table.table === 'REGISTRY.CONTRACTS') {
        for (const values of goodRows(table)) {
          contracts.set(Number(values.CONTRACT_ID), {
            clientId: Number(values.CLIENT_ID),
            tariffId: Number(values.TARIFF_ID),
            signedOn: dayOf(String(values.SIGNED_ON)),
            status: String(values.STATUS),
          });
        }
      }
      if (table.table === 'REGISTRY.TARIFFS') {
        for (const values of goodRows(table))
          tariffs.set(Number(values.TARIFF_ID), cleanText(String(values.CODE)));
      }
      if (table.table === 'core.cards') {
        for (const values of goodRows(table)) {
          const userId = Number(values.user_id);
          const linkedAt = String(values.linked_at);
          cardUsers.add(userId);
          const known = cardLinkedAt.get(userId);
          if (known === undefined || linkedAt < known) cardLinkedAt.set(userId, linkedAt);
        }
      }
    }
  };

  // What existed before the first day: the users registered before start, their cards.
  readTables(generateSnapshot(world, addDays(days[0]!, -1)));
  for (const day of days) {
    const increment = generateDay(world, day);
    for (const fixture of increment.fixtures()) {
      if (!fixture.path.startsWith('nbrb/')) continue;
      const answer = fixture.body as Array<{
        Cur_Abbreviation: string;
        Cur_Scale: number;
        Cur_OfficialRate: number;
        Date: string;
      }>;
      for (const rate of answer) {
        const rateDay = rate.Date.slice(0, 10);
        if (!rates.has(rateDay)) rates.set(rateDay, new Map());
        rates.get(rateDay)!.set(rate.Cur_Abbreviation, {
          micro: toUnits(rate.Cur_OfficialRate, 6),
          scale: BigInt(rate.Cur_Scale),
        });
      }
    }
    readTables(increment);
    for (const file of increment.files) {
      if (file.kind === 'log' && file.path.startsWith('logs/app_events_')) {
        for (const { row: line, bad, change } of file.lines()) {
          if (bad || change !== 'insert' || !line.includes(' [event] ')) continue;
          const name = logField(line, 'name');
          if (name === 'app_crash') {
            // app_daily joins a day's crashes to that day's sessions by session id.
            const session = sessions.get(logField(line, 'session') ?? '');
            if (session?.day === day) session.crashed = true;
            continue;
          }
          if (name !== 'app_install') continue;
          const at = line.slice(0, line.indexOf(' '));
          const device = identifier(logField(line, 'device')!);
          const channel = logField(line, 'channel');
          const os = logField(line, 'os');
          const known = installs.get(device);
          if (!known || at < known.at)
            installs.set(device, {
              at,
              day,
              channel: channel ? identifier(channel) : 'organic',
              os: os ? identifier(os) : 'unknown',
            });
        }
      }
      if (file.kind === 'xlsx' && file.path.startsWith('agency/')) {
        const rows: Array<{ day: string; channel: string; campaign: string; cents: bigint }> = [];
        for (const { row, bad } of file.rows()) {
          if (bad) continue;
          const [date, channel, campaign, spend] = row as [Date, string, string, number];
          rows.push({
            day: date.toISOString().slice(0, 10),
            channel: identifier(channel),
            campaign: identifier(campaign),
            cents: toUnits(spend, 2),
          });
        }
        reports.set(file.path, rows);
      }
    }
  }

  // A day, channel and campaign reported again in a later report takes the later report's figures.
  const spend = new Map<string, { day: string; channel: string; cents: bigint }>();
  for (const path of [...reports.keys()].sort())
    for (const row of reports.get(path)!)
      spend.set(`${row.day}|${row.channel}|${row.campaign}`, {
        day: row.day,
        channel: row.channel,
        cents: row.cents,
      });

  const rateOn = (day: string, currency: string) => {
    if (currency === 'BYN') return { micro: 1_000_000n, scale: 1n };
    for (let probe = day; probe >= addDays(days[0]!, -400); probe = addDays(probe, -1)) {
      const rate = rates.get(probe)?.get(currency);
      if (rate) return rate;
    }
    throw new Error(`no rate for ${currency} on or before ${day}`);
  };
  const toByn = (cents: bigint, day: string, currency: string) => {
    const rate = rateOn(day, currency);
    return divideRounded(cents * rate.micro, rate.scale * 1_000_000n);
  };
  return {
    days,
    loaded: new Set(days),
    payments,
    sessions,
    users,
    cardUsers,
    cardLinkedAt,
    installs,
    spend,
    merchants,
    merchantKinds,
    legalClients,
    contracts,
    tariffs,
    toByn,
  };
}

/** Orders [a, b] tuples of text as PostgreSQL's "C" collation does: by code point, then the next. */
export const byPair = ([a1, a2]: readonly [string, string], [b1, b2]: readonly [string, string]) =>
  a1 < b1 ? -1 : a1 > b1 ? 1 : a2 < b2 ? -1 : a2 > b2 ? 1 : 0;

/** `round(n / d, places)` of exact units of 10^-places, null when d = 0. */
export const ratio = (n: bigint, d: number | bigint, places: number) =>
  BigInt(d) !== 0n ? formatUnits(divideRounded(n, BigInt(d)), places) : null;
