import type { ColumnType } from './columnCheck.ts';

/**
 * Which keys a load wrote more than once, noted as the rows pass, so that the work only repeated
 * keys need (moving identical copies to quarantine, choosing an upsert's last row) is done for them
 * alone instead of grouping every loaded row in SQL afterwards. A key is compared as PostgreSQL
 * compares it only for column types whose text is canonical here (integers, text, varchar); for
 * any other key type `tracked` is false and the caller keeps its SQL over all rows.
 */
export class RepeatedKeys {
  readonly tracked: boolean;
  private readonly seen = new Set<string>();
  private readonly repeated = new Set<string>();
  private readonly canonical: Array<(value: unknown) => string | null>;
  /** A single integer key (the usual id) is kept as a number: a string set cost 1 µs a row here. */
  private readonly integers: IntegerSet | null;

  constructor(
    columns: readonly ColumnType[],
    private readonly indexes: readonly number[],
  ) {
    this.canonical = indexes.map((index) => canonicalFor(columns[index]));
    this.tracked = indexes.length > 0 && this.canonical.every((read) => read !== unknownType);
    const first = columns[indexes[0] ?? -1];
    this.integers =
      indexes.length === 1 && first && INTEGER_TYPES.includes(first.base) ? new IntegerSet() : null;
  }

  /** Notes the row's key; true when it came before. */
  add(values: readonly unknown[]): boolean {
    if (!this.tracked) return false;
    if (this.integers) {
      const value = values[this.indexes[0]!];
      if (value === null || value === undefined) return false;
      // The row checker let only integers through: Number reads ' 7', '+7' and '007' as 7, as PostgreSQL does.
      const number = typeof value === 'number' ? value : Number(value);
      if (Number.isSafeInteger(number)) {
        if (this.integers.add(number)) return false;
        this.repeated.add(String(number));
        return true;
      }
    }
    let key = '';
    for (let i = 0; i < this.indexes.length; i++) {
      const part = this.canonical[i]!(values[this.indexes[i]!]);
      // SQL's join on the key never matches a null, so a row with a null key is never a copy.
      if (part === null) return false;
      // NUL cannot be in a PostgreSQL text (the row checker refuses it): it separates the parts.
      key = i === 0 ? part : `${key}\u0000${part}`;
    }
    if (!this.seen.has(key)) {
      this.seen.add(key);
      return false;
    }
    this.repeated.add(key);
    return true;
  }

  /** The keys seen more than once, each as its columns' texts (in key order). */
  keys(): string[][] {
    return [...this.repeated].map((key) => key.split('\u0000'));
  }

  get any(): boolean {
    return this.repeated.size > 0;
  }
}

const unknownType = (): string | null => null;
const INTEGER_TYPES = ['int2', 'int4', 'int8'];
const INTEGER = /^[+-]?\d+$/;
const CANONICAL_INTEGER = /^(0|-?[1-9]\d*)$/;

function canonicalFor(column: ColumnType | undefined): (value: unknown) => string | null {
  if (!column) return unknownType;
  if (INTEGER_TYPES.includes(column.base)) {
    return (value) => {
      if (value === null || value === undefined) return null;
      if (typeof value === 'number' || typeof value === 'bigint') return String(value);
      const text = typeof value === 'string' ? value : String(value);
      if (CANONICAL_INTEGER.test(text)) return text;
      // '007', '+7' and ' 7' are one integer to PostgreSQL.
      const trimmed = text.trim();
      return INTEGER.test(trimmed) ? BigInt(trimmed).toString() : `?${trimmed}`;
    };
  }
  if (['text', 'varchar'].includes(column.base)) {
    return (value) => (value === null || value === undefined ? null : String(value));
  }
  return unknownType;
}

/** Safe integers in open addressing over a Float64Array (NaN marks a free slot), growing at half full. */
class IntegerSet {
  private table = new Float64Array(1 << 16).fill(Number.NaN);
  private size = 0;

  /** True when the number was not there yet. */
  add(number: number): boolean {
    if (this.size * 2 >= this.table.length) this.grow();
    return this.insert(this.table, number);
  }

  private insert(table: Float64Array, number: number): boolean {
    const mask = table.length - 1;
    for (let i = mix(number) & mask; ; i = (i + 1) & mask) {
      const slot = table[i]!;
      if (Number.isNaN(slot)) {
        table[i] = number;
        this.size++;
        return true;
      }
      if (slot === number) return false;
    }
  }

  private grow(): void {
    const old = this.table;
    this.table = new Float64Array(old.length * 2).fill(Number.NaN);
    this.size = 0;
    for (const number of old) if (!Number.isNaN(number)) this.insert(this.table, number);
  }
}

/** Murmur3's finaliser over the low and high 32 bits. */
function mix(number: number): number {
  let hash = (number | 0) ^ Math.imul((number / 4294967296) | 0, 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}
