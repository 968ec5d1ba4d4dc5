/**
 * The lint for dashboards: each check is a pure function of one chart's answer from Superset
 * (`GET /api/v1/chart/{id}/data/`, shaped as Superset's chart-data response) and of facts the caller
 * gathered independently of the code under test (the table's first and last day from ClickHouse,
 * the label sets of superset/labels.yaml, the dashboard's slice). Each returns the findings it has:
 * an empty list passes. checks.test.ts feeds every check the defects users found and requires it to
 * fail on each; lint.ts runs them over every chart of every dashboard.
 */

/** One result of Superset's chart-data answer (the fields the lint reads). */
export interface ChartResult {
  colnames?: string[];
  /** Superset's GenericDataType per column: 0 numeric, 1 string, 2 temporal, 3 boolean. */
  coltypes?: number[];
  data: Array<Record<string, unknown>>;
  /** Rows after post-processing. */
  rowcount: number;
  /** Rows the SQL returned: what the dashboard compares with the row limit. */
  sql_rowcount?: number | null;
  error?: string | null;
}

export type CheckName =
  | 'rows'
  | 'row limit'
  | 'Russian labels'
  | 'complete periods'
  | 'slice'
  | 'empty category'
  | 'single category'
  | 'cumulative'
  | 'drop to zero'
  | 'format'
  | 'legend';

export interface Finding {
  check: CheckName;
  message: string;
}

const finding = (check: CheckName, message: string): Finding => ({ check, message });

// ---------------------------------------------------------------------------------------------
// (a) rows

/** The chart answers with rows and without an error. */
export function checkRows(result: ChartResult | undefined): Finding[] {
  if (!result) return [finding('rows', 'no result in the answer')];
  if (result.error) return [finding('rows', `error: ${result.error.slice(0, 300)}`)];
  return result.rowcount > 0 ? [] : [finding('rows', 'no rows')];
}

// ---------------------------------------------------------------------------------------------
// (b) row limit

/**
 * No row-limit warning: the dashboard draws Superset's warning when the SQL's row count reaches the
 * form's row_limit, and a query LIMIT below it cuts the rows silently, so both limits count.
 */
export function checkRowLimit(
  result: ChartResult,
  limits: ReadonlyArray<number | null | undefined>,
): Finding[] {
  const rows = result.sql_rowcount ?? result.rowcount;
  const set = limits.filter((limit): limit is number => typeof limit === 'number' && limit > 0);
  if (set.length === 0) return [];
  const limit = Math.min(...set);
  return rows >= limit
    ? [finding('row limit', `${rows} rows reach the row limit ${limit}: Superset warns and rows are cut`)]
    : [];
}

// ---------------------------------------------------------------------------------------------
// (c) Russian labels

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

// ---------------------------------------------------------------------------------------------
// (d) complete periods

export type Grain = 'P1D' | 'P1W' | 'P1M' | 'P3M' | 'P1Y';

const DAY = 86_400_000;
const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const dayMs = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** A time value as Superset sends it (epoch ms, or an ISO date/time string) → epoch ms at UTC midnight. */
export function timeValue(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return Math.floor(value / DAY) * DAY;
  if (typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value)) return dayMs(value.slice(0, 10));
  return null;
}

/** The first and last day (YYYY-MM-DD) of the period of `grain` holding `day`: weeks run Monday–Sunday. */
export function periodOf(day: string, grain: Grain): { first: string; last: string } {
  const ms = dayMs(day);
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (grain) {
    case 'P1D':
      return { first: day, last: day };
    case 'P1W': {
      const monday = ms - ((date.getUTCDay() + 6) % 7) * DAY;
      return { first: isoDay(monday), last: isoDay(monday + 6 * DAY) };
    }
    case 'P1M':
      return { first: isoDay(Date.UTC(year, month, 1)), last: isoDay(Date.UTC(year, month + 1, 1) - DAY) };
    case 'P3M': {
      const quarter = month - (month % 3);
      return {
        first: isoDay(Date.UTC(year, quarter, 1)),
        last: isoDay(Date.UTC(year, quarter + 3, 1) - DAY),
      };
    }
    case 'P1Y':
      return { first: `${year}-01-01`, last: `${year}-12-31` };
  }
}

const daysBetween = (from: string, to: string) => Math.round((dayMs(to) - dayMs(from)) / DAY) + 1;

/**
 * A time series stops at the last complete period and starts at the first complete one: the period
 * of its last x value ends on or before the table's newest day, that of its first begins on or
 * after its oldest day. `oldest`/`newest` come from ClickHouse, not from the code under test.
 */
export function checkCompletePeriods(
  result: ChartResult,
  x: string,
  grain: Grain,
  span: { oldest: string; newest: string },
): Finding[] {
  const days = result.data
    .map((row) => timeValue(row[x]))
    .filter((ms): ms is number => ms !== null)
    .sort((a, b) => a - b);
  if (days.length === 0) return [];
  const findings: Finding[] = [];
  const last = periodOf(isoDay(days.at(-1)!), grain);
  if (last.last > span.newest)
    findings.push(
      finding(
        'complete periods',
        `the last ${grain} period ${last.first}…${last.last} holds ${daysBetween(last.first, span.newest)} of its ` +
          `${daysBetween(last.first, last.last)} days (the data ends ${span.newest})`,
      ),
    );
  const first = periodOf(isoDay(days[0]!), grain);
  if (first.first < span.oldest)
    findings.push(
      finding(
        'complete periods',
        `the first ${grain} period ${first.first}…${first.last} holds ${daysBetween(span.oldest, first.last)} of its ` +
          `${daysBetween(first.first, first.last)} days (the data starts ${span.oldest})`,
      ),
    );
  return findings;
}

// ---------------------------------------------------------------------------------------------
// (e) slice

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

// ---------------------------------------------------------------------------------------------
// (f) empty or unknown categories

const UNKNOWN =
  /^(unknown|none|null|n\/a|na|undefined|other|-|—|–|\?|неизвестно|не указан[оа]?|нет данных|без названия|прочее|другое)$/i;

export const isEmptyCategory = (value: unknown) =>
  value === null || value === undefined || (typeof value === 'string' && value.trim() === '');
export const isUnknownCategory = (value: unknown) => typeof value === 'string' && UNKNOWN.test(value.trim());

const numeric = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
};

/**
 * No empty or unknown-like category dominates: an empty value (null, '') is not among the two
 * largest by the chart's first metric nor above `share` of its total; an unknown-like label
 * («Неизвестно», 'unknown') is not above `share`.
 */
export function checkEmptyCategories(
  result: ChartResult,
  categoryColumns: readonly string[],
  metric: string | undefined,
  share = 0.2,
): Finding[] {
  if (!metric) return [];
  const findings: Finding[] = [];
  for (const column of categoryColumns) {
    if (!result.data.some((row) => column in row)) continue;
    const totals = new Map<string, { value: unknown; sum: number }>();
    let total = 0;
    for (const row of result.data) {
      const amount = Math.abs(numeric(row[metric]) ?? 0);
      const value = row[column];
      const key = isEmptyCategory(value) ? '\u0000empty' : String(value);
      const entry = totals.get(key) ?? { value, sum: 0 };
      entry.sum += amount;
      totals.set(key, entry);
      total += amount;
    }
    if (total <= 0) continue;
    const ranked = [...totals.values()].sort((a, b) => b.sum - a.sum);
    ranked.forEach((entry, index) => {
      const part = entry.sum / total;
      const percent = `${(part * 100).toFixed(1)} % of ${metric}`;
      if (isEmptyCategory(entry.value) && (index < 2 || part > share))
        findings.push(
          finding(
            'empty category',
            `${column} is empty (${JSON.stringify(entry.value)}) for ${percent}, rank ${index + 1}`,
          ),
        );
      else if (isUnknownCategory(entry.value) && part > share)
        findings.push(finding('empty category', `${column} = '${String(entry.value)}' holds ${percent}`));
    });
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// More defects users found: one value where the label set has several (no B2C), a cumulative
// measure falling, a series ending in zeros (churn of cohorts too young to have churned).

/**
 * A category column whose label set has several values shows more than one of them, unless the
 * chart filters that column: every payment B2B (no B2C) leaves one bar, one slice, one series.
 */
export function checkSingleCategory(
  result: ChartResult,
  column: string,
  possible: number,
  filtered: boolean,
): Finding[] {
  if (filtered || possible < 2 || !result.data.some((row) => column in row)) return [];
  const values = new Set(result.data.map((row) => String(row[column])));
  return values.size === 1
    ? [
        finding(
          'single category',
          `${column} has one value ('${[...values][0]}') of the ${possible} its labels know`,
        ),
      ]
    : [];
}

/** Rows ordered by `x` (numbers or dates), per series (the groupby columns). */
function series(
  result: ChartResult,
  x: string,
  groupby: readonly string[],
): Map<string, Array<{ x: number; row: Record<string, unknown> }>> {
  const out = new Map<string, Array<{ x: number; row: Record<string, unknown> }>>();
  for (const row of result.data) {
    const position = numeric(row[x]) ?? timeValue(row[x]);
    if (position === null) continue;
    const name = groupby.map((column) => String(row[column])).join(' / ');
    const list = out.get(name) ?? [];
    list.push({ x: position, row });
    out.set(name, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.x - b.x);
  return out;
}

const seriesName = (name: string) => (name ? ` (${name})` : '');

/** A cumulative measure (накопленный доход, LTV) never falls along its x: per series, each point ≥ the one before. */
export function checkCumulative(
  result: ChartResult,
  x: string,
  groupby: readonly string[],
  metric: string,
  tolerance = 1e-9,
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, points] of series(result, x, groupby)) {
    for (let index = 1; index < points.length; index++) {
      const before = numeric(points[index - 1]!.row[metric]);
      const now = numeric(points[index]!.row[metric]);
      if (before === null || now === null) continue;
      if (now < before - tolerance * Math.max(1, Math.abs(before))) {
        findings.push(
          finding(
            'cumulative',
            `${metric}${seriesName(name)} falls from ${before} to ${now} at ${x} = ${formatX(points[index]!.row[x])}`,
          ),
        );
        break;
      }
    }
  }
  return findings;
}

const formatX = (value: unknown) =>
  typeof value === 'number' && value > 1e11 ? isoDay(value) : String(value);

/**
 * A series does not end in zeros after non-zero values: the last points at exactly 0 while the
 * earlier ones are not (the churn of cohorts too young to have churned, a week not yet counted).
 * A period with nothing yet to count must be left out or be null (not drawn), never 0.
 */
export function checkDropToZero(
  result: ChartResult,
  x: string,
  groupby: readonly string[],
  metrics: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, points] of series(result, x, groupby)) {
    if (points.length < 3) continue;
    for (const metric of metrics) {
      const values = points.map((point) => numeric(point.row[metric]));
      let trailing = 0;
      while (trailing < values.length && values[values.length - 1 - trailing] === 0) trailing++;
      if (trailing === 0) continue;
      const earlier = values.slice(0, values.length - trailing).filter((value) => value !== null);
      const nonZero = earlier.filter((value) => value !== 0).length;
      // Mostly non-zero before: a sparse count that is often 0 anyway is not a drop.
      if (earlier.length > 0 && nonZero >= Math.max(2, earlier.length * 0.75))
        findings.push(
          finding(
            'drop to zero',
            `${metric}${seriesName(name)} is 0 in the last ${trailing} point(s) from ${x} = ` +
              `${formatX(points[points.length - trailing]!.row[x])}, after ${nonZero} non-zero`,
          ),
        );
    }
  }
  return findings;
}

// ---------------------------------------------------------------------------------------------
// formats

/**
 * A percentage is formatted as one: a metric whose label (or the chart title) says % or «доля» has a
 * d3 `%` format (the value a fraction), so the dashboard shows «12,3 %» and not «1.11». `formats`
 * maps each metric to its effective format (the chart's, else the metric's).
 */
export function checkPercentFormats(
  metrics: ReadonlyArray<{ name: string; label: string; format: string | undefined }>,
  title: string,
): Finding[] {
  const findings: Finding[] = [];
  const titlePercent = /,\s*%\s*$/.test(title) && metrics.length === 1;
  for (const metric of metrics) {
    const percent = /%|(^|[^а-яё])дол[яи]([^а-яё]|$)/i.test(metric.label) || titlePercent;
    if (!percent && (metric.format ?? '').includes('%') && !/,\s*%\s*$/.test(title))
      findings.push(
        finding(
          'format',
          `${metric.name} («${metric.label}») is not a percentage but drawn with the format ${JSON.stringify(metric.format)}`,
        ),
      );
    if (percent && !(metric.format ?? '').includes('%'))
      findings.push(
        finding(
          'format',
          `${metric.name} («${metric.label}») is a percentage formatted ${JSON.stringify(metric.format ?? null)}, not a d3 % format`,
        ),
      );
  }
  return findings;
}

/**
 * A %-formatted metric holds fractions: a value above `limit` (1000 %) means the SQL still
 * multiplies by 100 while the format multiplies again («111 %» for 1.11 %).
 */
export function checkPercentValues(
  result: ChartResult,
  metric: string,
  format: string | undefined,
  limit = 10,
): Finding[] {
  if (!(format ?? '').includes('%')) return [];
  const largest = Math.max(0, ...result.data.map((row) => Math.abs(numeric(row[metric]) ?? 0)));
  return largest > limit
    ? [
        finding(
          'format',
          `${metric} is %-formatted but reaches ${largest}: a percentage times 100, shown ×100 again`,
        ),
      ]
    : [];
}

/**
 * A legend shows every item: Superset's default legend (`scroll`) pages («1/3») once its items
 * pass one line; with more than `fits` items it must be `plain` (it wraps) or hidden.
 */
export function checkLegend(
  params: { show_legend?: unknown; legendType?: unknown },
  items: number,
  fits = 4,
): Finding[] {
  if (params.show_legend !== true || params.legendType === 'plain' || items <= fits) return [];
  return [
    finding(
      'legend',
      `${items} legend items in a ${String(params.legendType ?? 'scroll')} legend: it pages («1/…»)`,
    ),
  ];
}
