import { describe, expect, it } from 'vitest';
import {
  COLLAPSE_ABOVE,
  collapseGraph,
  countsLine,
  defaultCollapsed,
  groupsOf,
  restrictGroups,
  tileKey,
  worstState,
} from '../src/lib/collapse.ts';
import { layoutGraph } from '../src/lib/layout.ts';
import type { NodeState } from '../src/lib/status.ts';

type Node = { key: string; group: string; health: NodeState };

/** `count` assets `<layer>.<prefix><i>` of one group. */
const many = (layer: string, group: string, count: number, health: NodeState = 'fresh'): Node[] =>
  Array.from({ length: count }, (_, i) => ({ key: `${layer}.${group}_${i}`, group, health }));

/** The payments warehouse's shape: 71 assets in five layers, 330 external sources and charts. */
const warehouse: Node[] = [
  ...many('source', 'sources', 27, 'external'),
  ...many('stage', 'stage', 28),
  ...many('dimension', 'dimension', 7),
  ...many('bi', 'bi', 18, 'stale'),
  ...many('mart', 'marts', 17),
  { key: 'maintenance.vacuum', group: 'maintenance', health: 'never' },
  ...many('chart', 'dashboards', 275, 'external'),
  ...many('dashboard', 'dashboards', 26, 'external'),
];

describe('folding the lineage', () => {
  it('groups assets by layer and group, external when every member is', () => {
    const groups = groupsOf([
      { key: 'stage.a', group: 'stage', health: 'fresh' },
      { key: 'stage.b', group: 'stage', health: 'external' },
      { key: 'source.crm.x', group: 'sources', health: 'external' },
    ]);
    expect([...groups.keys()]).toEqual(['source/sources', 'stage/stage']);
    expect(groups.get('source/sources')).toMatchObject({ external: true, members: ['source.crm.x'] });
    expect(groups.get('stage/stage')).toMatchObject({ external: false, members: ['stage.a', 'stage.b'] });
  });

  it('leaves a small graph as it is', () => {
    const groups = groupsOf([
      ...many('raw', 'raw', 2),
      ...many('clean', 'clean', 1),
      ...many('report', 'report', 3),
    ]);
    expect(defaultCollapsed(groups).size).toBe(0);
  });

  it('folds the externals and then the biggest groups of a big graph, until it fits', () => {
    const groups = groupsOf(warehouse);
    const folded = defaultCollapsed(groups);
    // Every group of externals, whatever the graph's size.
    for (const id of ['source/sources', 'chart/dashboards', 'dashboard/dashboards'])
      expect(folded.has(id)).toBe(true);
    // 71 assets + 3 tiles = 74 > 40: stage (28) folds first, then bi (18): 30 left.
    expect(folded.has('stage/stage')).toBe(true);
    expect(folded.has('bi/bi')).toBe(true);
    expect(folded.has('mart/marts')).toBe(false);
    const graph = collapseGraph(groups, [], folded);
    expect(graph.nodes.length).toBeLessThanOrEqual(COLLAPSE_ABOVE);
    expect(graph.nodes.length).toBe(1 + 1 + 7 + 1 + 17 + 1 + 1 + 1);
  });

  it('merges the edges of a folded group into its tile, once each, with none inside it', () => {
    const nodes = [...many('stage', 'stage', 3), ...many('mart', 'marts', 2)];
    const edges = [
      { from: 'stage.stage_0', to: 'stage.stage_1' },
      { from: 'stage.stage_0', to: 'mart.marts_0' },
      { from: 'stage.stage_1', to: 'mart.marts_0' },
      { from: 'stage.stage_2', to: 'mart.marts_1' },
    ];
    const graph = collapseGraph(groupsOf(nodes), edges, new Set(['stage/stage']));
    const tile = tileKey('stage/stage');
    expect(graph.edges).toEqual([
      { from: tile, to: 'mart.marts_0' },
      { from: tile, to: 'mart.marts_1' },
    ]);
    expect(graph.shownAs.get('stage.stage_2')).toBe(tile);
    expect(graph.shownAs.get('mart.marts_1')).toBe('mart.marts_1');
    // The tile keeps its members' layer, so the layout still reads stage → mart.
    const layout = layoutGraph(graph);
    expect(layout.layers).toEqual(['stage', 'mart']);
    expect(layout.byKey.get(tile)!.x).toBeLessThan(layout.byKey.get('mart.marts_0')!.x);
  });

  it('does not fold a group of one, and keeps only what a focus shows', () => {
    const groups = groupsOf([...many('stage', 'stage', 3), ...many('mart', 'marts', 1)]);
    const focused = restrictGroups(groups, new Set(['stage.stage_0', 'mart.marts_0']));
    const graph = collapseGraph(focused, [], new Set(['stage/stage', 'mart/marts']));
    expect(graph.nodes.map((node) => node.key)).toEqual(['mart.marts_0', 'stage.stage_0']);
  });

  it("shows a tile in its most urgent member's state, with its counts", () => {
    expect(worstState(['fresh', 'stale', 'failed', 'never'])).toBe('failed');
    expect(worstState(['fresh', 'never'])).toBe('never');
    expect(worstState(['external', 'external'])).toBe('external');
    expect(
      countsLine([
        { state: 'failed', count: 2 },
        { state: 'never', count: 1 },
        { state: 'fresh', count: 20 },
      ]),
    ).toBe('2 failed · 1 never run · 20 fresh');
  });
});
