import { addDays } from '@vitrina/core';
import type pg from 'pg';
import { type DayRange, type PartitionVersion, partitionVersions, tableVersion } from './versions.ts';

const DAY = /^\d{4}-\d{2}-\d{2}$/;
/** Hashes are summed modulo 2^52, exact in a double, so the sum does not depend on the rows' order. */
const MODULUS = 2 ** 52;

interface Day {
  rows: number;
  sum: number;
}

/** FNV-1a over the line's UTF-16 code units: about 0.1 µs a row, far cheaper than hashing in SQL later. */
function lineHash(line: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < line.length; i++) hash = Math.imul(hash ^ line.charCodeAt(i), 0x01000193);
  return hash >>> 0;
}

/**
 * The content version of each partition a load replaces, computed from the COPY lines as they pass
 * (a row count and an order-independent sum of line hashes), so no query hashes the rows again
 * after the load. It knows only what the stream wrote: a load that also changes rows in the
 * database (an upsert, duplicates moved to quarantine) has those partitions versioned in SQL
 * instead. A row whose partition value is not a day of the range makes the whole result unknown
 * (`versions()` returns null), for the same reason.
 */
export class StreamVersions {
  private readonly days = new Map<string, Day>();
  private lastValue: unknown;
  private last: Day | undefined;
  private unknown = false;

  /** `dayIndex`: the partition column's position in the row's values; without a range, the whole table. */
  constructor(
    private readonly range: DayRange | null,
    private readonly dayIndex: number,
  ) {}

  add(values: readonly unknown[], line: string): void {
    if (this.unknown) return;
    const day = this.range ? this.dayOf(values[this.dayIndex]) : this.dayOf('');
    if (!day) return;
    day.rows++;
    day.sum = (day.sum + lineHash(line)) % MODULUS;
  }

  private dayOf(value: unknown): Day | undefined {
    if (value === this.lastValue && this.last) return this.last;
    const key = typeof value === 'string' ? value : null;
    if (key === null || (this.range && (!DAY.test(key) || key < this.range.from || key > this.range.to))) {
      this.unknown = true;
      return undefined;
    }
    let day = this.days.get(key);
    if (!day) {
      day = { rows: 0, sum: 0 };
      this.days.set(key, day);
    }
    this.lastValue = value;
    this.last = day;
    return day;
  }

  /** Every day of the range in order (or the '' partition), or null when a row fell outside it. */
  versions(): PartitionVersion[] | null {
    if (this.unknown) return null;
    const partitions: string[] = [];
    if (!this.range) partitions.push('');
    else for (let day = this.range.from; day <= this.range.to; day = addDays(day, 1)) partitions.push(day);
    return partitions.map((partition) => {
      const day = this.days.get(partition) ?? { rows: 0, sum: 0 };
      return { partition, rows: day.rows, dataVersion: `${day.rows}:fnv${day.sum.toString(16)}` };
    });
  }
}

/**
 * The versions of what the load replaced: from the stream, except the partitions the database
 * changed after it (duplicates moved out) and loads the stream cannot describe (an upsert, a row
 * outside the range), which are hashed in SQL.
 */
export async function versionsAfterLoad(
  client: pg.ClientBase,
  table: string,
  range: DayRange | null,
  stream: StreamVersions | null,
  rewritten: ReadonlySet<string>,
): Promise<PartitionVersion[]> {
  const streamed = stream?.versions();
  if (!streamed) return range ? partitionVersions(client, table, range) : [await tableVersion(client, table)];
  const versions: PartitionVersion[] = [];
  for (const version of streamed) {
    if (!rewritten.has(version.partition)) versions.push(version);
    else if (!range) versions.push(await tableVersion(client, table));
    else {
      const day = { ...range, from: version.partition, to: version.partition };
      versions.push(...(await partitionVersions(client, table, day)));
    }
  }
  return versions;
}
