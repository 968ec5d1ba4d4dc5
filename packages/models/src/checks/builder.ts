import type { CheckDefinition, CheckSeverity } from '@vitrina/core';
import type pg from 'pg';
import { type CheckTarget, genericCheck } from './run.ts';
import type { AcceptedValue, CheckOptions, CheckSpec } from './spec.ts';

/** The generic checks of one table, for assets written in TypeScript. */
export interface SqlChecks<R> {
  unique(columns: string | string[], options?: CheckOptions): CheckDefinition<R>;
  notNull(column: string, options?: CheckOptions): CheckDefinition<R>;
  acceptedValues(column: string, values: AcceptedValue[], options?: CheckOptions): CheckDefinition<R>;
  /** Every non-null `column` exists in `to`.`field` (`to` is schema.table). */
  relationships(column: string, to: string, field: string, options?: CheckOptions): CheckDefinition<R>;
  rowCount(bounds: { min?: number; max?: number }, options?: CheckOptions): CheckDefinition<R>;
  freshness(column: string, maxAgeHours: number, options?: CheckOptions): CheckDefinition<R>;
  /** `query` returns the failing rows; see `SqlSpec` for `{{ this }}` and `{{ scope }}`. */
  sql(
    name: string,
    query: string,
    options?: { severity?: CheckSeverity; description?: string },
  ): CheckDefinition<R>;
}

/**
 * `sqlChecks(({ db }) => db, 'clean.trips', partitionScope('day')).unique('trip_id')`: checks of
 * `table` in the pool `db` returns, each step checking the rows `scope` selects (default: all).
 */
export function sqlChecks<R>(
  db: (resources: R) => pg.Pool,
  table: string,
  scope: CheckTarget<R>['scope'] = () => null,
): SqlChecks<R> {
  const target: CheckTarget<R> = { table, db, scope };
  const check = (spec: CheckSpec) => genericCheck(spec, target);
  return {
    unique: (columns, options) => check({ unique: [columns].flat(), ...options }),
    notNull: (column, options) => check({ not_null: column, ...options }),
    acceptedValues: (column, values, options) => check({ accepted_values: { column, values }, ...options }),
    relationships: (column, to, field, options) =>
      check({ relationships: { column, to, field }, ...options }),
    rowCount: (bounds, options) => check({ row_count: bounds, ...options }),
    freshness: (column, maxAgeHours, options) =>
      check({ freshness: { column, max_age_hours: maxAgeHours }, ...options }),
    sql: (name, query, options) => check({ sql: query, name, ...options }),
  };
}
