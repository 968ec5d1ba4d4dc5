/**
 * Whether chdb answered what ClickHouse 18.16 answered: the same columns and types and the same rows
 * in any order, numbers by value, with only the formatting differences the two releases are known to
 * have (decimals' trailing zeros, quoted 64-bit integers, renamed keys, time zone names).
 */
import type { Check, CompatReport } from './compat.ts';

type Cell = string | number | boolean | null | Cell[] | { [key: string]: Cell };

export interface Context {
  report: CompatReport;
  /** The 18.16 server's time zone (chdb runs in it too). */
  timezone: string;
}

export function parseJsonEachRow(text: string): Array<Record<string, Cell>> {
  return text
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as Record<string, Cell>);
}

interface Table {
  names: string[];
  types: string[] | null;
  rows: Cell[][];
}

/** Keys 18.16 names differently in its answers: DESCRIBE TABLE's `comment_expression` is now `comment`. */
const RENAMED_KEYS: Readonly<Record<string, string>> = { comment_expression: 'comment' };

/** An answer as a table; JSONEachRow's keys in the order 18.16 gave them (chdb may add more). */
function parse(format: string, text: string, keys?: string[]): Table {
  const kind = format.toLowerCase();
  if (kind === 'jsoncompact' || kind === 'json') {
    const body = JSON.parse(text) as { meta: Array<{ name: string; type: string }>; data: Cell[][] };
    const names = body.meta.map((column) => column.name);
    const rows =
      kind === 'json'
        ? (body.data as unknown as Array<Record<string, Cell>>).map((row) => names.map((name) => row[name]!))
        : body.data;
    return { names, types: body.meta.map((column) => column.type), rows };
  }
  if (kind === 'jsoneachrow') {
    const objects = parseJsonEachRow(text);
    const names = keys ?? Object.keys(objects[0] ?? {});
    const value = (row: Record<string, Cell>, name: string): Cell => {
      if (name in row) return row[name]!;
      const renamed = RENAMED_KEYS[name];
      return renamed !== undefined && renamed in row ? row[renamed]! : '<missing>';
    };
    return { names, types: null, rows: objects.map((row) => names.map((name) => value(row, name))) };
  }
  if (kind.startsWith('tabseparated') || kind.startsWith('tsv')) {
    return {
      names: [],
      types: null,
      rows: text
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => line.split('\t')),
    };
  }
  return { names: [], types: null, rows: [[text]] };
}

/**
 * A type as compared: 18.16 names the server's own time zone in the type of a DateTime computed
 * by a function (`toStartOfDay(…)` is `DateTime('Etc/UTC')`), current releases leave it out
 * (`DateTime`); the values are the same.
 */
const comparableType = (type: string, timezone: string) =>
  type.replaceAll(`DateTime('${timezone}')`, 'DateTime');

const NUMBER = /^-?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

function canonicalNumber(text: string): string {
  if (/[eE]/.test(text)) return String(Number(text));
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace(/^-/, '').split('.');
  const integer = whole.replace(/^0+(?=\d)/, '') || '0';
  const decimals = fraction.replace(/0+$/, '');
  const unsigned = decimals ? `${integer}.${decimals}` : integer;
  return negative && unsigned !== '0' ? `-${unsigned}` : unsigned;
}

const significantDigits = (text: string) =>
  text
    .replace(/[eE].*$/, '')
    .replace(/[-.]/g, '')
    .replace(/^0+/, '').length;

/**
 * Whether two cells are the same value. Numbers are compared by value, so 18.16's `12.50` equals
 * the current `12.5` (decimals now print without trailing zeros) and a 64-bit integer quoted by one
 * side equals the other's unquoted. Only in a Float32/Float64 column (`float`, known from the
 * answer's types) may a value differ in its last digits (sums in another order), within 1e-12 of
 * its size and where it prints as a float (an exponent or 12+ significant digits); a decimal, an
 * integer must be equal. In an answer without types (JSONEachRow) a number may differ only where
 * both sides print a double's full precision (15+ significant digits, which no Decimal of the
 * marts reaches), within the same 1e-12 of its size: a ratio of two sums over a hundred thousand
 * rows differed by 2.2e-15 of its size between 18.16 and the current release (the sums taken in
 * another order). Day 0, an empty aggregate's Date, prints as 18.16's `0000-00-00` and the
 * current `1970-01-01`: the same value, in a Date column or an answer without types (no other
 * value prints as `0000-00-00`).
 */
/** What an answer's types say of a column; `untyped` when the answer has none. */
interface CellKind {
  float: boolean;
  date: boolean;
  untyped: boolean;
}

function sameCell(expected: Cell, actual: Cell, kind: CellKind, report: CompatReport): boolean {
  if (expected === actual) return true;
  if (Array.isArray(expected) && Array.isArray(actual))
    return (
      expected.length === actual.length &&
      expected.every((cell, i) => sameCell(cell, actual[i]!, kind, report))
    );
  if (expected === null || actual === null) return false;
  const left = String(expected);
  const right = String(actual);
  if (left === right) return true;
  if ((kind.date || kind.untyped) && left === '0000-00-00' && right === '1970-01-01') return true;
  const { float } = kind;
  if (!NUMBER.test(left) || !NUMBER.test(right)) return false;
  if (canonicalNumber(left) === canonicalNumber(right)) return true;
  const a = Number(left);
  const b = Number(right);
  const floatLike = (text: string) => /[eE]/.test(text) || significantDigits(text) >= 12;
  if (
    float &&
    (floatLike(left) || floatLike(right)) &&
    Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))
  ) {
    report.floatTolerated++;
    return true;
  }
  if (
    kind.untyped &&
    significantDigits(left) >= 15 &&
    significantDigits(right) >= 15 &&
    Math.abs(a - b) <= 1e-12 * Math.max(Math.abs(a), Math.abs(b))
  ) {
    report.floatTolerated++;
    return true;
  }
  return false;
}

/** A cell as a sort and match key: numbers by value (9 significant digits), the rest as JSON. */
const cellKey = (cell: Cell) =>
  typeof cell === 'number' || (typeof cell === 'string' && NUMBER.test(cell))
    ? Number(cell).toPrecision(9)
    : cell;
const rowKey = (row: Cell[]) => JSON.stringify(row.map(cellKey));
const sortRows = (rows: Cell[][]) =>
  rows
    .map((row) => ({ row, key: rowKey(row) }))
    .sort((x, y) => (x.key < y.key ? -1 : x.key > y.key ? 1 : 0))
    .map(({ row }) => row);

/** The difference between the answers, or null: same columns and types, the same rows in any order. */
export function compareAnswers(
  format: string,
  expectedText: string,
  actualText: string,
  { report, timezone }: Context,
): string | null {
  let expected: Table;
  let actual: Table;
  try {
    expected = parse(format, expectedText);
    actual = parse(format, actualText, expected.names);
  } catch (error) {
    return `answers not comparable as ${format}: ${String(error)}; 18.16: ${expectedText.slice(0, 300)}; chdb: ${actualText.slice(0, 300)}`;
  }
  if (expected.types && actual.types) {
    if (expected.names.join(',') !== actual.names.join(','))
      return `columns differ: 18.16 (${expected.names.join(', ')}), chdb (${actual.names.join(', ')})`;
    const left = expected.types.map((type) => comparableType(type, timezone));
    const right = actual.types.map((type) => comparableType(type, timezone));
    if (left.join(',') !== right.join(','))
      return `types differ: 18.16 (${expected.types.join(', ')}), chdb (${actual.types.join(', ')})`;
  }
  if (expected.rows.length !== actual.rows.length)
    return `${expected.rows.length} rows on 18.16, ${actual.rows.length} on chdb; 18.16: ${JSON.stringify(expected.rows.slice(0, 3))}; chdb: ${JSON.stringify(actual.rows.slice(0, 3))}`;
  const left = sortRows(expected.rows);
  const right = sortRows(actual.rows);
  const differing: string[] = [];
  const kinds = (expected.types ?? []).map((type) => ({
    float: /^(Nullable\()?Float(32|64)\)?$/.test(type),
    date: /^(Nullable\()?Date\)?$/.test(type),
    untyped: false,
  }));
  const untyped: CellKind = { float: false, date: false, untyped: true };
  left.forEach((row, index) => {
    const other = right[index]!;
    if (
      row.length !== other.length ||
      !row.every((cell, i) => sameCell(cell, other[i]!, kinds[i] ?? untyped, report))
    )
      differing.push(`18.16 ${JSON.stringify(row)} ≠ chdb ${JSON.stringify(other)}`);
  });
  if (differing.length === 0) return null;
  const names = expected.names.length > 0 ? ` (${expected.names.join(', ')})` : '';
  return `${differing.length} of ${left.length} rows differ${names}: ${differing.slice(0, 3).join('; ')}`;
}

/**
 * Whether two answers to `… ORDER BY k LIMIT n` differ only in which of the rows tied at the limit
 * each engine picked: both have n rows, every row of each is a row of the whole answer (the query
 * without its LIMIT, already found equal on both), and both hold the same ORDER BY values.
 */
export function onlyTiesDiffer(
  expectedText: string,
  actualText: string,
  fullText: string,
  limited: NonNullable<Check['limited']>,
): boolean {
  if (limited.orderBy === null) return false;
  const expected = parse('JSONCompact', expectedText);
  const actual = parse('JSONCompact', actualText);
  const full = parse('JSONCompact', fullText);
  if (expected.rows.length !== limited.limit || actual.rows.length !== limited.limit) return false;
  const positions = limited.orderBy.map((name) => expected.names.indexOf(name));
  if (positions.some((position) => position < 0)) return false;
  const available = new Map<string, number>();
  for (const row of full.rows) available.set(rowKey(row), (available.get(rowKey(row)) ?? 0) + 1);
  const within = (rows: Cell[][]) => {
    const left = new Map(available);
    return rows.every((row) => {
      const count = left.get(rowKey(row)) ?? 0;
      left.set(rowKey(row), count - 1);
      return count > 0;
    });
  };
  const orderValues = (rows: Cell[][]) =>
    rows
      .map((row) => JSON.stringify(positions.map((position) => cellKey(row[position]!))))
      .sort()
      .join('\n');
  return (
    within(expected.rows) && within(actual.rows) && orderValues(expected.rows) === orderValues(actual.rows)
  );
}
