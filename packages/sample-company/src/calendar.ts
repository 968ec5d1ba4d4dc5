/**
 * Days and local times of the sample company. Minsk has been UTC+3 all year since 2011, so a local
 * wall-clock time is kept as "seconds since 1970 on the Minsk clock" and formatted through UTC
 * without a time-zone library.
 */
export const SECONDS_PER_DAY = 86_400;

/** Days since 1970-01-01 of a YYYY-MM-DD key. */
export function dayNumber(day: string): number {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  return Date.UTC(year, month - 1, date) / 86_400_000;
}

export function dayKey(number: number): string {
  return new Date(number * 86_400_000).toISOString().slice(0, 10);
}

/** 1 = Monday … 7 = Sunday. */
export function isoWeekday(number: number): number {
  return ((number + 3) % 7) + 1;
}

export function isWeekend(number: number): boolean {
  return isoWeekday(number) >= 6;
}

/** Month (1–12) and day of month of a day number. */
export function monthAndDate(number: number): { month: number; date: number; year: number } {
  const value = new Date(number * 86_400_000);
  return { year: value.getUTCFullYear(), month: value.getUTCMonth() + 1, date: value.getUTCDate() };
}

/** 'YYYY-MM-DD HH:MM:SS' local time, as MySQL DATETIME and PostgreSQL timestamp take it. */
export function localTimestamp(seconds: number): string {
  return new Date(Math.floor(seconds) * 1000).toISOString().slice(0, 19).replace('T', ' ');
}

/** '2026-11-03T18:22:05.123+03:00', the app log's format. */
export function logTimestamp(seconds: number): string {
  return `${new Date(Math.round(seconds * 1000)).toISOString().slice(0, 23)}+03:00`;
}

export function dayOfSeconds(seconds: number): number {
  return Math.floor(seconds / SECONDS_PER_DAY);
}

/** The day before `day`, every day from `from` to `to` inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const days: string[] = [];
  for (let number = dayNumber(from); number <= dayNumber(to); number++) days.push(dayKey(number));
  return days;
}
