import { SelectionError } from '../errors.ts';
import type { AssetGraph } from './assetGraph.ts';
import { suggestion } from './nearest.ts';

/**
 * Resolves a selection in the spirit of dbt and Dagster to a set of asset keys:
 * `key`, `+key` (and all upstream), `2+key` (upstream two levels), `key+`, `key+1`, `+key+`,
 * `group:stage`, globs such as `stage.*`, and `*`; terms joined by spaces or commas are a union.
 * Where a key is expected, a model's own name (`trips` for `clean.trips`) will do when exactly one
 * asset has it.
 */
export function resolveSelection<R>(graph: AssetGraph<R>, selection: string): Set<string> {
  const terms = selection.split(/[\s,]+/).filter((term) => term.length > 0);
  if (terms.length === 0)
    throw new SelectionError('the selection is empty: give asset keys, group:<name> or *');
  const selected = new Set<string>();
  for (const term of terms) for (const key of resolveTerm(graph, term)) selected.add(key);
  return selected;
}

const termPattern = /^(?:(\d*)\+)?([^+]+?)(?:\+(\d*))?$/;

function resolveTerm<R>(graph: AssetGraph<R>, term: string): Set<string> {
  const match = termPattern.exec(term);
  if (!match) throw new SelectionError(`cannot read selection term "${term}"`);
  const [, upDepth, body = '', downDepth] = match;
  const roots = resolveBody(graph, body, term);
  const result = new Set(roots);
  if (upDepth !== undefined) walk(graph, roots, depth(upDepth), 'up', result);
  if (downDepth !== undefined) walk(graph, roots, depth(downDepth), 'down', result);
  return result;
}

function depth(digits: string): number {
  return digits === '' ? Number.POSITIVE_INFINITY : Number(digits);
}

function resolveBody<R>(graph: AssetGraph<R>, body: string, term: string): string[] {
  if (body.startsWith('group:')) {
    const group = body.slice('group:'.length);
    const keys = graph
      .assets()
      .filter((asset) => asset.group === group)
      .map((asset) => asset.key);
    if (keys.length === 0) {
      throw new SelectionError(`no group "${group}" in "${term}"${suggestion(group, graph.groups())}`);
    }
    return keys;
  }
  if (body.includes('*')) {
    const pattern = new RegExp(`^${body.split('*').map(escapeRegExp).join('.*')}$`);
    const keys = graph.order.filter((key) => pattern.test(key));
    if (keys.length === 0) throw new SelectionError(`no asset matches "${body}"`);
    return keys;
  }
  if (graph.has(body)) return [body];
  return [keyByOwnName(graph, body)];
}

/** The one asset whose key ends in `.<name>`; an unknown or ambiguous name is refused, naming the candidates. */
function keyByOwnName<R>(graph: AssetGraph<R>, name: string): string {
  const candidates = graph.order.filter((key) => ownName(key) === name);
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0)
    throw new SelectionError(`unknown asset "${name}"${suggestion(name, graph.order)}`);
  const listed = candidates
    .sort()
    .map((key) => `"${key}"`)
    .join(', ');
  throw new SelectionError(`"${name}" is the name of several assets: ${listed}; give the full key`);
}

/** What follows the schema: `trips` of `clean.trips`, `b_crm_deal` of `source.crm.b_crm_deal`. */
function ownName(key: string): string {
  return key.slice(key.lastIndexOf('.') + 1);
}

function walk<R>(
  graph: AssetGraph<R>,
  roots: string[],
  maxDepth: number,
  direction: 'up' | 'down',
  into: Set<string>,
) {
  let frontier = roots;
  const seen = new Set(roots);
  for (let level = 0; level < maxDepth && frontier.length > 0; level++) {
    const next: string[] = [];
    for (const key of frontier) {
      const neighbours = direction === 'up' ? graph.upstreamKeys(key) : graph.downstreamKeys(key);
      for (const neighbour of neighbours) {
        if (seen.has(neighbour)) continue;
        seen.add(neighbour);
        into.add(neighbour);
        next.push(neighbour);
      }
    }
    frontier = next;
  }
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
