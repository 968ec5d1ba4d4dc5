import type { Raw } from '../warehouse/generatorRows.ts';
import { byn, extreme, type Figures, maxOf, minOf, over, paymentDays, type Success } from './successes.ts';

/**
 * tyre_season (mart.overview_daily): per day with B2C rows, successful B2C payments and turnover in
 * the auto vertical; mean per day from 15 October to 30 November and from 15 March to 30 April
 * against the other days.
 */
export function tyreSeason(raw: Raw, successes: readonly Success[]): Figures {
  const perDay = new Map<string, { payments: number; turnover: bigint }>();
  for (const payment of raw.payments.values())
    if (raw.loaded.has(payment.day) && payment.payerType === 'individual')
      perDay.set(payment.day, { payments: 0, turnover: 0n });
  for (const s of successes) {
    if (!s.b2c || s.vertical !== 'auto') continue;
    const day = perDay.get(s.payment.day)!;
    day.payments++;
    day.turnover += s.amount;
  }
  const inSeason = (day: string) => {
    const md = Number(day.slice(5, 7)) * 100 + Number(day.slice(8, 10));
    return (md >= 1015 && md <= 1130) || (md >= 315 && md <= 430);
  };
  const days = [...perDay.entries()];
  const season = days.filter(([day]) => inSeason(day)).map(([, d]) => d);
  const other = days.filter(([day]) => !inSeason(day)).map(([, d]) => d);
  const mean = (list: typeof season, of: (d: (typeof season)[number]) => number) =>
    list.reduce((sum, d) => sum + of(d), 0) / list.length;
  const payments = (d: (typeof season)[number]) => d.payments;
  const turnover = (d: (typeof season)[number]) => byn(d.turnover);
  return {
    period_from: minOf(perDay.keys()),
    period_to: maxOf(perDay.keys()),
    season_days: season.length,
    other_days: other.length,
    season_payments: mean(season, payments),
    other_payments: mean(other, payments),
    season_ratio: mean(season, payments) / mean(other, payments),
    turnover_ratio: mean(season, turnover) / mean(other, turnover),
  };
}

/** Per OS and version: the loaded days' registry sessions and those a crash in their day's log names. */
export function versionSessions(raw: Raw) {
  const versions = new Map<
    string,
    { os: string; version: string; sessions: number; crashed: number; days: string[] }
  >();
  for (const session of raw.sessions.values()) {
    if (!raw.loaded.has(session.day)) continue;
    const key = `${session.os}|${session.version}`;
    const sums = versions.get(key) ?? {
      os: session.os,
      version: session.version,
      sessions: 0,
      crashed: 0,
      days: [],
    };
    sums.sessions++;
    if (session.crashed) sums.crashed++;
    sums.days.push(session.day);
    versions.set(key, sums);
  }
  return [...versions.values()];
}

/**
 * release_crashes (mart.app_daily): per OS and version with 300 sessions, the share of sessions with
 * a crash; the worst against every other session of its OS.
 */
export function releaseCrashes(raw: Raw): Figures {
  const versions = versionSessions(raw);
  const compared = versions.filter((v) => v.sessions >= 300);
  const rate = (v: (typeof versions)[number]) => v.crashed / v.sessions;
  const worst = extreme(compared, rate);
  if (!worst) return { versions_compared: 0 };
  const ofOs = versions.filter((v) => v.os === worst.os && v !== worst);
  const other = ofOs.reduce((sum, v) => sum + v.crashed, 0) / ofOs.reduce((sum, v) => sum + v.sessions, 0);
  return {
    period_from: minOf(compared.flatMap((v) => v.days)),
    period_to: maxOf(compared.flatMap((v) => v.days)),
    worst_os: worst.os,
    worst_version: worst.version,
    worst_crash_rate: rate(worst),
    worst_sessions: worst.sessions,
    other_crash_rate: other,
    crash_ratio: over(rate(worst), other),
    versions_compared: compared.length,
  };
}

/** b2b_share (mart.overview_daily): business accounts' share of successful payments, turnover and commission. */
export function b2bShare(raw: Raw, successes: readonly Success[]): Figures {
  const sums = { b2b: { n: 0, amount: 0n, commission: 0n }, b2c: { n: 0, amount: 0n, commission: 0n } };
  for (const s of successes) {
    const side = s.b2c ? sums.b2c : sums.b2b;
    side.n++;
    side.amount += s.amount;
    side.commission += s.commission;
  }
  const { b2b, b2c } = sums;
  return {
    period_from: minOf(paymentDays(raw)),
    period_to: maxOf(paymentDays(raw)),
    payment_share: b2b.n / (b2b.n + b2c.n),
    turnover_share: byn(b2b.amount) / byn(b2b.amount + b2c.amount),
    commission_share: byn(b2b.commission) / byn(b2b.commission + b2c.commission),
    check_ratio: byn(b2b.amount) / b2b.n / (byn(b2c.amount) / b2c.n),
    payments: b2b.n + b2c.n,
  };
}
