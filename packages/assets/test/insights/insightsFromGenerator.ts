import { addDays, type Raw } from '../warehouse/generatorRows.ts';
import { cashbackFrequency } from './cashbackFromGenerator.ts';
import { b2bShare, releaseCrashes, tyreSeason } from './overviewFromGenerator.ts';
import {
  byn,
  count,
  extreme,
  type Figures,
  isoWeekday,
  maxOf,
  minOf,
  over,
  ownPayments,
  paymentDays,
  type Success,
  seconds,
  successCounts,
  successesOf,
  usersWindow,
} from './successes.ts';

export { type Figures, type Success, successesOf } from './successes.ts';

/**
 * Each conclusion's figures (the columns of its query, sql/clickhouse/insights/<name>.sql) recomputed
 * straight from the generator's raw rows (../warehouse/generatorRows.ts: what the sources hold after
 * the seeded days, bad rows left out, refunds applied), without the warehouse or the marts. The
 * definitions are the queries' own, restated from the sources' terms; each function says them.
 * Money is exact in kopecks (BigInt) until a ratio is taken.
 */
export interface InsightFigures {
  card_bottleneck: Figures;
  channel_value: Figures;
  early_card_churn: Figures;
  weekly_peak: Figures;
  /** One row per grocery chain with its own campaign, ordered by frequency lift (highest first). */
  cashback_frequency: Figures[];
  tyre_season: Figures;
  release_crashes: Figures;
  b2b_share: Figures;
}

/**
 * card_bottleneck (mart.funnel): the funnel's days are the log's installs and the registrations from
 * the first loaded day; kept: the days up to 7 before the newest. Per channel: installs (a device's
 * app_install), registrations (registry profiles registered that day), those with a card (core.cards),
 * with a successful payment and with two or more (any payer); rates of the sums; the worst and best
 * card rate among channels with 100 registrations.
 */
function cardBottleneck(raw: Raw, successes: readonly Success[]): Figures {
  const first = raw.days[0]!;
  const registered = [...raw.users].filter(([, user]) => user.registrationDay >= first);
  const installs = [...raw.installs.values()];
  const newest = maxOf([...installs.map((i) => i.day), ...registered.map(([, u]) => u.registrationDay)]);
  const cutoff = addDays(newest, -7);
  const paid = successCounts(successes);
  const channels = new Map<
    string,
    { installs: number; registrations: number; card: number; first: number; repeat: number }
  >();
  const days: string[] = [];
  const of = (channel: string) => {
    if (!channels.has(channel))
      channels.set(channel, { installs: 0, registrations: 0, card: 0, first: 0, repeat: 0 });
    return channels.get(channel)!;
  };
  for (const install of installs) {
    if (install.day > cutoff) continue;
    of(install.channel).installs++;
    days.push(install.day);
  }
  for (const [userId, user] of registered) {
    if (user.registrationDay > cutoff) continue;
    const sums = of(user.channel);
    sums.registrations++;
    if (raw.cardLinkedAt.has(userId)) sums.card++;
    if ((paid.get(userId) ?? 0) >= 1) sums.first++;
    if ((paid.get(userId) ?? 0) >= 2) sums.repeat++;
    days.push(user.registrationDay);
  }
  const all = [...channels.values()];
  const total = (key: keyof (typeof all)[number]) => all.reduce((sum, c) => sum + c[key], 0);
  const compared = [...channels].filter(([, c]) => c.registrations >= 100);
  const cardRate = ([, c]: (typeof compared)[number]) => c.card / c.registrations;
  const worst = extreme(compared, cardRate, -1);
  const best = extreme(compared, cardRate);
  return {
    period_from: minOf(days),
    period_to: maxOf(days),
    installs: total('installs'),
    registrations: total('registrations'),
    card_linked: total('card'),
    first_payment: total('first'),
    repeat_payment: total('repeat'),
    registration_rate: total('registrations') / total('installs'),
    card_rate: total('card') / total('registrations'),
    payment_rate: total('first') / total('card'),
    repeat_rate: total('repeat') / total('first'),
    worst_channel: worst?.[0] ?? '',
    worst_card_rate: worst ? cardRate(worst) : 0,
    best_channel: best?.[0] ?? '',
    best_card_rate: best ? cardRate(best) : 0,
    channels_compared: compared.length,
  };
}

/**
 * channel_value (mart.users, mart.marketing_daily): users registered from the users mart's first
 * payment day to 28 days before its as_of; value = their own (B2C) commission so far per user; cost
 * of a paid channel (every one but organic, bi.dim_channel) = the agency's spend on the same days
 * per registration. Channels with 100 users.
 */
function channelValue(raw: Raw, successes: readonly Success[]): Figures {
  const { firstPay, asOf } = usersWindow(raw, successes);
  const last = addDays(asOf, -28);
  const own = ownPayments(successes);
  const channels = new Map<string, { users: number; commission: bigint; days: string[]; spend: bigint }>();
  for (const [userId, user] of raw.users) {
    if (user.registrationDay < firstPay || user.registrationDay > last) continue;
    const sums = channels.get(user.channel) ?? { users: 0, commission: 0n, days: [], spend: 0n };
    sums.users++;
    sums.commission += own.get(userId)?.commission ?? 0n;
    sums.days.push(user.registrationDay);
    channels.set(user.channel, sums);
  }
  for (const row of raw.spend.values()) {
    const sums = channels.get(row.channel);
    if (sums && row.channel !== 'organic' && row.day >= firstPay && row.day <= last) sums.spend += row.cents;
  }
  const rows = [...channels]
    .filter(([, c]) => c.users >= 100)
    .map(([channel, c]) => ({
      channel,
      value: byn(c.commission) / c.users,
      cac: byn(c.spend) / c.users,
      from: minOf(c.days),
      to: maxOf(c.days),
    }));
  const paid = rows.filter((row) => row.cac > 0);
  const best = extreme(rows, (row) => row.value);
  const worst = extreme(rows, (row) => row.value, -1);
  const bestPaid = extreme(paid, (row) => row.value / row.cac);
  const worstPaid = extreme(paid, (row) => row.value / row.cac, -1);
  return {
    period_from: minOf([...channels.values()].flatMap((c) => c.days)),
    period_to: maxOf([...channels.values()].flatMap((c) => c.days)),
    best_channel: best?.channel ?? '',
    best_value_byn: best?.value ?? 0,
    worst_channel: worst?.channel ?? '',
    worst_value_byn: worst?.value ?? 0,
    value_ratio: over(best?.value, worst?.value),
    best_paid_channel: bestPaid?.channel ?? '',
    best_value_per_cac: bestPaid ? bestPaid.value / bestPaid.cac : 0,
    best_paid_cac_byn: bestPaid?.cac ?? 0,
    worst_paid_channel: worstPaid?.channel ?? '',
    worst_value_per_cac: worstPaid ? worstPaid.value / worstPaid.cac : 0,
    worst_paid_cac_byn: worstPaid?.cac ?? 0,
    channels_compared: rows.length,
    paid_channels_compared: paid.length,
  };
}

/** Whether a user's first card was linked within 72 hours of registering (dim_user.card_linked_within_3d). */
export function cardWithin3Days(raw: Raw, userId: number): boolean {
  const linked = raw.cardLinkedAt.get(userId);
  const user = raw.users.get(userId);
  return (
    linked !== undefined && user !== undefined && seconds(linked) <= seconds(user.registeredAt) + 72 * 3600
  );
}

/** The users early_card_churn compares, each with their group and whether they churned. */
export function churnCohort(raw: Raw, successes: readonly Success[]) {
  const { firstPay, asOf } = usersWindow(raw, successes);
  const own = ownPayments(successes);
  const cohort: Array<{ userId: number; registrationDay: string; early: boolean; churned: boolean }> = [];
  for (const [userId, user] of raw.users) {
    const paid = own.get(userId);
    if (!paid || user.registrationDay < firstPay || user.registrationDay > addDays(asOf, -35)) continue;
    cohort.push({
      userId,
      registrationDay: user.registrationDay,
      early: cardWithin3Days(raw, userId),
      churned: paid.lastDay <= addDays(asOf, -30),
    });
  }
  return { cohort, asOf };
}

/**
 * early_card_churn (mart.users): users who made an own (B2C) payment, registered from the first
 * payment day to 35 days before as_of; churned = their last own payment 30 days or more before
 * as_of; split by a card linked within 72 hours of registering.
 */
function earlyCardChurn(raw: Raw, successes: readonly Success[]): Figures {
  const { cohort, asOf } = churnCohort(raw, successes);
  const early = cohort.filter((user) => user.early);
  const late = cohort.filter((user) => !user.early);
  const churn = (users: typeof cohort) =>
    over(
      count(users, (user) => user.churned),
      users.length,
    );
  return {
    period_from: minOf(cohort.map((user) => user.registrationDay)),
    period_to: maxOf(cohort.map((user) => user.registrationDay)),
    early_users: early.length,
    late_users: late.length,
    early_churn: churn(early),
    late_churn: churn(late),
    churn_ratio: over(churn(late), churn(early)),
    as_of: asOf,
  };
}

/**
 * weekly_peak (mart.payments): successful B2C payments by hour of trans_date, per day (a weekday's
 * days: the days of that ISO weekday holding payments); the peak hour, the mean hour, the 17–20 h
 * share, and payments per weekend day against per weekday.
 */
function weeklyPeak(raw: Raw, successes: readonly Success[]): Figures {
  const weekdays = new Map<number, number>();
  for (const day of paymentDays(raw)) weekdays.set(isoWeekday(day), (weekdays.get(isoWeekday(day)) ?? 0) + 1);
  const cells = new Map<string, { dow: number; hour: number; payments: number }>();
  const days: string[] = [];
  for (const s of successes) {
    if (!s.b2c) continue;
    const dow = isoWeekday(s.payment.day);
    const hour = Number(s.payment.transDate.slice(11, 13));
    const cell = cells.get(`${dow}|${hour}`) ?? { dow, hour, payments: 0 };
    cell.payments++;
    cells.set(`${dow}|${hour}`, cell);
    days.push(s.payment.day);
  }
  const hours = new Map<
    number,
    { payments: number; days: number; weekend: [number, number]; weekday: [number, number] }
  >();
  for (const cell of cells.values()) {
    const sums = hours.get(cell.hour) ?? { payments: 0, days: 0, weekend: [0, 0], weekday: [0, 0] };
    const of = weekdays.get(cell.dow)!;
    sums.payments += cell.payments;
    sums.days += of;
    const side = cell.dow >= 6 ? sums.weekend : sums.weekday;
    side[0] += cell.payments;
    side[1] += of;
    hours.set(cell.hour, sums);
  }
  const rows = [...hours].map(([hour, sums]) => ({ hour, ...sums, perDay: sums.payments / sums.days }));
  const sum = (of: (row: (typeof rows)[number]) => number) => rows.reduce((total, row) => total + of(row), 0);
  const most = (of: (row: (typeof rows)[number]) => number) => Math.max(...rows.map(of));
  const peak = extreme(rows, (row) => row.perDay)!;
  const mean = sum((row) => row.perDay) / rows.length;
  return {
    period_from: minOf(days),
    period_to: maxOf(days),
    peak_hour: peak.hour,
    peak_payments: peak.perDay,
    mean_payments: mean,
    peak_ratio: peak.perDay / mean,
    evening_share:
      sum((row) => (row.hour >= 17 && row.hour < 20 ? row.perDay : 0)) / sum((row) => row.perDay),
    weekend_ratio:
      sum((row) => row.weekend[0]) /
      most((row) => row.weekend[1]) /
      (sum((row) => row.weekday[0]) / most((row) => row.weekday[1])),
    payments: days.length,
    weeks: Math.min(most((row) => row.weekend[1]) / 2, most((row) => row.weekday[1]) / 5),
  };
}

/** Every conclusion's figures from one reading of the generator's rows. */
export function insightsFromGenerator(raw: Raw): InsightFigures {
  const successes = successesOf(raw);
  return {
    card_bottleneck: cardBottleneck(raw, successes),
    channel_value: channelValue(raw, successes),
    early_card_churn: earlyCardChurn(raw, successes),
    weekly_peak: weeklyPeak(raw, successes),
    cashback_frequency: cashbackFrequency(raw, successes),
    tyre_season: tyreSeason(raw, successes),
    release_crashes: releaseCrashes(raw),
    b2b_share: b2bShare(raw, successes),
  };
}
