import { DateTime } from 'luxon';
import { z } from 'zod';

/** The key of an unpartitioned asset's only partition. */
export const UNPARTITIONED = '';

export const partitionDateSchema = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD')
  .refine((value) => DateTime.fromISO(value, { zone: 'utc' }).isValid, 'not a calendar date');

export const dailyPartitionsSchema = z.object({
  kind: z.literal('daily'),
  timezone: z.string().refine((zone) => DateTime.now().setZone(zone).isValid, 'unknown IANA time zone'),
  start: partitionDateSchema,
  /** Days after a day ends before its partition counts as complete (late-arriving data). */
  endOffsetDays: z.number().int().min(-1).max(30).default(0),
});
export type DailyPartitions = z.infer<typeof dailyPartitionsSchema>;
export type PartitionsDefinition = DailyPartitions | null;

export interface TimeWindow {
  start: Date;
  end: Date;
}

export function daily(start: string, timezone = 'Europe/Minsk', endOffsetDays = 0): DailyPartitions {
  return { kind: 'daily', start, timezone, endOffsetDays };
}

function day(key: string, timezone: string): DateTime {
  return DateTime.fromISO(key, { zone: timezone }).startOf('day');
}

/** Day bounds by time zone and key, in epoch ms: every step asks, and Luxon's zone arithmetic was ~8 % of a run. */
const windows = new Map<string, [number, number]>();
const WINDOWS_KEPT = 100_000;

export function partitionWindow(partitions: DailyPartitions, key: string): TimeWindow {
  const id = `${partitions.timezone}\u0000${key}`;
  let bounds = windows.get(id);
  if (!bounds) {
    const start = day(key, partitions.timezone);
    bounds = [start.toMillis(), start.plus({ days: 1 }).toMillis()];
    if (windows.size >= WINDOWS_KEPT) windows.clear();
    windows.set(id, bounds);
  }
  // Fresh dates: a caller may change its own.
  return { start: new Date(bounds[0]), end: new Date(bounds[1]) };
}

/** The last day whose partition is complete at `now` (yesterday in the zone, by default). */
export function latestPartition(partitions: DailyPartitions, now: Date): string | null {
  const today = DateTime.fromJSDate(now).setZone(partitions.timezone).startOf('day');
  const latest = today.minus({ days: 1 + partitions.endOffsetDays }).toISODate();
  if (latest === null || latest < partitions.start) return null;
  return latest;
}

/** Calendar arithmetic on YYYY-MM-DD keys (plain UTC dates: hot in planning, so no time-zone library). */
export function addDays(key: string, days: number): string {
  const [year, month, day] = key.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(year, month - 1, day + days)).toISOString().slice(0, 10);
}

/** Every partition key from `from` to `to` inclusive, clipped to the asset's start and latest day. */
export function partitionKeys(
  partitions: DailyPartitions,
  range: { from?: string; to?: string },
  now: Date,
): string[] {
  const latest = latestPartition(partitions, now);
  if (latest === null) return [];
  const from = range.from && range.from > partitions.start ? range.from : partitions.start;
  const to = range.to && range.to < latest ? range.to : latest;
  const keys: string[] = [];
  for (let key = from; key <= to; key = addDays(key, 1)) keys.push(key);
  return keys;
}

export function isSameDailyDefinition(a: DailyPartitions, b: DailyPartitions): boolean {
  return a.timezone === b.timezone;
}
