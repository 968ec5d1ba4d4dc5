import type { CopyValue } from '@vitrina/io';
import { z } from 'zod';
import {
  dayProblem,
  type IntegerBytes,
  integerProblem,
  isBlank,
  numericProblem,
  offsetProblem,
  preview,
  textProblem,
  timeOfDayProblem,
} from './values.ts';

/**
 * A stage column's PostgreSQL type. The stage DDL (`pgTypeOf`) and the column's validation are both
 * derived from it, so what passes validation fits the column it is copied into.
 */
export type ColumnType =
  | { kind: 'integer'; bytes: IntegerBytes }
  | { kind: 'numeric'; precision: number; scale: number }
  | { kind: 'text' }
  | { kind: 'timestamp' }
  | { kind: 'timestamptz' }
  | { kind: 'date' }
  | { kind: 'boolean' };

export function pgTypeOf(type: ColumnType): string {
  switch (type.kind) {
    case 'integer':
      return type.bytes === 4 ? 'integer' : 'bigint';
    case 'numeric':
      return `numeric(${type.precision},${type.scale})`;
    default:
      return type.kind;
  }
}

/**
 * A source column as stage keeps it: its type and how a value from any of the source drivers
 * (MySQL strings and numbers, COPY text, Oracle numbers and dates, file fields) becomes what COPY
 * writes — or why it cannot, which sends its row to quarantine.
 */
export interface Column {
  type: ColumnType;
  pgType: string;
  parse: (value: unknown) => CopyValue | Rejected;
}

/** A validated stage table as created: its DDL and the columns its rows are validated with. */
export interface StageTableShape {
  key: string;
  ddl: string;
  /** Stage column → type: every column a loaded row's values are validated for. */
  columns: Record<string, Column>;
  /** Columns the loader fills itself (`day`, `file_name`) or PostgreSQL computes: not validated per row. */
  unvalidated?: readonly string[];
}

export interface Rejected {
  rejected: string;
}

interface Options {
  nullable?: boolean;
}

/** What the downstream layers accept of a number (the marts' unsigned ClickHouse columns). */
type Sign = 'positive' | 'nonNegative';
interface NumberOptions extends Options {
  sign?: Sign;
}
/** Ids and counts the marts keep in unsigned ClickHouse columns (sql/clickhouse: UInt32, UInt64). */
export const UNSIGNED = { sign: 'nonNegative' } as const satisfies NumberOptions;

/** An inclusive range of days (`YYYY-MM-DD`) a date or timestamp must fall in. */
export interface DayRange {
  from: string;
  through: string;
  /** Why the range, for the reason. */
  why: string;
}
interface TimeOptions extends Options {
  range?: DayRange;
}

/**
 * Days the ClickHouse marts can hold (sql/clickhouse: `Date`, `DateTime`): 1970-01-01 up to 2105,
 * ClickHouse 18.16's last fully supported year. From the first Monday, 1970-01-05, so the cohort week
 * of a day (bi.dim_user.cohort_week) and a time zone's shift stay inside.
 */
export const MART_DAYS: DayRange = {
  from: '1970-01-05',
  through: '2105-12-31',
  why: 'the days the ClickHouse marts can hold',
};

const isRejected = (value: CopyValue | Rejected): value is Rejected =>
  typeof value === 'object' && value !== null && 'rejected' in value;

/** The parser's verdict: the value for COPY, or why not. */
type Parse = (value: unknown) => CopyValue | Rejected;
const reject = (rejected: string): Rejected => ({ rejected });

function column(type: ColumnType, options: Options, parse: Parse): Column {
  const required = reject('required');
  return {
    type,
    pgType: pgTypeOf(type),
    parse: (value) =>
      value === null || value === undefined ? (options.nullable ? null : required) : parse(value),
  };
}

/**
 * Marks a record its reader could not read (bytes invalid in the declared encoding, say): the row
 * is quarantined with this reason whatever its fields hold. A symbol, so no column can collide
 * with it and the raw row stored in quarantine does not carry it.
 */
export const UNREADABLE = Symbol('unreadable');
export interface Unreadable {
  reason: string;
  /** The field or fields that hold what could not be read, when known. */
  column?: string;
}

/** A check over several columns of a parsed row (read by name); the reason, or null when it holds. */
export interface RowRule {
  /** The column the reason is reported under. */
  column: string;
  check: (value: (name: string) => CopyValue) => string | null;
}

/**
 * The zod schema of a row: an object with these columns in, their values in column order out.
 * One transform checks the whole row in a single pass, since validation runs for every source row;
 * every column that does not fit is named in the issues with its value, then the row rules run.
 */
export function rowSchema<Row extends object = Record<string, unknown>>(
  columns: Record<string, Column>,
  rules: readonly RowRule[] = [],
): z.ZodType<CopyValue[], Row> {
  const names = Object.keys(columns);
  const parsers = names.map((name) => columns[name]!.parse);
  const index = new Map(names.map((name, i) => [name, i]));
  return z
    .custom<Row>((value) => typeof value === 'object' && value !== null, 'expected a row')
    .transform((given, context) => {
      const row = given as Record<string | symbol, unknown>;
      const unreadable = row[UNREADABLE] as Unreadable | undefined;
      if (unreadable) {
        context.addIssue({
          code: 'custom',
          path: unreadable.column ? [unreadable.column] : [],
          message: unreadable.reason,
        });
        return z.NEVER;
      }
      const values: CopyValue[] = new Array(names.length);
      let valid = true;
      for (let i = 0; i < names.length; i++) {
        const value = row[names[i]!];
        const parsed = parsers[i]!(value);
        if (isRejected(parsed)) {
          const message =
            value === null || value === undefined
              ? parsed.rejected
              : `${parsed.rejected} (got ${preview(value)})`;
          context.addIssue({ code: 'custom', path: [names[i]!], message });
          valid = false;
        } else values[i] = parsed;
      }
      if (!valid) return z.NEVER;
      for (const rule of rules) {
        const problem = rule.check((name) => values[index.get(name)!]);
        if (problem === null) continue;
        context.addIssue({ code: 'custom', path: [rule.column], message: problem });
        valid = false;
      }
      return valid ? values : z.NEVER;
    });
}

const integerText = /^-?\d+$/;
const decimalText = /^-?\d+(\.\d+)?$/;
const timestampText = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/;
const dateText = /^\d{4}-\d{2}-\d{2}$/;
const offsetTimestampText = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/;

const signProblem = (text: string, sign: Sign | undefined): string | null => {
  if (sign === undefined) return null;
  const negative = text.startsWith('-') && /[1-9]/.test(text);
  const zero = !/[1-9]/.test(text);
  if (negative) return sign === 'positive' ? 'must be positive' : 'must not be negative';
  return sign === 'positive' && zero ? 'must be positive' : null;
};

/** A whole number as text from a driver's string, number or bigint; null when it is not one. */
function wholeNumberText(value: unknown): string | null {
  if (typeof value === 'string') return integerText.test(value) ? value : null;
  if (typeof value === 'bigint') return String(value);
  // Beyond 2^53 a JS number has already lost digits: refused rather than stored wrong.
  return typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : null;
}

function integer(bytes: IntegerBytes, options: NumberOptions): Column {
  return column({ kind: 'integer', bytes }, options, (value) => {
    const text = wholeNumberText(value);
    if (text === null) return reject('expected a whole number');
    const problem = integerProblem(text, bytes) ?? signProblem(text, options.sign);
    if (problem) return reject(problem);
    // int4 travels as a JS number; int8 stays text, so ids beyond 2^53 survive.
    return bytes === 4 ? Number(text) : text;
  });
}

export const int = (options: NumberOptions = {}) => integer(4, options);
export const bigint = (options: NumberOptions = {}) => integer(8, options);

function numeric(
  precision: number,
  scale: number,
  options: NumberOptions,
  expected: string,
  toText: (value: unknown) => string | null,
): Column {
  return column({ kind: 'numeric', precision, scale }, options, (value) => {
    const text = toText(value);
    if (text === null) return reject(expected);
    const problem = numericProblem(text, precision, scale) ?? signProblem(text, options.sign);
    return problem ? reject(problem) : text;
  });
}

export const decimal = (precision: number, scale: number, options: NumberOptions = {}) =>
  numeric(precision, scale, options, 'expected a decimal number', (value) =>
    typeof value === 'string'
      ? decimalText.test(value)
        ? value
        : null
      : typeof value === 'number' && Number.isFinite(value) && decimalText.test(String(value))
        ? String(value)
        : null,
  );

/** Amounts as partners write them: `45120,55`. */
export const decimalComma = (precision: number, scale: number, options: NumberOptions = {}) =>
  numeric(precision, scale, options, 'expected an amount such as 45120,55', (value) =>
    typeof value === 'string' && /^-?\d+(,\d+)?$/.test(value) ? value.replace(',', '.') : null,
  );

/**
 * Text PostgreSQL can store (no NUL, no unpaired surrogate) and not already damaged by a wrong
 * decoding (U+FFFD). A required one must keep a character through `dimension.clean_text`;
 * `maxLength` is a length a downstream column declares (char(1)), in characters.
 */
export const text = (
  options: Options & { pattern?: RegExp; values?: readonly string[]; maxLength?: number } = {},
) => {
  const allowed = options.values ? new Set(options.values) : null;
  const expected = allowed
    ? `expected one of ${[...allowed].join(', ')}`
    : options.pattern
      ? `expected text matching ${options.pattern}`
      : null;
  const { maxLength } = options;
  return column({ kind: 'text' }, options, (value) => {
    if (typeof value !== 'string') return reject('expected text');
    const problem = textProblem(value);
    if (problem) return reject(problem);
    if (
      (allowed !== null && !allowed.has(value)) ||
      (options.pattern !== undefined && !options.pattern.test(value))
    )
      return reject(expected!);
    // An allowed value or a pattern's match is not blank.
    if (!options.nullable && expected === null && isBlank(value))
      return reject('blank: no letter, digit or punctuation');
    if (maxLength !== undefined && value.length > maxLength && [...value].length > maxLength)
      return reject(`longer than ${maxLength} character${maxLength === 1 ? '' : 's'}`);
    return value;
  });
};

const rangeProblem = (day: string, range: DayRange | undefined): string | null =>
  range && (day < range.from || day > range.through)
    ? `outside ${range.from} to ${range.through}, ${range.why}`
    : null;

/** Oracle hands dates over as Date objects holding the wall clock in UTC; null for an invalid one. */
function wallClock(date: Date): string | null {
  const time = date.getTime();
  if (Number.isNaN(time)) return null;
  const year = date.getUTCFullYear();
  return year < 1 || year > 9999 ? null : date.toISOString().slice(0, 19).replace('T', ' ');
}

/** A day and time of day as `YYYY-MM-DD HH:MM:SS[.f]`: a real one, in the range if there is one. */
function dateTimeProblem(text: string, range: DayRange | undefined): string | null {
  return (
    dayProblem(text) ?? timeOfDayProblem(text, 11) ?? (range ? rangeProblem(text.slice(0, 10), range) : null)
  );
}

export const timestamp = (options: TimeOptions = {}) =>
  column({ kind: 'timestamp' }, options, (value) => {
    const text =
      value instanceof Date
        ? wallClock(value)
        : typeof value === 'string' && timestampText.test(value)
          ? value.charCodeAt(10) === 84 // 'T'
            ? `${value.slice(0, 10)} ${value.slice(11)}`
            : value
          : null;
    if (text === null) return reject('expected a timestamp as YYYY-MM-DD HH:MM:SS');
    const problem = dateTimeProblem(text, options.range);
    return problem ? reject(problem) : text;
  });

export const date = (options: TimeOptions = {}) =>
  column({ kind: 'date' }, options, (value) => {
    const text =
      value instanceof Date
        ? (wallClock(value)?.slice(0, 10) ?? null)
        : typeof value === 'string' && dateText.test(value)
          ? value
          : null;
    if (text === null) return reject('expected a date as YYYY-MM-DD');
    const problem = dayProblem(text) ?? rangeProblem(text, options.range);
    return problem ? reject(problem) : text;
  });

export const bool = (options: Options = {}) =>
  column({ kind: 'boolean' }, options, (value) =>
    typeof value === 'boolean'
      ? value
      : value === 't' || value === 'true'
        ? true
        : value === 'f' || value === 'false'
          ? false
          : reject('expected true or false'),
  );

/** A moment with its offset, as logs write it: `2026-11-03T18:22:05.123+03:00`. */
export const timestampWithOffset = (options: TimeOptions = {}) =>
  column({ kind: 'timestamptz' }, options, (value) => {
    if (typeof value !== 'string' || !offsetTimestampText.test(value))
      return reject('expected an ISO time with offset');
    const offset = value.endsWith('Z') ? 'Z' : value.slice(-6);
    const problem = dateTimeProblem(value, options.range) ?? offsetProblem(offset);
    return problem ? reject(problem) : value;
  });
