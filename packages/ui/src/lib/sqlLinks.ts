/** A piece of SQL text: plain text, or one of the keys as it is written there. */
export interface SqlPiece {
  text: string;
  key: string | null;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Splits SQL text at the occurrences of asset keys, found in the text rather than parsed from the
 * SQL: a key counts where it is not part of a longer name (`raw.trips` neither in `raw.trips_old`
 * nor in `x.raw.trips` nor before `.column`), in any case, the longest key first where keys overlap.
 */
export function splitAtKeys(text: string, keys: readonly string[]): SqlPiece[] {
  const known = [...new Set(keys)].sort((a, b) => b.length - a.length);
  if (known.length === 0 || text === '') return text === '' ? [] : [{ text, key: null }];
  const byLowerCase = new Map(known.map((key) => [key.toLowerCase(), key]));
  const pattern = new RegExp(`(?<![\\w$."])(?:${known.map(escapeRegExp).join('|')})(?![\\w$"]|\\.\\w)`, 'gi');
  const pieces: SqlPiece[] = [];
  let at = 0;
  for (const match of text.matchAll(pattern)) {
    if (match.index > at) pieces.push({ text: text.slice(at, match.index), key: null });
    pieces.push({ text: match[0], key: byLowerCase.get(match[0].toLowerCase()) ?? null });
    at = match.index + match[0].length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), key: null });
  return pieces;
}
