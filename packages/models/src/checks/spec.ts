import { type CheckSeverity, checkSeverities } from '@vitrina/core';
import { z } from 'zod';
import { columnName, tableName } from '../identifiers.ts';

/** What every check may add: `severity` defaults to `error`, `name` to one derived from the check. */
export interface CheckOptions {
  severity?: CheckSeverity;
  name?: string;
}

export type AcceptedValue = string | number | boolean;

export type UniqueSpec = CheckOptions & { unique: string[] };
export type NotNullSpec = CheckOptions & { not_null: string };
export type AcceptedValuesSpec = CheckOptions & {
  accepted_values: { column: string; values: AcceptedValue[] };
};
export type RelationshipsSpec = CheckOptions & {
  relationships: { column: string; to: string; field: string };
};
export type RowCountSpec = CheckOptions & { row_count: { min?: number; max?: number } };
export type FreshnessSpec = CheckOptions & { freshness: { column: string; max_age_hours: number } };
export type SqlSpec = { sql: string; name: string; severity?: CheckSeverity; description?: string };

/** One check as declared in a model's YAML header or in TypeScript. */
export type CheckSpec =
  | UniqueSpec
  | NotNullSpec
  | AcceptedValuesSpec
  | RelationshipsSpec
  | RowCountSpec
  | FreshnessSpec
  | SqlSpec;

export const checkKinds = [
  'unique',
  'not_null',
  'accepted_values',
  'relationships',
  'row_count',
  'freshness',
  'sql',
] as const;
export type CheckKind = (typeof checkKinds)[number];

/** The rule `defineAsset` applies to check names. */
export const checkName = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case check name');

export const options = {
  severity: z.enum(checkSeverities).optional(),
  name: checkName.optional(),
};

export const acceptedValues = z
  .array(z.union([z.string(), z.number(), z.boolean()]))
  .min(1, 'expected at least one accepted value');

export const relationshipTarget = { to: tableName, field: columnName };

export const maxAgeHours = z.number().positive('expected max_age_hours above 0');

const count = z.number().int('expected a whole number of rows').min(0, 'expected a number of rows ≥ 0');

const uniqueSpec: z.ZodType<UniqueSpec> = z.strictObject({
  unique: z
    .preprocess(
      (columns) => (typeof columns === 'string' ? [columns] : columns),
      z.array(columnName).min(1, 'expected a column'),
    )
    .refine((columns) => new Set(columns).size === columns.length, 'expected each column once'),
  ...options,
});

const rowCountSpec: z.ZodType<RowCountSpec> = z.strictObject({
  row_count: z
    .strictObject({ min: count.optional(), max: count.optional() })
    .refine((bounds) => bounds.min !== undefined || bounds.max !== undefined, 'expected min, max or both')
    .refine((bounds) => (bounds.min ?? 0) <= (bounds.max ?? Number.POSITIVE_INFINITY), 'expected min ≤ max'),
  ...options,
});

const specs: Record<CheckKind, z.ZodType<CheckSpec>> = {
  unique: uniqueSpec,
  not_null: z.strictObject({ not_null: columnName, ...options }),
  accepted_values: z.strictObject({
    accepted_values: z.strictObject({ column: columnName, values: acceptedValues }),
    ...options,
  }),
  relationships: z.strictObject({
    relationships: z.strictObject({ column: columnName, ...relationshipTarget }),
    ...options,
  }),
  row_count: rowCountSpec,
  freshness: z.strictObject({
    freshness: z.strictObject({ column: columnName, max_age_hours: maxAgeHours }),
    ...options,
  }),
  sql: z.strictObject({
    sql: z.string().trim().min(1, 'expected a SELECT that returns the failing rows'),
    name: checkName,
    severity: options.severity,
    description: z.string().trim().min(1).optional(),
  }),
};

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** Parses `input` with `schema` inside another schema's transform, passing its issues on. */
export function parseWithin<T>(
  schema: z.ZodType<T>,
  input: unknown,
  ctx: z.RefinementCtx,
): T | typeof z.NEVER {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    ctx.addIssue({ code: 'custom', input, path: issue.path, message: issue.message });
  return z.NEVER;
}

/**
 * An object that is one of several kinds, told apart by which key it has. A plain union of strict
 * objects would report only "Invalid input"; choosing the kind first reports what is wrong with it.
 */
export function oneKindOf<T>(schemas: Record<string, z.ZodType<T>>, what: string): z.ZodType<T> {
  const kinds = Object.keys(schemas);
  const expected = `expected ${what} with one of: ${kinds.join(', ')}`;
  return z.unknown().transform((input, ctx) => {
    const present = isRecord(input) ? kinds.filter((kind) => Object.hasOwn(input, kind)) : [];
    const [kind, ...others] = present;
    if (kind === undefined || others.length > 0) {
      const message =
        kind === undefined ? expected : `expected ${what} of one kind, found ${present.join(' and ')}`;
      ctx.addIssue({ code: 'custom', input, message });
      return z.NEVER;
    }
    return parseWithin(schemas[kind]!, input, ctx);
  });
}

/** Strict and YAML-friendly: `unique` may be one column or several. */
export const checkSpecSchema: z.ZodType<CheckSpec> = oneKindOf(specs, 'a check');
