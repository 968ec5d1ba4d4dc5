/** (e) The slice a chart's dashboard or title names is in its filter. */
import { type Finding, finding } from './result.ts';

export interface SliceCondition {
  column: string;
  value: string;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whether `where` requires `column = 'value'` (also `column IN ('value')`), as a whole condition. */
export function filtersOn(where: string | undefined, condition: SliceCondition): boolean {
  if (!where) return false;
  const column = `(?:^|[^\\w.])(?:\\w+\\.)?\`?${escapeRegExp(condition.column)}\`?`;
  const value = `'${escapeRegExp(condition.value.replace(/'/g, "\\'"))}'`;
  return (
    new RegExp(`${column}\\s*=\\s*${value}`).test(where) ||
    new RegExp(`${value}\\s*=\\s*\`?${escapeRegExp(condition.column)}\\b`).test(where) ||
    new RegExp(`${column}\\s+IN\\s*\\(\\s*${value}\\s*\\)`, 'i').test(where)
  );
}

/** A slice a title can name: the condition and the words (lower-case stems) that name it. */
export interface NamedSlice extends SliceCondition {
  words: readonly string[];
}

/**
 * The slices a title names (consecutive words start with a slice's stems); a match inside a longer
 * one is dropped, so «Минская область» names the region, not also «Минск».
 */
export function slicesNamedIn(title: string, vocabulary: readonly NamedSlice[]): NamedSlice[] {
  const words = title
    .toLowerCase()
    .split(/[^a-zа-яё0-9]+/i)
    .filter(Boolean);
  const matches: Array<{ slice: NamedSlice; start: number; end: number }> = [];
  for (const slice of vocabulary)
    for (const stem of slice.words) {
      const parts = stem.toLowerCase().split(/\s+/);
      words.forEach((_, index) => {
        if (parts.every((part, offset) => words[index + offset]?.startsWith(part)))
          matches.push({ slice, start: index, end: index + parts.length });
      });
    }
  const kept = matches.filter(
    (match) =>
      !matches.some(
        (other) =>
          other.end - other.start > match.end - match.start &&
          other.start <= match.start &&
          other.end >= match.end,
      ),
  );
  return vocabulary.filter((slice) => kept.some((match) => match.slice === slice));
}

/**
 * The chart shows the slice of its dashboard and of its title: every condition of the dashboard's
 * `slice` is in its `where`, and so is every slice its title (or its dashboard's title) names.
 */
export function checkSlice(options: {
  where: string | undefined;
  title: string;
  dashboardTitle: string;
  slice: readonly SliceCondition[];
  vocabulary: readonly NamedSlice[];
  /** The chart's dataset columns: a condition on a column it lacks cannot be met. */
  columns?: ReadonlySet<string>;
}): Finding[] {
  const findings: Finding[] = [];
  const required = new Map<string, { condition: SliceCondition; because: string }>();
  for (const condition of options.slice)
    required.set(`${condition.column}=${condition.value}`, { condition, because: 'the dashboard’s slice' });
  // A slice a title names binds only where the dataset has its column (users are all individuals).
  const filterable = (named: NamedSlice) => !options.columns || options.columns.has(named.column);
  for (const named of slicesNamedIn(options.dashboardTitle, options.vocabulary).filter(filterable))
    if (!required.has(`${named.column}=${named.value}`))
      required.set(`${named.column}=${named.value}`, {
        condition: named,
        because: `the dashboard’s title names it («${options.dashboardTitle}»)`,
      });
  for (const named of slicesNamedIn(options.title, options.vocabulary).filter(filterable))
    if (!required.has(`${named.column}=${named.value}`))
      required.set(`${named.column}=${named.value}`, { condition: named, because: 'its title names it' });
  // A title naming two values of one column (B2C / B2B) compares them: no filter on that column.
  const perColumn = new Map<string, number>();
  for (const { condition } of required.values())
    perColumn.set(condition.column, (perColumn.get(condition.column) ?? 0) + 1);
  for (const { condition, because } of required.values()) {
    if (perColumn.get(condition.column)! > 1 && because === 'its title names it') continue;
    if (filtersOn(options.where, condition)) continue;
    const lacks =
      options.columns && !options.columns.has(condition.column) ? ' (its dataset has no such column)' : '';
    findings.push(
      finding(
        'slice',
        `no filter ${condition.column} = '${condition.value}' (${because})${lacks}; where: ${options.where ?? '(none)'}`,
      ),
    );
  }
  return findings;
}
