import { DefinitionError } from '@vitrina/core';
import { z } from 'zod';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/i;
const QUALIFIED = /^[a-z_][a-z0-9_]*\.[a-z_][a-z0-9_]*$/i;
/** PostgreSQL truncates longer names (NAMEDATALEN - 1), which would make a check read another column. */
const MAX_IDENTIFIER = 63;

/**
 * A column name as SQL writes it unquoted: validated, then folded to lower case as PostgreSQL folds
 * it, so `StationId` in a header means the column a model's `select StationId` created.
 */
export const columnName = z
  .string()
  .max(MAX_IDENTIFIER, `expected a column name of at most ${MAX_IDENTIFIER} characters`)
  .regex(IDENTIFIER, 'expected a column name (letters, digits and _, not starting with a digit)')
  .transform((name) => name.toLowerCase());

export const tableName = z
  .string()
  .regex(QUALIFIED, 'expected a schema-qualified table, schema.table')
  .refine((name) => name.split('.').every((part) => part.length <= MAX_IDENTIFIER), {
    message: `expected schema and table names of at most ${MAX_IDENTIFIER} characters each`,
  })
  .transform((name) => name.toLowerCase());

/** Double-quoted, so a column named like a keyword (`order`, `user`) works; the regex rules out quotes. */
export const quoteColumn = (column: string): string => `"${column}"`;

export const quoteTable = (table: string): string =>
  table
    .split('.')
    .map((part) => `"${part}"`)
    .join('.');

function validated(schema: z.ZodType<string>, what: string, value: string): string {
  const parsed = schema.safeParse(value);
  if (!parsed.success)
    throw new DefinitionError(`${what} "${value}": ${parsed.error.issues.map((i) => i.message).join('; ')}`);
  return parsed.data;
}

/** A table or column given in code (a check target, a scope), validated as the schemas do. */
export const checkedTable = (table: string) => validated(tableName, 'check target', table);
export const checkedColumn = (column: string) => validated(columnName, 'column', column);
