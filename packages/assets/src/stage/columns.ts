import type { CopyValue } from '@vitrina/io';
import { z } from 'zod';

/**
 * A source column as stage keeps it: its PostgreSQL type and how a value from any of the source
 * drivers (MySQL strings and numbers, COPY text, Oracle numbers and dates) becomes what COPY
 * writes — or why it cannot, which sends its row to quarantine.
 */
export interface Column {
  pgType: string;
  parse: (value: unknown) => CopyValue | Rejected;
}

export interface Rejected {
  rejected: string;
}

interface Options {
  nullable?: boolean;
}

const isRejected = (value: CopyValue | Rejected): value is Rejected =>
  typeof value === 'object' && value !== null && 'rejected' in value;

/** A value the parser cannot accept: the row goes to quarantine with `expected`. */
const REJECT = Symbol('reject');
type Parse = (value: unknown) => CopyValue | Rejected | typeof REJECT;

function column(pgType: string, expected: string, parse: Parse, options: Options): Column {
  const required: Rejected = { rejected: 'required' };
  const rejected: Rejected = { rejected: expected };
  return {
    pgType,
    parse: (value) => {
      if (value === null || value === undefined) return options.nullable ? null : required;
      const parsed = parse(value);
      return parsed === REJECT ? rejected : parsed;
    },
  };
}

/**
 * The zod schema of a row: an object with these columns in, their values in column order out.
 * One transform checks the whole row in a single pass, since validation runs for every source row;
 * every column that does not fit is named in the issues.
 */
export function rowSchema(columns: Record<string, Column>): z.ZodType<CopyValue[]> {
  const names = Object.keys(columns);
  const parsers = names.map((name) => columns[name]!.parse);
  return z
    .custom<Record<string, unknown>>((value) => typeof value === 'object' && value !== null, 'expected a row')
    .transform((row, context) => {
      const values: CopyValue[] = new Array(names.length);
      let valid = true;
      for (let i = 0; i < names.length; i++) {
        const parsed = parsers[i]!(row[names[i]!]);
        if (isRejected(parsed)) {
          context.addIssue({ code: 'custom', path: [names[i]!], message: parsed.rejected });
          valid = false;
        } else values[i] = parsed;
      }
      return valid ? values : z.NEVER;
    });
}

const integerText = /^-?\d+$/;
const decimalText = /^-?\d+(\.\d+)?$/;
const timestampText = /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/;
const dateText = /^\d{4}-\d{2}-\d{2}$/;

/** Oracle hands dates over as Date objects holding the wall clock in UTC. */
const wallClock = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

export const int = (options: Options = {}) =>
  column(
    'integer',
    'expected a whole number',
    (value) =>
      typeof value === 'number'
        ? Number.isInteger(value)
          ? value
          : REJECT
        : typeof value === 'string' && integerText.test(value)
          ? Number(value)
          : REJECT,
    options,
  );

/** Kept as text on the way: ids beyond 2^53 survive. */
export const bigint = (options: Options = {}) =>
  column(
    'bigint',
    'expected a whole number',
    (value) =>
      typeof value === 'string'
        ? integerText.test(value)
          ? value
          : REJECT
        : typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value))
          ? String(value)
          : REJECT,
    options,
  );

const positive: Rejected = { rejected: 'must be positive' };

export const decimal = (precision: number, scale: number, options: Options & { positive?: boolean } = {}) =>
  column(
    `numeric(${precision},${scale})`,
    'expected a decimal number',
    (value) => {
      const text =
        typeof value === 'string' && decimalText.test(value)
          ? value
          : typeof value === 'number' && Number.isFinite(value)
            ? String(value)
            : null;
      if (text === null) return REJECT;
      return options.positive && !(Number(text) > 0) ? positive : text;
    },
    options,
  );

export const text = (options: Options & { pattern?: RegExp; values?: readonly string[] } = {}) => {
  const allowed = options.values ? new Set(options.values) : null;
  const expected = allowed
    ? `expected one of ${[...allowed].join(', ')}`
    : options.pattern
      ? `expected text matching ${options.pattern}`
      : 'expected text';
  return column(
    'text',
    expected,
    (value) =>
      typeof value !== 'string' ||
      (allowed !== null && !allowed.has(value)) ||
      (options.pattern !== undefined && !options.pattern.test(value))
        ? REJECT
        : value,
    options,
  );
};

export const timestamp = (options: Options = {}) =>
  column(
    'timestamp',
    'expected a timestamp as YYYY-MM-DD HH:MM:SS',
    (value) =>
      value instanceof Date
        ? wallClock(value)
        : typeof value === 'string' && timestampText.test(value)
          ? value.replace('T', ' ')
          : REJECT,
    options,
  );

export const date = (options: Options = {}) =>
  column(
    'date',
    'expected a date as YYYY-MM-DD',
    (value) =>
      value instanceof Date
        ? wallClock(value).slice(0, 10)
        : typeof value === 'string' && dateText.test(value)
          ? value
          : REJECT,
    options,
  );

export const bool = (options: Options = {}) =>
  column(
    'boolean',
    'expected true or false',
    (value) =>
      typeof value === 'boolean'
        ? value
        : value === 't' || value === 'true'
          ? true
          : value === 'f' || value === 'false'
            ? false
            : REJECT,
    options,
  );

/** Amounts as partners write them: `45120,55`. */
export const decimalComma = (precision: number, scale: number, options: Options = {}) =>
  column(
    `numeric(${precision},${scale})`,
    'expected an amount such as 45120,55',
    (value) => (typeof value === 'string' && /^-?\d+(,\d+)?$/.test(value) ? value.replace(',', '.') : REJECT),
    options,
  );

/** A moment with its offset, as logs write it: `2026-11-03T18:22:05.123+03:00`. */
export const timestampWithOffset = (options: Options = {}) =>
  column(
    'timestamptz',
    'expected an ISO time with offset',
    (value) =>
      typeof value === 'string' &&
      /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?([+-]\d{2}:\d{2}|Z)$/.test(value)
        ? value
        : REJECT,
    options,
  );
