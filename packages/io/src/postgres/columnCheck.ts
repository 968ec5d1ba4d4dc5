import type pg from 'pg';
import type { CopyValue } from './copyText.ts';

/**
 * The last line of defence before `COPY … FROM STDIN`: one value a column cannot take fails the
 * whole COPY, so each row's values are checked against the target's column types first and a row
 * that fails goes to quarantine naming the column and the value. Row schemas should reject such
 * values already; this catches what they let through. Formats PostgreSQL accepts that are not
 * checked here (a date as `Jan 5 2026`, say) pass on to COPY unchanged.
 */

/** A target column as PostgreSQL has it (a domain's base type resolved). */
export interface ColumnType {
  name: string;
  /** `format_type`: `numeric(14,2)`, `character varying(20)`, `timestamp with time zone`. */
  type: string;
  /** The base type's name: `int4`, `numeric`, `varchar`, `timestamptz`, `_text` for an array. */
  base: string;
  typmod: number;
  notNull: boolean;
}

export async function columnTypes(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
): Promise<ColumnType[]> {
  const { rows } = await client.query<ColumnType>(
    `select a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
            case when t.typtype = 'd' then b.typname else t.typname end as base,
            case when t.typtype = 'd' then t.typtypmod else a.atttypmod end as typmod,
            a.attnotnull or (t.typtype = 'd' and t.typnotnull) as "notNull"
     from pg_attribute a
     join pg_type t on t.oid = a.atttypid
     left join pg_type b on b.oid = t.typbasetype
     where a.attrelid = $1::regclass and a.attnum > 0 and not a.attisdropped`,
    [table],
  );
  const byName = new Map(rows.map((row) => [row.name, row]));
  return columns.map((name) => {
    const column = byName.get(name);
    if (!column) throw new Error(`${table} has no column ${name}`);
    return column;
  });
}

type Check = (value: Exclude<CopyValue, null | undefined>) => string | null;

/** Why a row cannot be copied — "column amount: 1e+40 does not fit numeric(14,2)" — or null. */
export function rowChecker(columns: readonly ColumnType[]): (values: readonly CopyValue[]) => string | null {
  const checks = columns.map(checkFor);
  return (values) => {
    for (let i = 0; i < checks.length; i++) {
      const value = values[i];
      const column = columns[i]!;
      if (value === null || value === undefined) {
        if (column.notNull) return `column ${column.name}: null, but the column is not null`;
        continue;
      }
      const problem =
        value instanceof Date && Number.isNaN(value.getTime()) ? 'is not a valid date' : checks[i]!(value);
      if (problem) return `column ${column.name}: ${show(value)} ${problem}`;
    }
    if (values.length !== columns.length)
      return `the row has ${values.length} values for ${columns.length} columns`;
    return null;
  };
}

function show(value: unknown): string {
  let text: string;
  if (typeof value === 'string') text = JSON.stringify(value);
  else if (value instanceof Date) text = Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  else if (typeof value === 'object') text = Object.prototype.toString.call(value);
  else text = String(value);
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what it looks for.
const unstorableChar = /[\u0000\uD800-\uDFFF]/;
const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** NUL, which no PostgreSQL text holds, and a lone surrogate, which UTF-8 would turn into U+FFFD. */
function textProblem(text: string): string | null {
  if (!unstorableChar.test(text)) return null;
  if (text.includes('\u0000')) return 'contains NUL (0x00), which PostgreSQL text cannot hold';
  if (loneSurrogate.test(text)) return 'contains an unpaired surrogate, which is not valid Unicode';
  return null;
}

function checkFor(column: ColumnType): Check {
  const { base, typmod, type } = column;
  const strings =
    (check: (text: string) => string | null): Check =>
    (value) =>
      typeof value === 'string' ? (textProblem(value) ?? check(value)) : null;
  switch (base) {
    case 'int2':
      return integer(-(2n ** 15n), 2n ** 15n - 1n, 4, type);
    case 'int4':
      return integer(-(2n ** 31n), 2n ** 31n - 1n, 9, type);
    case 'int8':
      return integer(-(2n ** 63n), 2n ** 63n - 1n, 18, type);
    case 'numeric':
      return numeric(typmod, type);
    case 'float4':
    case 'float8':
      return float(base === 'float4' ? 3.4028234663852886e38 : Number.MAX_VALUE, type);
    case 'bool':
      return (value) =>
        typeof value === 'boolean' || booleanWords.has(String(value).trim().toLowerCase())
          ? null
          : `is not a ${type}`;
    case 'date':
    case 'timestamp':
    case 'timestamptz':
      return (value) =>
        value instanceof Date
          ? dateProblem(value)
          : typeof value === 'string'
            ? (textProblem(value) ?? timestampProblem(value, base))
            : `is not a ${type}`;
    case 'json':
    case 'jsonb':
      return jsonCheck(type, base);
    case 'uuid':
      return strings((text) => (uuid.test(text.trim()) ? null : `is not a ${type}`));
    case 'varchar':
    case 'bpchar':
      return strings((text) => {
        const limit = typmod - 4;
        if (limit < 0 || text.length <= limit) return null;
        const kept = base === 'bpchar' ? text.replace(/ +$/, '') : text;
        return [...kept].length > limit ? `is longer than ${type} allows` : null;
      });
    default:
      return strings(() => null);
  }
}

/** The number of digits of an optionally signed run of digits, or -1 for anything else. */
function digitCount(text: string): number {
  const first = text.charCodeAt(0);
  const start = first === 43 || first === 45 ? 1 : 0;
  if (start === text.length) return -1;
  for (let i = start; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return -1;
  }
  return text.length - start;
}

/** `safeDigits`: as many digits as always fit. */
function integer(min: bigint, max: bigint, safeDigits: number, type: string): Check {
  const range = `is out of range for ${type}`;
  const [low, high] = [Number(min), Number(max)];
  return (value) => {
    if (typeof value === 'number') {
      if (!Number.isInteger(value)) return `is not an integer (${type})`;
      if (Math.abs(value) <= Number.MAX_SAFE_INTEGER) return value < low || value > high ? range : null;
      const big = BigInt(value);
      return big < min || big > max ? range : null;
    }
    if (typeof value === 'bigint') return value < min || value > max ? range : null;
    if (typeof value === 'string') {
      const digits = digitCount(value);
      if (digits > 0 && digits <= safeDigits) return null;
      const text = value.trim();
      if (digitCount(text) < 0) return textProblem(value) ?? `is not an integer (${type})`;
      const big = BigInt(text);
      return big < min || big > max ? range : null;
    }
    return `is not an integer (${type})`;
  };
}

const decimalText = /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i;
const specialNumber = /^[+-]?(nan|inf|infinity)$/i;

function numeric(typmod: number, type: string): Check {
  const constrained = typmod >= 4;
  const precision = constrained ? ((typmod - 4) >> 16) & 0xffff : 0;
  const scale = constrained ? (((typmod - 4) & 0x7ff) ^ 1024) - 1024 : 0;
  // Below this magnitude no value can overflow after rounding to the scale.
  const safe = constrained ? 10 ** (precision - scale) - 10 ** -scale : Number.POSITIVE_INFINITY;
  return (value) => {
    let text: string;
    if (typeof value === 'number') {
      if (Number.isNaN(value)) return null;
      if (!Number.isFinite(value)) return constrained ? `does not fit ${type}` : null;
      if (Math.abs(value) < safe) return null;
      text = String(value);
    } else if (typeof value === 'bigint') {
      text = value.toString();
    } else if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return problem;
      text = value.trim();
      if (!decimalText.test(text)) {
        if (!specialNumber.test(text)) return `is not a number (${type})`;
        return /nan/i.test(text) || !constrained ? null : `does not fit ${type}`;
      }
      if (constrained && fewIntegerDigits(text, precision - scale)) return null;
    } else {
      return `is not a number (${type})`;
    }
    return constrained && !fitsNumeric(text, precision, scale) ? `does not fit ${type}` : null;
  };
}

/** Fewer integer digits than the column allows, and no exponent: it fits whatever its fraction. */
function fewIntegerDigits(text: string, allowed: number): boolean {
  let start = 0;
  const first = text.charCodeAt(0);
  if (first === 43 || first === 45) start = 1; // + or -
  let end = start;
  for (; end < text.length; end++) {
    const code = text.charCodeAt(end);
    if (code < 48 || code > 57) break;
  }
  if (end < text.length && text.charCodeAt(end) !== 46) return false; // an exponent
  if (text.indexOf('e', end) >= 0 || text.indexOf('E', end) >= 0) return false;
  while (start < end - 1 && text.charCodeAt(start) === 48) start++;
  return end - start < allowed;
}

/** Whether a decimal's magnitude, rounded half away from zero to `scale` digits, has at most `precision` digits. */
function fitsNumeric(text: string, precision: number, scale: number): boolean {
  const match = /^[+-]?(\d*)\.?(\d*)(?:e([+-]?\d+))?$/i.exec(text)!;
  const digits = `${match[1]}${match[2]}`.replace(/^0+/, '') || '0';
  const exponent = Number(match[3] ?? 0) - match[2]!.length;
  const shift = exponent + scale;
  let scaled: bigint;
  if (shift >= 0) {
    if (digits !== '0' && digits.length + shift > precision) return false;
    scaled = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const divisor = 10n ** BigInt(-shift);
    const whole = BigInt(digits);
    scaled = whole / divisor + ((whole % divisor) * 2n >= divisor ? 1n : 0n);
  }
  return scaled < 10n ** BigInt(precision);
}

function float(max: number, type: string): Check {
  return (value) => {
    if (typeof value === 'number')
      return Number.isFinite(value) && Math.abs(value) > max ? `is out of range for ${type}` : null;
    if (typeof value === 'string') {
      const problem = textProblem(value);
      if (problem) return problem;
      const text = value.trim();
      if (specialNumber.test(text) || /^[+-]?infinity$/i.test(text)) return null;
      if (!decimalText.test(text)) return `is not a number (${type})`;
      return Math.abs(Number(text)) > max ? `is out of range for ${type}` : null;
    }
    return typeof value === 'bigint' ? null : `is not a number (${type})`;
  };
}

const booleanWords = new Set(
  ['t', 'tr', 'tru', 'true', 'y', 'ye', 'yes', 'on', '1'].concat([
    'f',
    'fa',
    'fal',
    'fals',
    'false',
    'n',
    'no',
    'of',
    'off',
    '0',
  ]),
);

const uuid = /^\{?[0-9a-f]{4}(?:-?[0-9a-f]{4}){7}\}?$/i;

// PostgreSQL's range: dates from 4713 BC, timestamps up to 294276 AD, dates up to 5874897 AD.
const MAX_TIMESTAMP_YEAR = 294276;
const MAX_DATE_YEAR = 5874897;

function dateProblem(value: Date): string | null {
  const time = value.getTime();
  if (Number.isNaN(time)) return 'is not a valid date';
  return value.getUTCFullYear() < -4712 ? 'is before 4713 BC, out of PostgreSQL range' : null;
}

const isoTimestamp =
  /^(\d{4,7})-(\d{1,2})-(\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2}(?::?\d{2})?)?)?(\s+BC)?$/i;

function daysIn(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

const twoDigits = (text: string, at: number) =>
  (text.charCodeAt(at) - 48) * 10 + text.charCodeAt(at + 1) - 48;

/** `YYYY-MM-DD` or `YYYY-MM-DD HH:MM:SS` (the common case), checked without a regular expression. */
function plainTimestampProblem(text: string, base: string): string | null | undefined {
  const length = text.length;
  if (length !== 10 && length !== 19) return undefined;
  for (let i = 0; i < length; i++) {
    const code = text.charCodeAt(i);
    const ok =
      i === 4 || i === 7
        ? code === 45 // -
        : i === 10
          ? code === 32 || code === 84 // space or T
          : i === 13 || i === 16
            ? code === 58 // :
            : code >= 48 && code <= 57;
    if (!ok) return undefined;
  }
  const year = twoDigits(text, 0) * 100 + twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const kind = base === 'date' ? 'date' : 'timestamp';
  if (month < 1 || month > 12) return `is not a valid ${kind}: month ${month}`;
  if (day < 1 || day > daysIn(year, month)) return `is not a valid ${kind}: day ${day} of month ${month}`;
  if (length === 19) {
    const hour = twoDigits(text, 11);
    const minute = twoDigits(text, 14);
    const second = twoDigits(text, 17);
    if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0)))
      return 'has an impossible time of day';
  }
  return null;
}

/** An impossible date or time of day in an ISO-like value; other formats are PostgreSQL's to judge. */
function timestampProblem(text: string, base: string): string | null {
  const plain = plainTimestampProblem(text, base);
  if (plain !== undefined) return plain;
  const match = isoTimestamp.exec(text.trim());
  if (!match) return null;
  const [year, month, day, hour, minute, second] = match
    .slice(1, 7)
    .map((part) => Number(part ?? 0)) as number[];
  const offset = match[7];
  if (month! < 1 || month! > 12)
    return `is not a valid ${base === 'date' ? 'date' : 'timestamp'}: month ${month}`;
  // In BC years the leap rule applies to the astronomical year (1 BC is year 0).
  const leapYear = match[8] ? 1 - year! : year!;
  if (day! < 1 || day! > daysIn(leapYear, month!))
    return `is not a valid ${base === 'date' ? 'date' : 'timestamp'}: day ${day} of month ${month}`;
  if (hour! > 24 || minute! > 59 || second! > 60 || (hour === 24 && (minute! > 0 || second! > 0)))
    return `has an impossible time of day`;
  if (offset && offset.toUpperCase() !== 'Z' && Math.abs(Number(offset.slice(0, 3).replace(':', ''))) > 15)
    return 'has a time zone offset beyond 15 hours';
  const maxYear = base === 'date' ? MAX_DATE_YEAR : MAX_TIMESTAMP_YEAR;
  if (year! > maxYear) return `is beyond year ${maxYear}, out of PostgreSQL range`;
  if (match[8] && year! > 4713) return 'is before 4713 BC, out of PostgreSQL range';
  return null;
}

function jsonCheck(type: string, base: string): Check {
  const problemIn = (value: unknown): string | null => {
    if (typeof value === 'string') {
      if (value.includes('\u0000'))
        return base === 'jsonb' ? `holds NUL (\\u0000), which ${type} cannot` : null;
      return loneSurrogate.test(value) ? `holds an unpaired surrogate, which ${type} cannot` : null;
    }
    if (value === null || typeof value !== 'object') return null;
    for (const [key, item] of Object.entries(value)) {
      const problem = problemIn(key) ?? problemIn(item);
      if (problem) return problem;
    }
    return null;
  };
  return (value) => {
    let parsed: unknown;
    try {
      if (typeof value === 'string') {
        const problem = textProblem(value);
        if (problem) return problem;
        parsed = JSON.parse(value);
      } else if (value instanceof Date || typeof value !== 'object') {
        return null;
      } else {
        parsed = JSON.parse(JSON.stringify(value));
      }
    } catch (error) {
      return typeof value === 'string'
        ? `is not valid JSON (${type})`
        : `cannot be written as JSON: ${(error as Error).message}`;
    }
    return problemIn(parsed);
  };
}
