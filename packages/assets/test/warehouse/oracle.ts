import {
  createWorld,
  type DayIncrement,
  generateDay,
  generateSnapshot,
  type World,
} from '../../src/company/index.ts';

/**
 * The KPIs computed straight from the generator's raw rows, without the warehouse: what the payments
 * core and the registry received (bad rows left out, refunds applied), the files delivered (the
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

interface RawPayment {
  day: string;
  userId: number;
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
/** The Monday of a day's ISO week, as PostgreSQL's date_trunc('week', …). */
const mondayOf = (day: string) => addDays(day, -((new Date(`${day}T00:00:00Z`).getUTCDay() + 6) % 7));
/** A code as dimension.identifier() keeps it: white space collapsed and trimmed, lower case. */
const identifier = (value: string) => value.replace(/\s+/g, ' ').trim().toLowerCase();
/** `key=value` of an app log's `[event]` line (the generator writes no quoted values for these keys). */
const logField = (line: string, key: string) => new RegExp(`(?:^| )${key}=(\\S+)`).exec(line)?.[1] ?? null;

type Values = Record<string, string | number | null>;

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
  /** agency report path → its good rows, applied in the order of the report names (the later wins). */
  const reports = new Map<string, Array<{ day: string; channel: string; campaign: string; cents: bigint }>>();
  /** day → currency → BYN per unit, as official rate (millionths) and scale. */
  const rates = new Map<string, Map<string, { micro: bigint; scale: bigint }>>();

  const readTables = (increment: DayIncrement) => {
    for (const table of increment.tables) {
      if (table.table === 'core.transactions') {
        for (const { row, bad } of table.rows()) {
          if (bad) continue;
          const values = row as Values;
          const id = Number(values.transaction_id);
          if (table.mode.kind === 'update') {
            const known = payments.get(id);
            if (known) known.status = String(values.status);
            continue;
          }
          payments.set(id, {
            day: dayOf(String(values.trans_date)),
            userId: Number(values.user_id),
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
        for (const { row, bad } of table.rows()) {
          if (bad) continue;
          const values = row as Values;
          sessions.set(String(values.SESSION_ID), {
            day: dayOf(String(values.STARTED_AT)),
            userId: Number(values.USER_ID),
          });
        }
      }
      if (table.table === 'REGISTRY.USER_PROFILES') {
        for (const { row, bad } of table.rows()) {
          if (bad) continue;
          const values = row as Values;
          users.set(Number(values.USER_ID), {
            channel: identifier(String(values.ACQ_CHANNEL)),
            registrationDay: dayOf(String(values.REGISTERED_AT)),
            deviceId: identifier(String(values.DEVICE_ID)),
          });
        }
      }
      if (table.table === 'core.cards') {
        for (const { row, bad } of table.rows()) {
          if (!bad) cardUsers.add(Number((row as Values).user_id));
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
  return { days, loaded: new Set(days), payments, sessions, users, cardUsers, installs, spend, toByn };
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

/** The daily, acquisition and funnel KPIs of the days seeded, from one pass over the generator. */
export function kpisFromGenerator(
  options: { seed: number; scale: number; start: string },
  days: readonly string[],
) {
  const raw = rawFromGenerator(options, days);
  return { daily: dailyKpis(raw), channel: channelKpis(raw), funnel: funnelKpis(raw) };
}

export function dailyKpisFromGenerator(
  options: { seed: number; scale: number; start: string },
  days: readonly string[],
): DailyKpis[] {
  return dailyKpis(rawFromGenerator(options, days));
}
