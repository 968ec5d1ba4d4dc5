/** (d) Weekly and monthly series start and end on complete periods. */
import { type ChartResult, type Finding, finding } from './result.ts';

export type Grain = 'P1D' | 'P1W' | 'P1M' | 'P3M' | 'P1Y';

const DAY = 86_400_000;
export const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** A time value as Superset sends it (epoch ms, or an ISO date/time string) → epoch ms at UTC midnight. */
export function timeValue(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value / DAY) * DAY;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return dayMs(value.slice(0, 10));
  return null;
}

/** The first and last day (YYYY-MM-DD) of the period of `grain` holding `day`: weeks run Monday–Sunday. */
export function periodOf(day: string, grain: Grain): { first: string; last: string } {
  const ms = dayMs(day);
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (grain) {
    case 'P1D':
      return { first: day, last: day };
    case 'P1W': {
      const monday = ms - ((date.getUTCDay() + 6) % 7) * DAY;
      return { first: isoDay(monday), last: isoDay(monday + 6 * DAY) };
    }
    case 'P1M':
      return { first: isoDay(Date.UTC(year, month, 1)), last: isoDay(Date.UTC(year, month + 1, 1) - DAY) };
    case 'P3M': {
      const quarter = month - (month % 3);
      return {
        first: isoDay(Date.UTC(year, quarter, 1)),
        last: isoDay(Date.UTC(year, quarter + 3, 1) - DAY),
      };
    }
    case 'P1Y':
      return { first: `${year}-01-01`, last: `${year}-12-31` };
  }
}

const daysBetween = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY) + 1;

/**
 * A time series stops at the last complete period and starts at the first complete one: the period
 * of its last x value ends on or before the table's newest day, that of its first begins on or
 * after its oldest day. `oldest`/`newest` come from ClickHouse, not from the code under test.
 */
export function checkCompletePeriods(
  result: ChartResult,
  x: string,
  grain: Grain,
  span: { oldest: string; newest: string },
): Finding[] {
  const days = result.data
    .map((row) => timeValue(row[x]))
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  if (days.length === 0) return [];
  const findings: Finding[] = [];
  const last = periodOf(isoDay(days.at(-1)!), grain);
  if (last.last > span.newest)
    findings.push(
      finding(
        'complete periods',
        `the last ${grain} period ${last.first}…${last.last} holds ${daysBetween(last.first, span.newest)} of its ` +
          `${daysBetween(last.first, last.last)} days (the data ends ${span.newest})`,
      ),
    );
  const first = periodOf(isoDay(days[0]!), grain);
  if (first.first < span.oldest)
    findings.push(
      finding(
        'complete periods',
        `the first ${grain} period ${first.first}…${first.last} holds ${daysBetween(span.oldest, first.last)} of its ` +
          `${daysBetween(first.first, first.last)} days (the data starts ${span.oldest})`,
      ),
    );
  return findings;
}
