import type { WriteBatch } from './records.ts';

const NUL = /\u0000/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
/** The same patterns without `g`, whose `test` keeps no state between calls. */
const UNSTORABLE = new RegExp(`\\u0000|${LONE_SURROGATE.source}`);

/**
 * Text PostgreSQL can store: it refuses NUL in `text` and `jsonb` and unpaired surrogates in
 * `jsonb`. An error message quoting a partner's bytes must still be recorded, so NUL is written as
 * the visible escape `\0` and an unpaired surrogate as U+FFFD.
 */
export function storableText(text: string): string {
  return text.replace(NUL, '\\0').replace(LONE_SURROGATE, '\uFFFD');
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
