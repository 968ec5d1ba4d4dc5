import { distance } from 'fastest-levenshtein';

/** ` (did you mean …?)` naming the closest known names, or nothing. */
export function suggestion(wanted: string, known: Iterable<string>): string {
  const near = nearest(wanted, known);
  return near.length > 0 ? ` (did you mean ${near.map((key) => `"${key}"`).join(', ')}?)` : '';
}

/** Up to three known names closest to `wanted`, close enough to be a plausible typo. */
export function nearest(wanted: string, known: Iterable<string>, limit = 3): string[] {
  const scored: Array<{ key: string; score: number }> = [];
  for (const key of known) {
    const tail = key.slice(key.lastIndexOf('.') + 1);
    const score = Math.min(distance(wanted, key), distance(wanted, tail) + 1);
    if (score <= Math.max(2, Math.floor(wanted.length / 3))) scored.push({ key, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.key.localeCompare(b.key))
    .slice(0, limit)
    .map((entry) => entry.key);
}
