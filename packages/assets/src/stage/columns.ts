import type { CopyValue } from '@vitrina/core';
import { z } from 'zod';

/**
 * A source column as stage keeps it: its PostgreSQL type and the zod schema that accepts the
 * value from any of the source drivers (MySQL strings and numbers, COPY text, Oracle numbers and
 * dates) and yields what COPY writes. A value that does not fit sends its row to quarantine.
 */
export interface Column {
  pgType: string;
  schema: z.ZodType<CopyValue>;
}

const integerText = z.string().regex(/^-?\d+$/, 'expected a whole number');
const decimalText = z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a decimal number');

/** Wall-clock time as the source keeps it (no zone): `YYYY-MM-DD HH:MM:SS[.ffffff]`. */
const timestampText = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2}(\.\d+)?$/, 'expected a timestamp')
  .transform((value) => value.replace('T', ' '));
const dateText = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a date as YYYY-MM-DD');

/** Oracle hands dates over as Date objects holding the wall clock in UTC. */
const wallClock = (date: Date) => date.toISOString().slice(0, 19).replace('T', ' ');

interface Options {
  nullable?: boolean;
}

function column(pgType: string, schema: z.ZodType<CopyValue>, options: Options): Column {
  return { pgType, schema: options.nullable ? schema.nullable() : schema };
}

export const int = (options: Options = {}) =>
  column(
    'integer',
    z.union([z.number().int(), integerText.transform(Number)], { error: 'expected a whole number' }),
    options,
  );

/** Kept as text on the way: ids beyond 2^53 survive. */
export const bigint = (options: Options = {}) =>
  column(
    'bigint',
    z.union([integerText, z.number().int().transform(String), z.bigint().transform(String)], {
      error: 'expected a whole number',
    }),
    options,
  );

export const decimal = (precision: number, scale: number, options: Options & { positive?: boolean } = {}) => {
  const value = z.union([decimalText, z.number().transform(String)], { error: 'expected a decimal number' });
  return column(
    `numeric(${precision},${scale})`,
    options.positive ? value.refine((text) => Number(text) > 0, 'must be positive') : value,
    options,
  );
};

export const text = (options: Options & { pattern?: RegExp; values?: readonly string[] } = {}) => {
  let value: z.ZodType<string> = z.string();
  if (options.pattern) value = z.string().regex(options.pattern);
  if (options.values) {
    const allowed = new Set(options.values);
    value = z.string().refine((v) => allowed.has(v), `expected one of ${options.values.join(', ')}`);
  }
  return column('text', value, options);
};

export const timestamp = (options: Options = {}) =>
  column(
    'timestamp',
    z.union([timestampText, z.date().transform(wallClock)], {
      error: 'expected a timestamp as YYYY-MM-DD HH:MM:SS',
    }),
    options,
  );

export const date = (options: Options = {}) =>
  column(
    'date',
    z.union([dateText, z.date().transform((d) => wallClock(d).slice(0, 10))], {
      error: 'expected a date as YYYY-MM-DD',
    }),
    options,
  );

export const bool = (options: Options = {}) =>
  column(
    'boolean',
    z.union([z.boolean(), z.enum(['t', 'f', 'true', 'false']).transform((v) => v.startsWith('t'))], {
      error: 'expected true or false',
    }),
    options,
  );
