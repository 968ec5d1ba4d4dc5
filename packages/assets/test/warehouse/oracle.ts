import { createWorld, generateDay, type World } from '../../src/company/index.ts';

/**
 * The daily KPIs computed straight from the generator's raw rows, without the warehouse: what the
 * payments core and the registry received (bad rows left out, refunds applied), converted with the
 * NBRB answers the replay server serves. Money is exact: amounts in kopecks and rates in
 * millionths as BigInt, rounded half away from zero as PostgreSQL's numeric round() does.
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

export function dailyKpisFromGenerator(
  options: { seed: number; scale: number; start: string },
  days: readonly string[],
) {
  const world: World = createWorld({ seed: options.seed, scale: options.scale, start: options.start });
  /** transaction_id → the payment as the core holds it after every seeded day. */
  const payments = new Map<number, RawPayment>();
  const sessions = new Map<string, { day: string; userId: number }>();
  /** day → currency → BYN per unit, as official rate (millionths) and scale. */
  const rates = new Map<string, Map<string, { micro: bigint; scale: bigint }>>();

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
    for (const table of increment.tables) {
      if (table.table === 'core.transactions') {
        for (const { row, bad } of table.rows()) {
          if (bad) continue;
          const values = row as Record<string, string | number | null>;
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
          const values = row as Record<string, string | number | null>;
          sessions.set(String(values.SESSION_ID), {
            day: dayOf(String(values.STARTED_AT)),
            userId: Number(values.USER_ID),
          });
        }
      }
    }
  }

  const loaded = new Set(days);
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
    const ratio = (n: bigint, d: number, places: number) =>
      d > 0 ? formatUnits(divideRounded(n, BigInt(d)), places) : null;
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
