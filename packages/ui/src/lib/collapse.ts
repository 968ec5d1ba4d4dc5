/**
 * Collapsible groups of the lineage: a group (one layer's assets of one group, the layout's box)
 * can be drawn as a single tile that counts its assets by state, its edges merged into the tile's.
 * Big graphs start with their biggest groups and every group of external assets collapsed, so the
 * picture at fit-to-screen is a few dozen legible tiles and nodes rather than hundreds of blocks.
 */
import { assignLayers } from './layout.ts';
import { type NodeState, stateStyles } from './status.ts';

export interface Group {
  /** `layer/group`, the same id as the layout's box. */
  id: string;
  layer: string;
  group: string;
  members: string[];
  /** Every member is an external asset (a source, a chart, a dashboard). */
  external: boolean;
}

/** Past this many nodes on screen, the biggest groups collapse until it fits. */
export const COLLAPSE_ABOVE = 40;
/** Groups of externals collapse from this size, whatever the graph's. */
export const EXTERNAL_COLLAPSE_FROM = 4;

const TILE_PREFIX = 'group:';

/** The key of a collapsed group's tile; no asset key starts with `group:` (keys are dotted names). */
export const tileKey = (groupId: string) => `${TILE_PREFIX}${groupId}`;
export const isTile = (key: string) => key.startsWith(TILE_PREFIX);
export const groupIdOfTile = (key: string) => key.slice(TILE_PREFIX.length);

/** The groups of a graph, keyed by id, members in key order. */
export function groupsOf(
  nodes: readonly { key: string; group: string; health: NodeState }[],
): Map<string, Group> {
  const layerOf = assignLayers(nodes);
  const groups = new Map<string, Group>();
  for (const node of [...nodes].sort((a, b) => a.key.localeCompare(b.key))) {
    const layer = layerOf.get(node.key)!;
    const id = `${layer}/${node.group}`;
    let group = groups.get(id);
    if (!group) {
      group = { id, layer, group: node.group, members: [], external: true };
      groups.set(id, group);
    }
    group.members.push(node.key);
    if (node.health !== 'external') group.external = false;
  }
  return groups;
}

/**
 * What starts collapsed: groups of externals from a few members, then the biggest groups (of more
 * than two members) until at most `limit` nodes and tiles are left.
 */
export function defaultCollapsed(groups: ReadonlyMap<string, Group>, limit = COLLAPSE_ABOVE): Set<string> {
  const collapsed = new Set<string>();
  let shown = 0;
  for (const group of groups.values()) {
    if (group.external && group.members.length >= EXTERNAL_COLLAPSE_FROM) {
      collapsed.add(group.id);
      shown += 1;
    } else shown += group.members.length;
  }
  const bySize = [...groups.values()]
    .filter((group) => !collapsed.has(group.id) && group.members.length > 2)
    .sort((a, b) => b.members.length - a.members.length || a.id.localeCompare(b.id));
  for (const group of bySize) {
    if (shown <= limit) break;
    collapsed.add(group.id);
    shown -= group.members.length - 1;
  }
  return collapsed;
}

export interface CollapsedGraph {
  nodes: { key: string; group: string; layer: string }[];
  edges: { from: string; to: string }[];
  /** Asset key → the key it is drawn as (its own, or its group's tile). */
  shownAs: Map<string, string>;
}

/** The groups as far as `visible` goes (a focus), leaving out the ones with nothing in it. */
export function restrictGroups(groups: ReadonlyMap<string, Group>, visible: ReadonlySet<string> | null) {
  if (!visible) return groups;
  const result = new Map<string, Group>();
  for (const group of groups.values()) {
    const members = group.members.filter((key) => visible.has(key));
    if (members.length > 0) result.set(group.id, { ...group, members });
  }
  return result;
}

/** The graph with each collapsed group replaced by its tile; edges between tiles merged. */
export function collapseGraph(
  groups: ReadonlyMap<string, Group>,
  edges: readonly { from: string; to: string }[],
  collapsed: ReadonlySet<string>,
): CollapsedGraph {
  const nodes: CollapsedGraph['nodes'] = [];
  const shownAs = new Map<string, string>();
  for (const group of groups.values()) {
    if (isFolded(group, collapsed)) {
      const tile = tileKey(group.id);
      nodes.push({ key: tile, group: group.group, layer: group.layer });
      for (const key of group.members) shownAs.set(key, tile);
    } else {
      for (const key of group.members) {
        nodes.push({ key, group: group.group, layer: group.layer });
        shownAs.set(key, key);
      }
    }
  }
  const seen = new Set<string>();
  const merged: CollapsedGraph['edges'] = [];
  for (const edge of edges) {
    const from = shownAs.get(edge.from);
    const to = shownAs.get(edge.to);
    if (!from || !to || from === to) continue;
    const id = `${from}\u0000${to}`;
    if (seen.has(id)) continue;
    seen.add(id);
    merged.push({ from, to });
  }
  return { nodes, edges: merged, shownAs };
}

/** A group is drawn as a tile when it is collapsed and holds more than one asset. */
export const isFolded = (group: Group, collapsed: ReadonlySet<string>) =>
  collapsed.has(group.id) && group.members.length > 1;

/** A tile's state: the one needing most attention among its members. */
export function worstState(states: Iterable<NodeState>): NodeState {
  let worst: NodeState = 'external';
  for (const state of states) if (stateStyles[state].rank < stateStyles[worst].rank) worst = state;
  return worst;
}

/** "20 fresh · 6 stale · 2 failed": a tile's second line. */
export function countsLine(counts: readonly { state: NodeState; count: number }[]): string {
  return counts
    .map(
      ({ state, count }) =>
        `${count} ${state === 'never' ? 'never run' : stateStyles[state].label.toLowerCase()}`,
    )
    .join(' · ');
}
