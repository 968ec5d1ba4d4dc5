import type { SeedConfig } from './config.ts';
import { openSeed, SeedError, type SeedFile } from './rows.ts';

export interface SeedColumn {
  name: string;
  /** The declared type as written, or the inferred one. */
  type: string;
  source: 'declared' | 'inferred';
  description: string | null;
}

export type InferredType = 'boolean' | 'bigint' | 'numeric' | 'date' | 'timestamp' | 'timestamptz' | 'text';

/** What one non-empty value reads as. */
type ValueKind = 'boolean' | 'integer' | 'decimal' | 'date' | 'timestamp' | 'timestamptz' | 'text';

/**
 * The narrowest type that holds every kind of value met, first match wins. A date fits a timestamp
 * column (midnight); one with a zone does not fit a timestamp column, where PostgreSQL would drop the
 * offset without a word, nor a date in a timestamptz one (the session's zone would decide its instant).
 */
const widening: ReadonlyArray<readonly [InferredType, ReadonlySet<ValueKind>]> = [
  ['boolean', new Set(['boolean'])],
  ['bigint', new Set(['integer'])],
  ['numeric', new Set(['integer', 'decimal'])],
  ['date', new Set(['date'])],
  ['timestamp', new Set(['date', 'timestamp'])],
  ['timestamptz', new Set(['timestamptz'])],
];

/** The type a column's values call for; a column of empty values only is text. */
export function inferType(kinds: ReadonlySet<ValueKind>): InferredType {
  if (kinds.size === 0 || kinds.has('text')) return 'text';
  for (const [type, allowed] of widening) if ([...kinds].every((kind) => allowed.has(kind))) return type;
  return 'text';
}

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;
// A leading zero ("007", "01.5") marks a code, not a number: as one it would lose its zeros.
const integerText = /^[+-]?(0|[1-9]\d*)$/;
const decimalText = /^[+-]?(0|[1-9]\d*)\.\d+$/;
const dateText = /^(\d{4})-(\d{2})-(\d{2})$/;
const timestampText =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

export function kindOf(value: string): ValueKind {
  if (value === 'true' || value === 'false' || value === 'TRUE' || value === 'FALSE') return 'boolean';
  if (integerText.test(value)) {
    const number = BigInt(value);
    return number >= INT64_MIN && number <= INT64_MAX ? 'integer' : 'decimal';
  }
  if (decimalText.test(value)) return 'decimal';
  const date = dateText.exec(value);
  if (date) return validDate(date) ? 'date' : 'text';
  const stamp = timestampText.exec(value);
  if (stamp && validDate(stamp) && validTime(stamp)) return stamp[7] ? 'timestamptz' : 'timestamp';
  return 'text';
}

function validDate(match: RegExpExecArray): boolean {
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year === 0 || month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return day <= days;
}

function validTime(match: RegExpExecArray): boolean {
  const zone = match[7];
  const zoneHours = zone && zone !== 'Z' ? Math.abs(Number(zone.slice(1, 3))) : 0;
  return Number(match[4]) <= 23 && Number(match[5]) <= 59 && Number(match[6] ?? 0) <= 59 && zoneHours <= 15;
}

/**
 * The seed's columns in file order, each with its type and where that came from: declared in the
 * sidecar, or inferred from every value of the column. Reading it checks the whole file, so an
 * empty seed, a short row or a bad byte fails here, naming the line.
 */
export async function seedColumns(csvPath: string, config: SeedConfig): Promise<SeedColumn[]> {
  return columnsOfSeed(await openSeed(csvPath, config), config);
}

export async function columnsOfSeed(seed: SeedFile, config: SeedConfig): Promise<SeedColumn[]> {
  const declared = config.columns ?? {};
  const unknown = Object.keys(declared).filter((name) => !seed.header.includes(name));
  if (unknown.length > 0)
    throw new SeedError(
      `${seed.shown}: its sidecar describes ${unknown.map((name) => `column ${name}`).join(', ')}, ` +
        `which the header (${seed.header.join(', ')}) does not have`,
    );
  const kinds = seed.header.map(() => new Set<ValueKind>());
  const open = seed.header.map((name) => declared[name]?.type === undefined);
  for await (const { values } of seed.rows()) {
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === null || value === undefined || !open[i]) continue;
      const kind = kindOf(value);
      kinds[i]!.add(kind);
      if (kind === 'text') open[i] = false; // nothing narrower can follow
    }
  }
  return seed.header.map((name, i) => {
    const column = declared[name];
    return {
      name,
      type: column?.type ?? inferType(kinds[i]!),
      source: column?.type === undefined ? 'inferred' : 'declared',
      description: column?.description ?? null,
    };
  });
}
