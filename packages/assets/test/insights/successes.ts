import type { Raw, RawPayment } from '../warehouse/generatorRows.ts';

/**
 * What every conclusion's oracle starts from: the successful payments of the loaded days in BYN
 * kopecks with their merchant's vertical and chain, and helpers taking the queries' aggregates over
 * them as ClickHouse does.
 */

/** A conclusion's row: its query's columns. */
export type Figures = Record<string, number | string | null>;

/** A successful payment of a loaded day, in BYN kopecks, with what the marts join to it. */
export interface Success {
  payment: RawPayment;
  b2c: boolean;
  vertical: string;
  chain: string;
  amount: bigint;
  commission: bigint;
}

export const byn = (kopecks: bigint) => Number(kopecks) / 100;
export const seconds = (timestamp: string) => Date.parse(`${timestamp.replace(' ', 'T')}Z`) / 1000;
/** ISO day of the week, 1 = Monday … 7 = Sunday (extract(isodow …)). */
export const isoWeekday = (day: string) => new Date(`${day}T00:00:00Z`).getUTCDay() || 7;
/** The first and the last of ISO days (or any text) in code-point order. */
export const minOf = (values: Iterable<string>) => [...values].sort()[0]!;
export const maxOf = (values: Iterable<string>) => [...values].sort().at(-1)!;
export const count = <T>(items: Iterable<T>, keep: (item: T) => boolean) => {
  let n = 0;
  for (const item of items) if (keep(item)) n++;
  return n;
};
/**
 * The entry with the largest (or, `sign` −1, smallest) key; the first of equals; undefined for none:
 * its figures are then what ClickHouse gives an aggregate over no row, '' and 0.
 */
export function extreme<T>(items: readonly T[], key: (item: T) => number, sign = 1): T | undefined {
  if (items.length === 0) return undefined;
  return items.reduce((best, item) => (sign * key(item) > sign * key(best) ? item : best));
}
/**
 * a / b as the query divides: an aggregate over no row (undefined) is 0, a NaN (null) stays NaN; a
 * result that is not finite is null, as in the query's JSON.
 */
export const over = (a: number | null | undefined, b: number | null | undefined) => {
  const ratio = (a ?? (a === null ? Number.NaN : 0)) / (b ?? (b === null ? Number.NaN : 0));
  return Number.isFinite(ratio) ? ratio : null;
};

/** The successful payments of the loaded days: the rows every mart's money and counts start from. */
export function successesOf(raw: Raw): Success[] {
  const successes: Success[] = [];
  for (const payment of raw.payments.values()) {
    if (!raw.loaded.has(payment.day) || payment.status !== 'success') continue;
    const merchant = raw.merchantKinds.get(payment.merchantId);
    successes.push({
      payment,
      b2c: payment.payerType === 'individual',
      vertical: merchant?.vertical ?? 'unknown',
      chain: merchant?.chain ?? '',
      amount: raw.toByn(payment.amountCents, payment.day, payment.currency),
      commission: raw.toByn(payment.commissionCents, payment.day, payment.currency),
    });
  }
  return successes;
}

/** The days the marts hold payments for (mart.payments and mart.overview_daily: any payment, any status). */
export const paymentDays = (raw: Raw) =>
  new Set([...raw.payments.values()].filter((p) => raw.loaded.has(p.day)).map((p) => p.day));

/** Per user: successful payments of any payer (dim_user.first_payment_at, mart.funnel's repeaters). */
export function successCounts(successes: readonly Success[]) {
  const counts = new Map<number, number>();
  for (const { payment } of successes) counts.set(payment.userId, (counts.get(payment.userId) ?? 0) + 1);
  return counts;
}

/** Per user: their own (B2C) successful payments: count, commission, last day (mart.users). */
export function ownPayments(successes: readonly Success[]) {
  const own = new Map<number, { payments: number; commission: bigint; lastDay: string }>();
  for (const s of successes) {
    if (!s.b2c) continue;
    const known = own.get(s.payment.userId) ?? { payments: 0, commission: 0n, lastDay: s.payment.day };
    known.payments++;
    known.commission += s.commission;
    if (s.payment.day > known.lastDay) known.lastDay = s.payment.day;
    own.set(s.payment.userId, known);
  }
  return own;
}

/** The users mart's days: from the first successful payment (min first_payment_date) to as_of (the newest payment day). */
export function usersWindow(raw: Raw, successes: readonly Success[]) {
  return { firstPay: minOf(successes.map((s) => s.payment.day)), asOf: maxOf(paymentDays(raw)) };
}
