import { useCallback, useMemo, useState } from 'react';
import type { AssetNode } from '../../api/types.ts';
import {
  type CollapsedGraph,
  collapseGraph,
  countsLine,
  defaultCollapsed,
  type Group,
  groupsOf,
  isFolded,
  restrictGroups,
  tileKey,
  worstState,
} from '../../lib/collapse.ts';
import { type NodeState, stateCounts } from '../../lib/status.ts';
import type { BoxSummary } from './draw.ts';

export interface Folding {
  graph: CollapsedGraph;
  groups: ReadonlyMap<string, Group>;
  boxes: ReadonlyMap<string, BoxSummary>;
  /** The drawn keys' states and subtitles: the assets' own, and each tile's from its members. */
  states: ReadonlyMap<string, NodeState>;
  subtitles: ReadonlyMap<string, string>;
  /** Folds (true) or unfolds (false) one group, or every group when `id` is null. */
  setFolded: (id: string | null, folded: boolean) => void;
  toggle: (id: string) => void;
  /** Some group is folded / some group could be. */
  anyFolded: boolean;
  anyFoldable: boolean;
}

/**
 * Which groups of the lineage are folded into tiles: big graphs start folded (see
 * `defaultCollapsed`), and a person's own folding and unfolding is kept over it.
 */
export function useFolding(
  nodes: readonly AssetNode[],
  edges: readonly { from: string; to: string }[],
  shape: string,
  visible: ReadonlySet<string> | null,
  assetStates: ReadonlyMap<string, NodeState>,
  assetSubtitles: ReadonlyMap<string, string>,
): Folding {
  const all = useMemo(() => groupsOf(nodes), [shape]);
  const groups = useMemo(() => restrictGroups(all, visible), [all, visible]);
  const defaults = useMemo(() => defaultCollapsed(groups), [groups]);
  const [overrides, setOverrides] = useState<ReadonlyMap<string, boolean>>(new Map());
  const collapsed = useMemo(() => {
    const set = new Set(defaults);
    for (const [id, folded] of overrides) {
      if (folded) set.add(id);
      else set.delete(id);
    }
    return set;
  }, [defaults, overrides]);
  const graph = useMemo(() => collapseGraph(groups, edges, collapsed), [groups, collapsed, shape]);

  const { boxes, states, subtitles } = useMemo(() => {
    const boxes = new Map<string, BoxSummary>();
    const states = new Map(assetStates);
    const subtitles = new Map(assetSubtitles);
    for (const group of groups.values()) {
      const memberStates = group.members.map((key) => assetStates.get(key) ?? 'never');
      const counts = stateCounts(memberStates);
      const folded = isFolded(group, collapsed);
      boxes.set(group.id, {
        collapsed: folded,
        collapsible: group.members.length > 1,
        total: group.members.length,
        counts,
      });
      if (!folded) continue;
      states.set(tileKey(group.id), worstState(memberStates));
      subtitles.set(tileKey(group.id), countsLine(counts));
    }
    return { boxes, states, subtitles };
  }, [groups, collapsed, assetStates, assetSubtitles]);

  const setFolded = useCallback(
    (id: string | null, folded: boolean) =>
      setOverrides((previous) => {
        if (id === null) return new Map([...groups.keys()].map((key) => [key, folded]));
        return new Map(previous).set(id, folded);
      }),
    [groups],
  );
  const toggle = useCallback((id: string) => setFolded(id, !collapsed.has(id)), [collapsed, setFolded]);
  const foldable = [...groups.values()].filter((group) => group.members.length > 1);
  return {
    graph,
    groups,
    boxes,
    states,
    subtitles,
    setFolded,
    toggle,
    anyFolded: foldable.some((group) => collapsed.has(group.id)),
    anyFoldable: foldable.some((group) => !collapsed.has(group.id)),
  };
}
