import { describe, expect, it } from 'vitest';
import {
  assignLayers,
  depths,
  layoutGraph,
  NODE_HEIGHT,
  NODE_WIDTH,
  nodeAt,
  orderLayers,
  rowsPerColumn,
} from '../src/lib/layout.ts';

const bikes = {
  nodes: [
    { key: 'report.station_ranking', group: 'report' },
    { key: 'raw.trips', group: 'raw' },
    { key: 'clean.trips', group: 'clean' },
    { key: 'report.station_daily', group: 'report' },
    { key: 'raw.stations', group: 'raw' },
    { key: 'report.district_weekly', group: 'report' },
  ],
  edges: [
    { from: 'raw.trips', to: 'clean.trips' },
    { from: 'raw.stations', to: 'clean.trips' },
    { from: 'clean.trips', to: 'report.station_daily' },
    { from: 'report.station_daily', to: 'report.district_weekly' },
    { from: 'report.station_daily', to: 'report.station_ranking' },
  ],
};

const overlaps = (a: { x: number; y: number }, b: { x: number; y: number }) =>
  a.x < b.x + NODE_WIDTH && b.x < a.x + NODE_WIDTH && a.y < b.y + NODE_HEIGHT && b.y < a.y + NODE_HEIGHT;

describe('lineage layout', () => {
  it('orders the warehouse layers by data flow, whatever order the nodes come in', () => {
    const nodes = ['mart.a', 'bi.a', 'stage.a', 'dimension.a', 'source.crm.a'].map((key) => ({
      key,
      group: 'g',
    }));
    const edges = [
      { from: 'source.crm.a', to: 'stage.a' },
      { from: 'stage.a', to: 'dimension.a' },
      { from: 'dimension.a', to: 'bi.a' },
      { from: 'bi.a', to: 'mart.a' },
    ];
    expect(layoutGraph({ nodes, edges }).layers).toEqual(['source', 'stage', 'dimension', 'bi', 'mart']);
  });

  it('places unknown layers by their edges, and breaks a cycle between layers', () => {
    const layerOf = new Map([
      ['zeta.a', 'zeta'],
      ['alpha.b', 'alpha'],
      ['mid.c', 'mid'],
    ]);
    const edges = [
      { from: 'zeta.a', to: 'mid.c' },
      { from: 'mid.c', to: 'alpha.b' },
    ];
    const keys = [...layerOf.keys()];
    expect(orderLayers(layerOf, edges, depths(keys, edges))).toEqual(['zeta', 'mid', 'alpha']);
    const cyclic = [...edges, { from: 'alpha.b', to: 'zeta.a' }];
    expect(orderLayers(layerOf, cyclic, depths(keys, cyclic))).toHaveLength(3);
  });

  it('uses the groups as layers when every key shares one prefix', () => {
    const layers = assignLayers([
      { key: 'bench.a1', group: 'layer_0' },
      { key: 'bench.a2', group: 'layer_1' },
    ]);
    expect([...layers.values()]).toEqual(['layer_0', 'layer_1']);
    expect(
      assignLayers([
        { key: 'stage.x', group: 'payments' },
        { key: 'bi.y', group: 'payments' },
      ]).get('bi.y'),
    ).toBe('bi');
  });

  it('lays the bikes example out left to right, boxed by group, columns by depth inside a group', () => {
    const layout = layoutGraph(bikes);
    expect(layout.layers).toEqual(['raw', 'clean', 'report']);
    const x = (key: string) => layout.byKey.get(key)!.x;
    expect(x('raw.trips')).toBe(x('raw.stations'));
    expect(x('raw.trips')).toBeLessThan(x('clean.trips'));
    expect(x('clean.trips')).toBeLessThan(x('report.station_daily'));
    // Inside the report box, what reads station_daily stands right of it.
    expect(x('report.station_daily')).toBeLessThan(x('report.district_weekly'));
    expect(x('report.district_weekly')).toBe(x('report.station_ranking'));
    for (const node of layout.nodes) {
      const box = layout.boxes.find((candidate) => candidate.group === node.group)!;
      expect(node.x).toBeGreaterThanOrEqual(box.x);
      expect(node.x + NODE_WIDTH).toBeLessThanOrEqual(box.x + box.width);
      expect(node.y).toBeGreaterThanOrEqual(box.y);
      expect(node.y + NODE_HEIGHT).toBeLessThanOrEqual(box.y + box.height);
    }
    expect(layout.boxes.map((box) => [box.label, box.count])).toEqual([
      ['raw', 2],
      ['clean', 1],
      ['report', 3],
    ]);
    expect(layout.edges).toHaveLength(5);
  });

  it('is deterministic and never overlaps two nodes, with several groups in one layer', () => {
    const nodes = [];
    const edges = [];
    for (let i = 0; i < 40; i++) {
      nodes.push({ key: `stage.t${i}`, group: i % 2 ? 'crm' : 'payments' });
      nodes.push({ key: `bi.f${i}`, group: 'bi' });
      edges.push({ from: `stage.t${i}`, to: `bi.f${i}` }, { from: `stage.t${(i * 7) % 40}`, to: `bi.f${i}` });
    }
    const first = layoutGraph({ nodes, edges });
    const second = layoutGraph({ nodes: [...nodes].reverse(), edges });
    for (const node of first.nodes)
      expect(second.byKey.get(node.key)).toMatchObject({ x: node.x, y: node.y });
    for (let i = 0; i < first.nodes.length; i++) {
      for (let j = i + 1; j < first.nodes.length; j++) {
        expect(overlaps(first.nodes[i]!, first.nodes[j]!)).toBe(false);
      }
    }
    expect(
      first.boxes
        .filter((box) => box.layer === 'stage')
        .map((box) => box.group)
        .sort(),
    ).toEqual(['crm', 'payments']);
  });

  it('reduces crossings: a node sits level with what it reads', () => {
    // Two chains that start in the opposite order: barycentre sweeps straighten them.
    const nodes = [
      { key: 'stage.a', group: 'stage' },
      { key: 'stage.b', group: 'stage' },
      { key: 'bi.z_from_a', group: 'bi' },
      { key: 'bi.a_from_b', group: 'bi' },
    ];
    const edges = [
      { from: 'stage.a', to: 'bi.z_from_a' },
      { from: 'stage.b', to: 'bi.a_from_b' },
    ];
    const layout = layoutGraph({ nodes, edges });
    const y = (key: string) => layout.byKey.get(key)!.y;
    expect(Math.sign(y('stage.a') - y('stage.b'))).toBe(Math.sign(y('bi.z_from_a') - y('bi.a_from_b')));
  });

  it('wraps long columns and lays out 2,000 assets quickly', () => {
    const nodes = [];
    const edges = [];
    const layers = ['source', 'stage', 'dimension', 'bi', 'mart'];
    for (let i = 0; i < 2000; i++) {
      const layer = Math.floor(i / 400);
      nodes.push({ key: `${layers[layer]}.t${i}`, group: `${layers[layer]}` });
      if (layer > 0)
        edges.push({
          from: `${layers[layer - 1]}.t${i - 400 + ((i * 13) % 400) - (i % 400)}`,
          to: `${layers[layer]}.t${i}`,
        });
    }
    const started = performance.now();
    const layout = layoutGraph({ nodes, edges });
    const elapsed = performance.now() - started;
    expect(layout.nodes).toHaveLength(2000);
    expect(elapsed).toBeLessThan(1000);
    const rows = rowsPerColumn(2000);
    const columnsOfStage = new Set(layout.nodes.filter((n) => n.layer === 'stage').map((n) => n.x));
    expect(columnsOfStage.size).toBe(Math.ceil(400 / rows));
    expect(layout.width / layout.height).toBeLessThan(8);
  });

  it('finds the node under a point', () => {
    const layout = layoutGraph(bikes);
    const clean = layout.byKey.get('clean.trips')!;
    expect(nodeAt(layout, clean.x + 5, clean.y + 5)?.key).toBe('clean.trips');
    expect(nodeAt(layout, clean.x - 5, clean.y - 5)).toBeNull();
  });
});
