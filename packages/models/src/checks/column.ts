import { z } from 'zod';
import {
  type AcceptedValue,
  acceptedValues,
  type CheckOptions,
  type CheckSpec,
  maxAgeHours,
  oneKindOf,
  options,
  parseWithin,
  relationshipTarget,
} from './spec.ts';

/**
 * A check in a column's `checks:` list, the column implied:
 * `[unique, not_null, {accepted_values: [a, b], severity: warn}, {relationships: {to: x.y, field: id}}]`.
 */
export type ColumnCheck =
  | 'unique'
  | 'not_null'
  | (CheckOptions &
      (
        | { unique: true }
        | { not_null: true }
        | { accepted_values: AcceptedValue[] }
        | { relationships: { to: string; field: string } }
        | { freshness: { max_age_hours: number } }
      ));

const flag = z.literal(true, 'expected true (or the bare word, without options)');

const columnCheckObject = oneKindOf<Exclude<ColumnCheck, string>>(
  {
    unique: z.strictObject({ unique: flag, ...options }),
    not_null: z.strictObject({ not_null: flag, ...options }),
    accepted_values: z.strictObject({ accepted_values: acceptedValues, ...options }),
    relationships: z.strictObject({ relationships: z.strictObject(relationshipTarget), ...options }),
    freshness: z.strictObject({ freshness: z.strictObject({ max_age_hours: maxAgeHours }), ...options }),
  },
  'a column check',
);

const bareCheck = z.enum(['unique', 'not_null'], 'expected unique or not_null');

export const columnCheckSchema: z.ZodType<ColumnCheck> = z
  .unknown()
  .transform((input, ctx) =>
    typeof input === 'string'
      ? parseWithin(bareCheck, input, ctx)
      : parseWithin(columnCheckObject, input, ctx),
  );

/** A column's checks as checks of the model. */
export function columnChecks(column: string, checks: ColumnCheck[]): CheckSpec[] {
  return checks.map((check): CheckSpec => {
    if (check === 'unique') return { unique: [column] };
    if (check === 'not_null') return { not_null: column };
    const { severity, name } = check;
    const given: CheckOptions = {
      ...(severity === undefined ? {} : { severity }),
      ...(name === undefined ? {} : { name }),
    };
    if ('unique' in check) return { unique: [column], ...given };
    if ('not_null' in check) return { not_null: column, ...given };
    if ('accepted_values' in check)
      return { accepted_values: { column, values: check.accepted_values }, ...given };
    if ('relationships' in check) return { relationships: { column, ...check.relationships }, ...given };
    return { freshness: { column, max_age_hours: check.freshness.max_age_hours }, ...given };
  });
}
