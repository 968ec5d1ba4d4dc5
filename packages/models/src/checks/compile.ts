import type { CheckResult, JsonValue } from '@vitrina/core';
import { quoteColumn, quoteTable } from '../identifiers.ts';
import type { AcceptedValue, CheckSpec, FreshnessSpec, RowCountSpec, SqlSpec } from './spec.ts';

/** How many failing rows a result carries as its sample. */
export const SAMPLE_SIZE = 5;

/** One round trip: the SQL, its bind parameters, and how its rows become the check's result. */
export interface CheckQuery {
  sql: string;
  values: string[];
  evaluate: (rows: Array<Record<string, unknown>>) => CheckResult;
}

/** A check made concrete for one table; `query` restricts it to a step's rows (a SQL condition or null). */
export interface CompiledCheck {
  name: string;
  description: string;
  query: (scope: string | null) => CheckQuery;
}

const plural = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
/** The table, and the step's rows when only some are checked: what a message says it looked at. */
const checked = (table: string, scope: string | null) => (scope ? `${table} (${scope})` : table);
const where = (scope: string | null) => (scope ? `(${scope})` : 'true');
const columnList = (columns: string[]) => (columns.length === 1 ? columns[0]! : `(${columns.join(', ')})`);
const shown = (value: AcceptedValue) => (typeof value === 'string' ? `'${value}'` : String(value));

/**
 * Counts the rows `failing` returns and keeps a few as JSON: the window count is taken before the
 * limit, so one query gives both, and `to_jsonb` makes any column type a JSON value.
 */
function failingRows(failing: string, values: string[], message: (count: number) => string): CheckQuery {
  return {
    sql: `select count(*) over () as failing_rows, to_jsonb(f) as failing_row from (\n${failing}\n) f limit ${SAMPLE_SIZE}`,
    values,
    evaluate: (rows): CheckResult => {
      const failing = Number(rows[0]?.failing_rows ?? 0);
      if (failing === 0) return { passed: true, message: message(0), metadata: { failing: 0 } };
      const sample = rows.map((row) => row.failing_row as JsonValue);
      return { passed: false, message: message(failing), metadata: { failing, sample } };
    },
  };
}

function unique(columns: string[], table: string): CompiledCheck {
  const keys = columns.map(quoteColumn).join(', ');
  // A key with a null is no duplicate, as in a unique constraint: not_null is the check for nulls.
  const notNull = columns.map((column) => `${quoteColumn(column)} is not null`).join(' and ');
  const from = quoteTable(table);
  return {
    name: `unique_${columns.join('_')}`,
    description:
      columns.length === 1 ? `${columns[0]} is unique` : `${columns.join(', ')} are unique together`,
    // A scoped step looks for its own keys anywhere in the table: a day's rows must not repeat another's.
    query: (scope) =>
      failingRows(
        `select ${keys}, count(*) as occurrences from ${from}
          where ${notNull}${scope ? ` and (${keys}) in (select ${keys} from ${from} where ${where(scope)})` : ''}
          group by ${keys} having count(*) > 1`,
        [],
        (count) => `${count} duplicate ${columnList(columns)} in ${checked(table, scope)}`,
      ),
  };
}

/** Rows of the scope that meet `condition`, whole, so the sample shows what to fix. */
function rowsWhere(
  table: string,
  condition: string,
  values: string[],
  what: string,
): (scope: string | null) => CheckQuery {
  return (scope) =>
    failingRows(
      `select * from ${quoteTable(table)} where ${where(scope)} and ${condition}`,
      values,
      (count) => `${plural(count, 'row')} of ${checked(table, scope)} where ${what}`,
    );
}

function rowCount({ row_count: { min, max } }: RowCountSpec, table: string): CompiledCheck {
  const expected =
    min !== undefined && max !== undefined
      ? `between ${min} and ${max} rows`
      : min !== undefined
        ? `at least ${plural(min, 'row')}`
        : `at most ${plural(max!, 'row')}`;
  return {
    name: 'row_count',
    description: `${table} has ${expected}`,
    query: (scope) => ({
      sql: `select count(*) as row_count from ${quoteTable(table)} where ${where(scope)}`,
      values: [],
      evaluate: (rows) => {
        const count = Number(rows[0]?.row_count ?? 0);
        const passed = (min === undefined || count >= min) && (max === undefined || count <= max);
        const has = `${checked(table, scope)} has ${plural(count, 'row')}`;
        return {
          passed,
          message: passed ? `${has} (expected ${expected})` : `${has}, expected ${expected}`,
          metadata: { rows: count },
        };
      },
    }),
  };
}

const hours = (value: number) => String(Math.round(value * 10) / 10);

/**
 * The scope is ignored: the newest row of an old partition is old by nature, so a backfill would
 * fail every day it writes; freshness is about what the table as a whole holds.
 */
function freshness({ freshness: { column, max_age_hours } }: FreshnessSpec, table: string): CompiledCheck {
  const newest = `max(${quoteColumn(column)})::timestamptz`;
  return {
    name: `freshness_${column}`,
    description: `the newest ${column} is at most ${hours(max_age_hours)} hours old`,
    query: () => ({
      sql: `select to_jsonb(${newest}) as newest, (extract(epoch from now() - ${newest}) / 3600)::float8 as age_hours
              from ${quoteTable(table)}`,
      values: [],
      evaluate: (rows): CheckResult => {
        const row = rows[0];
        const age = row?.age_hours;
        if (typeof age !== 'number')
          return { passed: false, message: `${table} has no ${column} values`, metadata: { newest: null } };
        const passed = age <= max_age_hours;
        const old = `the newest ${column} in ${table} is ${hours(age)} hours old`;
        return {
          passed,
          message: `${old}${passed ? ` (at most ${hours(max_age_hours)} expected)` : `, more than ${hours(max_age_hours)}`}`,
          metadata: { newest: row!.newest as JsonValue, age_hours: Math.round(age * 1000) / 1000 },
        };
      },
    }),
  };
}

const THIS = /\{\{\s*this\s*\}\}/g;
const SCOPE = /\{\{\s*scope\s*\}\}/g;

/** A custom check's query with `{{ this }}` (the table) and `{{ scope }}` (the step's condition) filled in. */
export function expandCheckSql(sql: string, table: string, scope: string | null): string {
  return sql
    .trim()
    .replace(/;\s*$/, '')
    .replace(THIS, () => quoteTable(table))
    .replace(SCOPE, () => where(scope));
}

function custom({ sql, name, description }: SqlSpec, table: string): CompiledCheck {
  const scoped = sql.search(SCOPE) >= 0;
  return {
    name,
    description: description ?? `the query of ${name} finds no failing rows in ${table}`,
    query: (scope) =>
      failingRows(
        expandCheckSql(sql, table, scope),
        [],
        (count) =>
          `${plural(count, 'failing row')} in ${checked(table, scoped ? scope : null)}: ${description ?? name}`,
      ),
  };
}

/** The check a (validated) spec declares on `table`; its name is the default one. */
export function compile(spec: CheckSpec, table: string): CompiledCheck {
  if ('unique' in spec) return unique(spec.unique, table);
  if ('not_null' in spec) {
    const column = spec.not_null;
    return {
      name: `not_null_${column}`,
      description: `${column} is never null`,
      query: rowsWhere(table, `${quoteColumn(column)} is null`, [], `${column} is null`),
    };
  }
  if ('accepted_values' in spec) {
    const { column, values } = spec.accepted_values;
    // Bind parameters, untyped: PostgreSQL reads each as the column's type, and no value can be SQL.
    const parameters = values.map((_, index) => `$${index + 1}`).join(', ');
    const list = values.map(shown).join(', ');
    return {
      name: `accepted_values_${column}`,
      description: `${column} is one of ${list}`,
      query: rowsWhere(
        table,
        `${quoteColumn(column)} is not null and ${quoteColumn(column)} not in (${parameters})`,
        values.map(String),
        `${column} is not one of ${list}`,
      ),
    };
  }
  if ('relationships' in spec) {
    const { column, to, field } = spec.relationships;
    const own = `${quoteTable(table)}.${quoteColumn(column)}`;
    return {
      name: `relationships_${column}`,
      description: `every ${column} exists in ${to}.${field}`,
      query: rowsWhere(
        table,
        `${own} is not null and not exists (select from ${quoteTable(to)} as referenced where referenced.${quoteColumn(field)} = ${own})`,
        [],
        `${column} is missing from ${to}.${field}`,
      ),
    };
  }
  if ('row_count' in spec) return rowCount(spec, table);
  if ('freshness' in spec) return freshness(spec, table);
  return custom(spec, table);
}
