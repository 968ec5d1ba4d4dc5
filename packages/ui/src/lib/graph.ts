/** Walks of the asset graph: what feeds an asset, what it feeds, and search. */

export interface Adjacency {
  upstream: Map<string, string[]>;
  downstream: Map<string, string[]>;
}

export function adjacency(keys: Iterable<string>, edges: readonly { from: string; to: string }[]): Adjacency {
  const upstream = new Map<string, string[]>();
  const downstream = new Map<string, string[]>();
  for (const key of keys) {
    upstream.set(key, []);
    downstream.set(key, []);
  }
  for (const { from, to } of edges) {
    upstream.get(to)?.push(from);
    downstream.get(from)?.push(to);
  }
  return { upstream, downstream };
}

/** Every key reachable from `start` along `next` (not including `start`), up to `depth` hops. */
export function reachable(
  start: Iterable<string>,
  next: Map<string, string[]>,
  depth = Number.POSITIVE_INFINITY,
): Set<string> {
  const seen = new Set<string>();
  let frontier = [...start];
  const origin = new Set(frontier);
  for (let hop = 0; hop < depth && frontier.length > 0; hop++) {
    const following: string[] = [];
    for (const key of frontier) {
      for (const other of next.get(key) ?? []) {
        if (seen.has(other) || origin.has(other)) continue;
        seen.add(other);
        following.push(other);
      }
    }
    frontier = following;
  }
  return seen;
}

export type FocusDirection = 'both' | 'upstream' | 'downstream';

/** The assets shown when focusing on some: themselves with their upstream and/or downstream. */
export function focusSet(keys: readonly string[], graph: Adjacency, direction: FocusDirection): Set<string> {
  const result = new Set(keys);
  if (direction !== 'downstream') for (const key of reachable(keys, graph.upstream)) result.add(key);
  if (direction !== 'upstream') for (const key of reachable(keys, graph.downstream)) result.add(key);
  return result;
}

/**
 * Search over keys, groups and descriptions: every word of the query must appear; matches on the
 * key rank first, then shorter keys.
 */
export function searchAssets<T extends { key: string; group: string; description: string }>(
  nodes: readonly T[],
  query: string,
): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return [];
  const scored: { node: T; score: number }[] = [];
  for (const node of nodes) {
    const key = node.key.toLowerCase();
    const text = `${key} ${node.group.toLowerCase()} ${node.description.toLowerCase()}`;
    if (!words.every((word) => text.includes(word))) continue;
    const onKey = words.filter((word) => key.includes(word)).length;
    const exact = key === query.trim().toLowerCase() ? 100 : 0;
    scored.push({ node, score: exact + onKey * 10 - key.length / 100 });
  }
  return scored.sort((a, b) => b.score - a.score || a.node.key.localeCompare(b.node.key)).map((s) => s.node);
}
