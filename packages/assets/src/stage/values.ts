/**
 * The checks behind the column types: does a value, as a source driver hands it over, fit the
 * PostgreSQL type it is declared with — the integer's range, the numeric's precision and scale, a
 * real calendar day and time of day, text PostgreSQL can store. Each returns null when the value
 * fits, or why it does not.
 */

/** PostgreSQL's integer types by size, as [most negative, most positive] digit strings. */
export const INTEGER_LIMITS = {
  4: { min: '2147483648', max: '2147483647' },
  8: { min: '9223372036854775808', max: '9223372036854775807' },
} as const;
export type IntegerBytes = keyof typeof INTEGER_LIMITS;

/** Digit strings (no sign) compared by magnitude; leading zeros do not count. */
function atMost(digits: string, limit: string): boolean {
  if (digits.length < limit.length) return true;
  const significant = digits.replace(/^0+(?=\d)/, '');
  return significant.length < limit.length || (significant.length === limit.length && significant <= limit);
}

/** A whole number as text (`-12`, `007`) within the integer type of `bytes`. */
export function integerProblem(text: string, bytes: IntegerBytes): string | null {
  const negative = text.startsWith('-');
  const limits = INTEGER_LIMITS[bytes];
  return atMost(negative ? text.slice(1) : text, negative ? limits.min : limits.max)
    ? null
    : `beyond ${bytes === 4 ? 'integer' : 'bigint'} (${negative ? '-' : ''}${negative ? limits.min : limits.max})`;
}

/**
 * A decimal as text (`-12.50`) within numeric(precision, scale): at most precision − scale digits
 * before the point (more is an overflow) and at most scale after it (more would be rounded away
 * silently, so it is refused too; trailing zeros do not count).
 */
export function numericProblem(text: string, precision: number, scale: number): string | null {
  const unsigned = text.startsWith('-') ? text.slice(1) : text;
  const point = unsigned.indexOf('.');
  // Most values fit by their length alone.
  if (
    point < 0
      ? unsigned.length <= precision - scale
      : point <= precision - scale && unsigned.length - point - 1 <= scale
  )
    return null;
  const whole = (point < 0 ? unsigned : unsigned.slice(0, point)).replace(/^0+/, '');
  const fraction = point < 0 ? '' : unsigned.slice(point + 1).replace(/0+$/, '');
  if (whole.length > precision - scale)
    return `more than ${precision - scale} digits before the point: beyond numeric(${precision},${scale})`;
  if (fraction.length > scale)
    return `more than ${scale} decimal places: numeric(${precision},${scale}) would round it`;
  return null;
}

const daysInMonth = (year: number, month: number) =>
  month === 2
    ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
      ? 29
      : 28
    : [4, 6, 9, 11].includes(month)
      ? 30
      : 31;

/** The number written by `count` ASCII digits from `at` (the format was checked before). */
function digitsAt(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) value = value * 10 + text.charCodeAt(i) - 48;
  return value;
}

/** `YYYY-MM-DD` as a day of the calendar: year 1 to 9999 (PostgreSQL has no year 0), a real month and day. */
export function dayProblem(text: string): string | null {
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
    return `no such day: ${text.slice(0, 10)}`;
  return null;
}

/** `HH:MM:SS` from `at` as a time of day: hours 0–23, minutes and seconds 0–59. */
export function timeOfDayProblem(text: string, at = 0): string | null {
  const hour = digitsAt(text, at, 2);
  const minute = digitsAt(text, at + 3, 2);
  const second = digitsAt(text, at + 6, 2);
  return hour > 23 || minute > 59 || second > 59 ? `no such time of day: ${text.slice(at, at + 8)}` : null;
}

/** An offset (`+03:00`, `Z`) as one of the earth's: at most 14 hours from UTC. */
export function offsetProblem(text: string): string | null {
  if (text === 'Z') return null;
  const hours = digitsAt(text, 1, 2);
  const minutes = digitsAt(text, 4, 2);
  return hours > 14 || minutes > 59 || (hours === 14 && minutes > 0) ? `no such UTC offset: ${text}` : null;
}

/**
 * Characters PostgreSQL text cannot hold or that show the text was already damaged: NUL, an
 * unpaired surrogate (not encodable as UTF-8), U+FFFD (what a decoder leaves for bytes it could not
 * read: the text was read in the wrong encoding somewhere before).
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what it looks for
const suspect = /[\u0000\uFFFD\uD800-\uDFFF]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what it looks for
const unstorable = /[\u0000\uFFFD]|\p{Cs}/u;

export function textProblem(text: string): string | null {
  // The cheap test first: a surrogate pair (an emoji) passes the precise one.
  if (!suspect.test(text)) return null;
  const found = unstorable.exec(text);
  if (!found) return null;
  const at = `at character ${found.index + 1}`;
  if (found[0] === '\u0000') return `contains a NUL byte ${at}`;
  if (found[0] === '\uFFFD')
    return `contains U+FFFD ${at}: the text was decoded in the wrong encoding before`;
  return `contains an unpaired surrogate ${at}`;
}

/**
 * A character `dimension.clean_text` keeps (sql/postgres/dimension/normalizers.sql: letters, digits
 * and ordinary punctuation). A required text without one becomes null there and breaks the NOT NULL
 * columns of dimension and bi, so stage refuses it.
 */
const kept = /[\p{L}\p{N}.,;:!?'"«»()/\\№#&+%@_-]/u;
const asciiAlnum = /^[A-Za-z0-9]/;
export const isBlank = (text: string) => !asciiAlnum.test(text) && !kept.test(text);

/** How a rejected value is shown in its reason: short, quoted, control characters escaped. */
export function preview(value: unknown): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid date' : value.toISOString();
  const text = typeof value === 'bigint' ? String(value) : (JSON.stringify(value) ?? String(value));
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}
