import type { WriteBatch } from './records.ts';

/** NUL, and a surrogate without its pair (a lone low one in U+DC80–U+DCFF stands for an undecodable byte). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is what it looks for.
const UNSTORABLE_ALL = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same pattern without `g`, whose `test` keeps no state between calls. */
const UNSTORABLE = new RegExp(UNSTORABLE_ALL.source);

const hex = (code: number, digits: number) => code.toString(16).toUpperCase().padStart(digits, '0');

/**
 * Text PostgreSQL can hold: it refuses NUL in `text` and `jsonb` and unpaired surrogates in `jsonb`,
 * yet an error message or a quarantined row quoting a partner's bytes must be recorded. So NUL is
 * written `\x00`, an undecodable byte `\xC3`, another lone surrogate `\uD83D`.
 */
export function storableText(text: string): string {
  return text.replace(UNSTORABLE_ALL, (char) => {
    const code = char.charCodeAt(0);
    if (code === 0) return '\\x00';
    if (code >= 0xdc80 && code <= 0xdcff) return `\\x${hex(code - 0xdc00, 2)}`;
    return `\\u${hex(code, 4)}`;
  });
}

/** The value with every string in it (keys included) made storable; other values as they are. */
export function storable<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  if (Array.isArray(value)) return value.map(storable) as T;
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) copy[storableText(key)] = storable(item);
  return copy as T;
}

/** Whether any string in the value needs `storable` (the common case, none, costs one scan). */
function needsCleaning(value: unknown): boolean {
  if (typeof value === 'string') return UNSTORABLE.test(value);
  if (value === null || typeof value !== 'object' || value instanceof Date) return false;
  if (Array.isArray(value)) return value.some(needsCleaning);
  return Object.entries(value).some(([key, item]) => needsCleaning(key) || needsCleaning(item));
}

/** The batch, with any record holding unstorable text replaced by a cleaned copy. */
export function storableBatch(batch: WriteBatch): WriteBatch {
  const clean = <T>(rows: T[]): T[] => rows.map((row) => (needsCleaning(row) ? storable(row) : row));
  return {
    runs: clean(batch.runs),
    steps: clean(batch.steps),
    events: clean(batch.events),
    materializations: clean(batch.materializations),
    assetPartitions: clean(batch.assetPartitions),
    checkResults: clean(batch.checkResults),
    releasedLeases: batch.releasedLeases,
  };
}
