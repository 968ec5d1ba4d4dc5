import {
  addDays,
  addMonths,
  byPair,
  formatUnits,
  mondayOf,
  monthOf,
  type Raw,
  ratio,
  rawFromGenerator,
} from './generatorRows.ts';
import { legalDailyKpis, legalMonthlyKpis } from './legalKpisFromGenerator.ts';

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
  b2b_transactions: number;
  b2b_turnover_byn: string;
  b2b_revenue_byn: string;
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
    const b2b = { transactions: 0, turnover: 0n, revenue: 0n };
    for (const payment of payments.values()) {
      if (payment.day !== day || payment.status !== 'success') continue;
      const amount = toByn(payment.amountCents, day, payment.currency);
      const commission = toByn(payment.commissionCents, day, payment.currency);
      transactions++;
      turnover += amount;
      revenue += commission;
      cashback += toByn(payment.cashbackCents, day, payment.currency);
      payers.add(payment.userId);
      // B2B: a business account's payment (an entrepreneur's or a legal entity's), B2C an individual's own.
      if (payment.payerType === 'individual') continue;
      b2b.transactions++;
      b2b.turnover += amount;
      b2b.revenue += commission;
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
      b2b_transactions: b2b.transactions,
      b2b_turnover_byn: formatUnits(b2b.turnover, 2),
      b2b_revenue_byn: formatUnits(b2b.revenue, 2),
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
