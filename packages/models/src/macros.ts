import { DefinitionError } from '@vitrina/core';

/** The days a step covers, inclusive (one day for a daily partition). */
export interface DayRange {
  start: string;
  end: string;
}

const MACRO = /\{\{\s*([a-z_]+)\s*\}\}/g;
const KNOWN = new Set(['start', 'end']);

/** The macros a query uses; an unknown one is an error naming the file. */
export function macrosUsed(file: string, query: string): Set<string> {
  const used = new Set<string>();
  for (const [, name] of query.matchAll(MACRO)) {
    if (!KNOWN.has(name!))
      throw new DefinitionError(
        `${file}: unknown macro {{ ${name} }} (a model knows {{ start }} and {{ end }})`,
      );
    used.add(name!);
  }
  return used;
}

const dateLiteral = (day: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) throw new Error(`not a day: ${day}`);
  return `'${day}'::date`;
};

/**
 * The query with `{{ start }}` and `{{ end }}` as date literals: the first and last day of the range
 * (validated days, so inlining them is safe; PostgreSQL takes no parameters in CREATE TABLE AS).
 */
export function expandMacros(query: string, range: DayRange): string {
  return query.replace(MACRO, (_, name: string) => dateLiteral(name === 'start' ? range.start : range.end));
}

/** Any day will do to parse a query or to learn its columns. */
export const SOME_DAY: DayRange = { start: '2000-01-01', end: '2000-01-01' };
