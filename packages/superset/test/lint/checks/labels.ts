/** (c) Every category value a Russian label. */
import { type ChartResult, type Finding, finding } from './result.ts';

export interface LabelRules {
  /** Every Russian label of superset/labels.yaml: a value among them is labelled. */
  labels: ReadonlySet<string>;
  /** Latin values that are proper names, each with the reason (brands, operating systems). */
  properNames: ReadonlyMap<string, string>;
  /** Category columns whose values are numbers by nature (an hour, a count), each with the reason. */
  numericColumns: ReadonlyMap<string, string>;
  /** Identifier columns (a client's id): shown as they are. */
  identifierColumns?: ReadonlySet<string>;
}

const CODE = /^[a-z][a-z0-9_]*$/;
const CYRILLIC = /[А-Яа-яЁё]/;
const LATIN = /[A-Za-z]/;

/** Why one category value is not a Russian label, or null when it is one. */
export function unlabelled(column: string, value: unknown, rules: LabelRules): string | null {
  if (value === null || value === undefined) return null; // the empty-category check judges it
  if (rules.identifierColumns?.has(column)) return null;
  if (typeof value === 'boolean') return `${column} = ${value}: a boolean shown as a category`;
  if (typeof value === 'number' || (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim()))) {
    if (rules.numericColumns.has(column)) return null;
    return `${column} = ${value}: a number shown as a category (label it, e.g. a weekday's name)`;
  }
  if (typeof value !== 'string') return `${column} = ${JSON.stringify(value)}: not a text label`;
  const text = value.trim();
  if (text === '' || rules.labels.has(text) || rules.properNames.has(text)) return null;
  if (CODE.test(text)) return `${column} = '${text}': a code, not a Russian label`;
  if (LATIN.test(text) && !CYRILLIC.test(text))
    return `${column} = '${text}': Latin, not a Russian label (a proper name needs its reason in the allow-list)`;
  return null;
}

/** Every value of the category columns is a Russian label; each wrong value is named once. */
export function checkRussianLabels(
  result: ChartResult,
  categoryColumns: readonly string[],
  rules: LabelRules,
): Finding[] {
  const seen = new Set<string>();
  const perColumn = new Map<string, number>();
  const findings: Finding[] = [];
  for (const row of result.data)
    for (const column of categoryColumns) {
      if (!(column in row)) continue;
      const why = unlabelled(column, row[column], rules);
      if (why && !seen.has(why)) {
        seen.add(why);
        const count = (perColumn.get(column) ?? 0) + 1;
        perColumn.set(column, count);
        if (count <= MAX_PER_COLUMN) findings.push(finding('Russian labels', why));
      }
    }
  for (const [column, count] of perColumn)
    if (count > MAX_PER_COLUMN)
      findings.push(finding('Russian labels', `${column}: ${count - MAX_PER_COLUMN} more values like these`));
  return findings;
}

/** Wrong values named per column; the rest counted. */
const MAX_PER_COLUMN = 8;
