import {
  createWorld,
  type DayIncrement,
  generateDay,
  generateSnapshot,
  type World,
} from '../../src/company/index.ts';

/**
 * The KPIs computed straight from the generator's raw rows, without the warehouse: what the payments
 * core and the registry received (bad rows left out, refunds applied; merchants, legal clients,
 * contracts and tariffs for the legal-entity KPIs), the files delivered (the
 * app's log, the agency's reports), converted with the NBRB answers the replay server serves. Money
 * is exact: amounts in kopecks and rates in millionths as BigInt, rounded half away from zero as
 * PostgreSQL's numeric round() does. Definitions: docs/metrics.md.
 */
export interface DailyKpis {
  day: string;
  dau: number;
  wau: number;
  mau: number;
  stickiness: string | null;
  transactions: number;
  turnover_byn: string;
  revenue_byn: string;
  cashback_byn: string;
  avg_check_byn: string | null;
  paying_users: number;
  arpu_byn: string | null;
  arppu_byn: string | null;
  churned_users: number;
  churn_base_users: number;
}

/** `bi.kpi_channel`: acquisition economics by channel and registration month. */
export interface ChannelKpis {
  channel: string;
  cohort_month: string;
  registered_users: number;
  paying_users: number;
  spend_byn: string;
  revenue_byn: string;
  cac_byn: string | null;
  ltv_byn: string | null;
  romi: string | null;
}

/** `bi.kpi_funnel`: install → registration → card → first payment → repeat payment, by install week and channel. */
export interface FunnelKpis {
  install_week: string;
  channel: string;
  installs: number;
  registered: number;
  card_linked: number;
  first_payment: number;
  repeat_payment: number;
}

/** `bi.kpi_retention`: a registration cohort's activity and commission in each period since. */
export interface RetentionKpis {
  grain: 'week' | 'month';
  cohort: string;
  period_offset: number;
  period_start: string;
  cohort_users: number;
  active_users: number;
  retention_rate: string | null;
  revenue_byn: string;
  cumulative_revenue_byn: string;
  ltv_byn: string | null;
}

/** `bi.kpi_legal_entities`: the legal clients whose merchants took successful payments on a day. */
export interface LegalDailyKpis {
  day: string;
  clients: number;
  active_clients: number;
  active_key_accounts: number;
  transactions: number;
  turnover_byn: string;
  revenue_byn: string;
  transactions_per_active_client: string | null;
}

/** `bi.kpi_legal_monthly`: legal clients by month and current tariff, with key-account retention. */
export interface LegalMonthlyKpis {
  month: string;
  tariff_code: string;
  clients: number;
  active_clients: number;
  transactions: number;
  turnover_byn: string;
  revenue_byn: string;
  key_accounts: number;
  key_accounts_active: number;
  key_accounts_active_before: number;
  key_accounts_retained: number;
}

interface RawPayment {
  day: string;
  userId: number;
  merchantId: number;
  status: string;
  currency: string;
  amountCents: bigint;
  commissionCents: bigint;
  cashbackCents: bigint;
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

const dayOf = (timestamp: string) => timestamp.slice(0, 10);
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const monthOf = (day: string) => `${day.slice(0, 7)}-01`;
/** The first of the month `months` after a day's month. */
const addMonths = (day: string, months: number) => {
  const index = Number(day.slice(0, 4)) * 12 + Number(day.slice(5, 7)) - 1 + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
};
/** The Monday of a day's ISO week, as PostgreSQL's date_trunc('week', …). */
const mondayOf = (day: string) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
/** A code as dimension.identifier() keeps it: white space collapsed and trimmed, lower case. */
const identifier = (value: string) => value.replace(/\s+/g, ' ').trim().toLowerCase();
/** Text as dimension.clean_text() keeps a plain code: white space collapsed and trimmed. */
const cleanText = (value: string) => value.replace(/\s+/g, ' ').trim();
/** `key=value` of an app log's `[event]` line (the generator writes no quoted values for these keys). */
const logField = (line: string, key: string) => new RegExp(`(?:^| )${key}=(\\S+)`).exec(line)?.[1] ?? null;

type Values = Record<string, string | number | null>;

/** A generated table's rows as the source system holds them: the bad rows it refuses left out. */
function* goodRows(table: DayIncrement['tables'][number]): Generator<Values> {
  for (const { row, bad } of table.rows()) if (!bad) yield row as Values;
}

/** What the source systems and files hold after the snapshot and every seeded day. */
interface Raw {
  days: readonly string[];
  loaded: ReadonlySet<string>;
  /** transaction_id → the payment as the core holds it after every seeded day. */
  payments: Map<number, RawPayment>;
  sessions: Map<string, { day: string; userId: number }>;
  /** user_id → the registry's profile: channel, registration day, device. */
  users: Map<number, { channel: string; registrationDay: string; deviceId: string }>;
  /** Users with a card in core.cards. */
  cardUsers: Set<number>;
  /** device → its first `app_install` in the app's logs: the log's day and the channel. */
  installs: Map<string, { at: string; day: string; channel: string }>;
  /** day|channel|campaign → the agency's spend in kopecks, the latest report's figure. */
  spend: Map<string, { day: string; channel: string; cents: bigint }>;
  /** merchant_id → its legal client (core.merchants.legal_client_id). */
  merchants: Map<number, number | null>;
  /** client_id → the registry's legal client: registration day, key account. */
  legalClients: Map<number, { registeredDay: string; keyAccount: boolean }>;
  /** contract_id → the registry's contract. */
  contracts: Map<number, { clientId: number; tariffId: number; signedOn: string; status: string }>;
  /** tariff_id → its code. */
  tariffs: Map<number, string>;
  toByn: (cents: bigint, day: string, currency: string) => bigint;
}

function rawFromGenerator(
  options: { seed: number; scale: number; start: string },
  days: readonly string[],
): Raw {
  const world: World = createWorld({ seed: options.seed, scale: options.scale, start: options.start });
  const payments = new Map<number, RawPayment>();
  const sessions = new Map<string, { day: string; userId: number }>();
  const users = new Map<number, { channel: string; registrationDay: string; deviceId: string }>();
  const cardUsers = new Set<number>();
  const installs = new Map<string, { at: string; day: string; channel: string }>();
  const merchants = new Map<number, number | null>();
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
          });
        }
      }
      if (table.table === 'REGISTRY.APP_SESSIONS') {
        for (const values of goodRows(table)) {
          sessions.set(String(values.SESSION_ID), {
            day: dayOf(String(values.STARTED_AT)),
            userId: Number(values.USER_ID),
          });
        }
      }
      if (table.table === 'REGISTRY.USER_PROFILES') {
        for (const values of goodRows(table)) {
          users.set(Number(values.USER_ID), {
            channel: identifier(String(values.ACQ_CHANNEL)),
            registrationDay: dayOf(String(values.REGISTERED_AT)),
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
        for (const values of goodRows(table)) cardUsers.add(Number(values.user_id));
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
          if (logField(line, 'name') !== 'app_install') continue;
          const at = line.slice(0, line.indexOf(' '));
          const device = identifier(logField(line, 'device')!);
          const channel = logField(line, 'channel');
          const known = installs.get(device);
          if (!known || at < known.at)
            installs.set(device, { at, day, channel: channel ? identifier(channel) : 'organic' });
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
    installs,
    spend,
    merchants,
    legalClients,
    contracts,
    tariffs,
    toByn,
  };
}

/** Orders [a, b] tuples of text as PostgreSQL's "C" collation does: by code point, then the next. */
const byPair = ([a1, a2]: readonly [string, string], [b1, b2]: readonly [string, string]) =>
  a1 < b1 ? -1 : a1 > b1 ? 1 : a2 < b2 ? -1 : a2 > b2 ? 1 : 0;

/** `round(n / d, places)` of exact units of 10^-places, null when d = 0. */
const ratio = (n: bigint, d: number | bigint, places: number) =>
  BigInt(d) !== 0n ? formatUnits(divideRounded(n, BigInt(d)), places) : null;

function dailyKpis(raw: Raw): DailyKpis[] {
  const { days, loaded, payments, sessions, toByn } = raw;
  const activeOn = new Map<string, Set<number>>();
  const markActive = (day: string, userId: number) => {
    if (!loaded.has(day)) return;
    if (!activeOn.has(day)) activeOn.set(day, new Set());
    activeOn.get(day)!.add(userId);
  };
  for (const session of sessions.values()) markActive(session.day, session.userId);
  for (const payment of payments.values())
    if (payment.status === 'success') markActive(payment.day, payment.userId);

  const activeBetween = (from: string, to: string) => {
    const users = new Set<number>();
    for (const [day, set] of activeOn) if (day >= from && day <= to) for (const user of set) users.add(user);
    return users;
  };

  return days.map((day): DailyKpis => {
    const dau = activeOn.get(day)?.size ?? 0;
    const wau = activeBetween(addDays(day, -6), day).size;
    const mau = activeBetween(addDays(day, -29), day).size;
    let transactions = 0;
    let turnover = 0n;
    let revenue = 0n;
    let cashback = 0n;
    const payers = new Set<number>();
    for (const payment of payments.values()) {
      if (payment.day !== day || payment.status !== 'success') continue;
      transactions++;
      turnover += toByn(payment.amountCents, day, payment.currency);
      revenue += toByn(payment.commissionCents, day, payment.currency);
      cashback += toByn(payment.cashbackCents, day, payment.currency);
      payers.add(payment.userId);
    }
    const recent = activeBetween(addDays(day, -29), day);
    const earlier = activeBetween(addDays(day, -59), addDays(day, -30));
    const churned = [...earlier].filter((user) => !recent.has(user)).length;
    return {
      day,
      dau,
      wau,
      mau,
      stickiness: ratio(BigInt(dau) * 10_000n, mau, 4),
      transactions,
      turnover_byn: formatUnits(turnover, 2),
      revenue_byn: formatUnits(revenue, 2),
      cashback_byn: formatUnits(cashback, 2),
      avg_check_byn: ratio(turnover, transactions, 2),
      paying_users: payers.size,
      arpu_byn: ratio(revenue, dau, 2),
      arppu_byn: ratio(revenue, payers.size, 2),
      churned_users: churned,
      churn_base_users: earlier.size,
    };
  });
}

/** Per user, their successful payments of the loaded days (as of the last one): count and commission in BYN. */
function successesByUser(raw: Raw) {
  const byUser = new Map<number, { payments: number; revenue: bigint }>();
  for (const payment of raw.payments.values()) {
    if (!raw.loaded.has(payment.day) || payment.status !== 'success') continue;
    const sums = byUser.get(payment.userId) ?? { payments: 0, revenue: 0n };
    sums.payments++;
    sums.revenue += raw.toByn(payment.commissionCents, payment.day, payment.currency);
    byUser.set(payment.userId, sums);
  }
  return byUser;
}

/**
 * `bi.kpi_channel`, ordered by channel and cohort month: every registered user (the base before
 * start included) by channel and registration month, with their successful payments to date, full
 * joined with the agency's spend by channel and month of the spend's day.
 */
function channelKpis(raw: Raw): ChannelKpis[] {
  const successes = successesByUser(raw);
  const cells = new Map<
    string,
    {
      key: [string, string];
      users: number;
      payers: number;
      revenue: bigint;
      spendRows: number;
      spend: bigint;
    }
  >();
  const cell = (channel: string, month: string) => {
    const id = `${channel}|${month}`;
    if (!cells.has(id))
      cells.set(id, { key: [channel, month], users: 0, payers: 0, revenue: 0n, spendRows: 0, spend: 0n });
    return cells.get(id)!;
  };
  for (const [userId, user] of raw.users) {
    const sums = cell(user.channel, monthOf(user.registrationDay));
    const paid = successes.get(userId);
    sums.users++;
    if (paid) {
      sums.payers++;
      sums.revenue += paid.revenue;
    }
  }
  for (const row of raw.spend.values()) {
    const sums = cell(row.channel, monthOf(row.day));
    sums.spendRows++;
    sums.spend += row.cents;
  }
  return [...cells.values()]
    .sort((a, b) => byPair(a.key, b.key))
    .map((sums): ChannelKpis => {
      const [channel, cohortMonth] = sums.key;
      return {
        channel,
        cohort_month: cohortMonth,
        registered_users: sums.users,
        paying_users: sums.payers,
        spend_byn: formatUnits(sums.spend, 2),
        revenue_byn: formatUnits(sums.revenue, 2),
        cac_byn: sums.spendRows > 0 ? ratio(sums.spend, sums.payers, 2) : null,
        ltv_byn: ratio(sums.revenue, sums.users, 2),
        romi: sums.spend > 0n ? ratio((sums.revenue - sums.spend) * 10_000n, sums.spend, 4) : null,
      };
    });
}

/**
 * `bi.kpi_funnel`, ordered by install week and channel: the devices whose first `app_install` is in
 * the loaded days' logs, then the user of the device (the lowest id when several), their card, their
 * first and their second successful payment to date.
 */
function funnelKpis(raw: Raw): FunnelKpis[] {
  const successes = successesByUser(raw);
  const userOfDevice = new Map<string, number>();
  for (const [userId, user] of raw.users) {
    const known = userOfDevice.get(user.deviceId);
    if (known === undefined || userId < known) userOfDevice.set(user.deviceId, userId);
  }
  const cells = new Map<string, FunnelKpis>();
  for (const [device, install] of raw.installs) {
    const week = mondayOf(install.day);
    const key = `${week}|${install.channel}`;
    const counts = cells.get(key) ?? {
      install_week: week,
      channel: install.channel,
      installs: 0,
      registered: 0,
      card_linked: 0,
      first_payment: 0,
      repeat_payment: 0,
    };
    cells.set(key, counts);
    counts.installs++;
    const userId = userOfDevice.get(device);
    if (userId === undefined) continue;
    counts.registered++;
    if (raw.cardUsers.has(userId)) counts.card_linked++;
    const paid = successes.get(userId)?.payments ?? 0;
    if (paid >= 1) counts.first_payment++;
    if (paid >= 2) counts.repeat_payment++;
  }
  return [...cells.values()].sort((a, b) => byPair([a.install_week, a.channel], [b.install_week, b.channel]));
}

const GRAINS = ['month', 'week'] as const;
const periodOf = (grain: 'week' | 'month', day: string) => (grain === 'week' ? mondayOf(day) : monthOf(day));
const nextPeriod = (grain: 'week' | 'month', start: string) =>
  grain === 'week' ? addDays(start, 7) : addMonths(start, 1);
const periodsBetween = (grain: 'week' | 'month', from: string, to: string) =>
  grain === 'week'
    ? (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / (7 * 86_400_000)
    : (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
      Number(to.slice(5, 7)) -
      Number(from.slice(5, 7));

/**
 * `bi.kpi_retention`, ordered by grain, cohort and offset: every registered user (the base before
 * start included) in the weekly and the monthly cohort of their registration day; for each period
 * from the cohort's own (but not before the period of the first loaded day) to the last loaded day,
 * the cohort users active then (a session or a successful payment on a loaded day), their
 * commission then, its running total and the running total per cohort user.
 */
function retentionKpis(raw: Raw): RetentionKpis[] {
  const first = raw.days[0]!;
  const last = raw.days[raw.days.length - 1]!;
  const cohortUsers = new Map<string, number>();
  const active = new Map<string, Set<number>>();
  const revenue = new Map<string, bigint>();
  const cellOf = (grain: string, cohort: string, period: string) => `${grain}|${cohort}|${period}`;
  for (const user of raw.users.values())
    for (const grain of GRAINS) {
      const key = `${grain}|${periodOf(grain, user.registrationDay)}`;
      cohortUsers.set(key, (cohortUsers.get(key) ?? 0) + 1);
    }
  const markActive = (userId: number, day: string) => {
    const user = raw.users.get(userId);
    if (!user || !raw.loaded.has(day)) return;
    for (const grain of GRAINS) {
      const key = cellOf(grain, periodOf(grain, user.registrationDay), periodOf(grain, day));
      if (!active.has(key)) active.set(key, new Set());
      active.get(key)!.add(userId);
    }
  };
  for (const session of raw.sessions.values()) markActive(session.userId, session.day);
  for (const payment of raw.payments.values()) {
    if (payment.status !== 'success') continue;
    markActive(payment.userId, payment.day);
    const user = raw.users.get(payment.userId);
    if (!user || !raw.loaded.has(payment.day)) continue;
    const commission = raw.toByn(payment.commissionCents, payment.day, payment.currency);
    for (const grain of GRAINS) {
      const key = cellOf(grain, periodOf(grain, user.registrationDay), periodOf(grain, payment.day));
      revenue.set(key, (revenue.get(key) ?? 0n) + commission);
    }
  }
  const rows: RetentionKpis[] = [];
  const cohorts = [...cohortUsers.keys()]
    .map((key) => key.split('|') as ['week' | 'month', string])
    .sort(byPair);
  for (const [grain, cohort] of cohorts) {
    const users = cohortUsers.get(`${grain}|${cohort}`)!;
    const firstPeriod = periodOf(grain, first);
    let cumulative = 0n;
    // From the cohort's own period, but not before the period of the first loaded day.
    const [, from] = [cohort, firstPeriod].sort() as [string, string];
    for (let period = from; period <= last; period = nextPeriod(grain, period)) {
      const key = cellOf(grain, cohort, period);
      const activeUsers = active.get(key)?.size ?? 0;
      const byn = revenue.get(key) ?? 0n;
      cumulative += byn;
      rows.push({
        grain,
        cohort,
        period_offset: periodsBetween(grain, cohort, period),
        period_start: period,
        cohort_users: users,
        active_users: activeUsers,
        retention_rate: ratio(BigInt(activeUsers) * 10_000n, users, 4),
        revenue_byn: formatUnits(byn, 2),
        cumulative_revenue_byn: formatUnits(cumulative, 2),
        ltv_byn: ratio(cumulative, users, 2),
      });
    }
  }
  return rows;
}

/** Per legal client and loaded day, its merchants' successful payments: count, turnover and commission in BYN. */
function legalActivity(raw: Raw) {
  const byDay = new Map<string, Map<number, { transactions: number; turnover: bigint; revenue: bigint }>>();
  for (const payment of raw.payments.values()) {
    if (!raw.loaded.has(payment.day) || payment.status !== 'success') continue;
    const clientId = raw.merchants.get(payment.merchantId);
    if (clientId === null || clientId === undefined) continue;
    if (!byDay.has(payment.day)) byDay.set(payment.day, new Map());
    const clients = byDay.get(payment.day)!;
    const sums = clients.get(clientId) ?? { transactions: 0, turnover: 0n, revenue: 0n };
    sums.transactions++;
    sums.turnover += raw.toByn(payment.amountCents, payment.day, payment.currency);
    sums.revenue += raw.toByn(payment.commissionCents, payment.day, payment.currency);
    clients.set(clientId, sums);
  }
  return byDay;
}

/**
 * `bi.kpi_legal_entities`, one row per loaded day: the registry's legal clients registered by the
 * day, and the clients whose merchants took a successful payment that day (key accounts among
 * them), with those payments' count, turnover and commission.
 */
function legalDailyKpis(raw: Raw): LegalDailyKpis[] {
  const activity = legalActivity(raw);
  return raw.days.map((day): LegalDailyKpis => {
    const paid = activity.get(day) ?? new Map();
    let transactions = 0;
    let turnover = 0n;
    let revenue = 0n;
    let keyAccounts = 0;
    for (const [clientId, sums] of paid) {
      transactions += sums.transactions;
      turnover += sums.turnover;
      revenue += sums.revenue;
      if (raw.legalClients.get(clientId)?.keyAccount) keyAccounts++;
    }
    return {
      day,
      clients: [...raw.legalClients.values()].filter((client) => client.registeredDay <= day).length,
      active_clients: paid.size,
      active_key_accounts: keyAccounts,
      transactions,
      turnover_byn: formatUnits(turnover, 2),
      revenue_byn: formatUnits(revenue, 2),
      transactions_per_active_client: ratio(BigInt(transactions) * 100n, paid.size, 2),
    };
  });
}

/**
 * `bi.kpi_legal_monthly`, ordered by month and tariff: for each month with payments on a loaded day,
 * the legal clients registered by its end by their current tariff (the latest signed active
 * contract's, `none` without one): how many, how many were active (a successful payment of a
 * merchant of theirs on a loaded day of the month), their payments, and the key accounts among them
 * with those also active in the month before and both.
 */
function legalMonthlyKpis(raw: Raw): LegalMonthlyKpis[] {
  const byMonth = new Map<string, Map<number, { transactions: number; turnover: bigint; revenue: bigint }>>();
  for (const [day, clients] of legalActivity(raw)) {
    const month = monthOf(day);
    if (!byMonth.has(month)) byMonth.set(month, new Map());
    const monthly = byMonth.get(month)!;
    for (const [clientId, sums] of clients) {
      const total = monthly.get(clientId) ?? { transactions: 0, turnover: 0n, revenue: 0n };
      total.transactions += sums.transactions;
      total.turnover += sums.turnover;
      total.revenue += sums.revenue;
      monthly.set(clientId, total);
    }
  }
  const current = new Map<number, { signedOn: string; contractId: number; tariffId: number }>();
  for (const [contractId, contract] of raw.contracts) {
    if (contract.status !== 'active') continue;
    const known = current.get(contract.clientId);
    if (
      !known ||
      contract.signedOn > known.signedOn ||
      (contract.signedOn === known.signedOn && contractId > known.contractId)
    )
      current.set(contract.clientId, {
        signedOn: contract.signedOn,
        contractId,
        tariffId: contract.tariffId,
      });
  }
  const tariffOf = (clientId: number) => {
    const contract = current.get(clientId);
    return (contract && raw.tariffs.get(contract.tariffId)) || 'none';
  };
  const months = new Set<string>();
  for (const payment of raw.payments.values())
    if (raw.loaded.has(payment.day)) months.add(monthOf(payment.day));
  const rows: LegalMonthlyKpis[] = [];
  for (const month of [...months].sort()) {
    const end = addMonths(month, 1);
    const activity = byMonth.get(month) ?? new Map();
    const before = byMonth.get(addMonths(month, -1)) ?? new Map();
    const cells = new Map<string, LegalMonthlyKpis & { turnover: bigint; revenue: bigint }>();
    for (const [clientId, client] of raw.legalClients) {
      if (client.registeredDay >= end) continue;
      const tariff = tariffOf(clientId);
      const cell = cells.get(tariff) ?? {
        month,
        tariff_code: tariff,
        clients: 0,
        active_clients: 0,
        transactions: 0,
        turnover_byn: '',
        revenue_byn: '',
        key_accounts: 0,
        key_accounts_active: 0,
        key_accounts_active_before: 0,
        key_accounts_retained: 0,
        turnover: 0n,
        revenue: 0n,
      };
      cells.set(tariff, cell);
      cell.clients++;
      const sums = activity.get(clientId);
      if (sums) {
        cell.active_clients++;
        cell.transactions += sums.transactions;
        cell.turnover += sums.turnover;
        cell.revenue += sums.revenue;
      }
      if (!client.keyAccount) continue;
      cell.key_accounts++;
      if (sums) cell.key_accounts_active++;
      if (before.has(clientId)) cell.key_accounts_active_before++;
      if (sums && before.has(clientId)) cell.key_accounts_retained++;
    }
    for (const { turnover, revenue, ...cell } of [...cells.values()].sort((a, b) =>
      byPair([a.month, a.tariff_code], [b.month, b.tariff_code]),
    ))
      rows.push({ ...cell, turnover_byn: formatUnits(turnover, 2), revenue_byn: formatUnits(revenue, 2) });
  }
  return rows;
}

/** Every KPI table of the days seeded, from one pass over the generator. */
export function kpisFromGenerator(
  options: { seed: number; scale: number; start: string },
  days: readonly string[],
) {
  const raw = rawFromGenerator(options, days);
  return {
    daily: dailyKpis(raw),
    channel: channelKpis(raw),
    funnel: funnelKpis(raw),
    retention: retentionKpis(raw),
    legalDaily: legalDailyKpis(raw),
    legalMonthly: legalMonthlyKpis(raw),
  };
}

export function dailyKpisFromGenerator(
  options: { seed: number; scale: number; start: string },
  days: readonly string[],
): DailyKpis[] {
  return dailyKpis(rawFromGenerator(options, days));
}
