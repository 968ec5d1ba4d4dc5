/**
 * The lineage layout: layers left to right (sources → stage → dimension → bi → marts), a box per
 * group inside its layer, columns inside a box by depth within the box, long columns wrapped, and
 * the order inside each column chosen by barycentre sweeps to cut edge crossings. Pure and linear
 * enough to lay out thousands of assets in a few milliseconds.
 */

export interface LayoutInput {
  /** `layer` when the caller has assigned layers already (a collapsed graph's tiles have no dotted key). */
  nodes: readonly { key: string; group: string; layer?: string }[];
  edges: readonly { from: string; to: string }[];
}

export interface LayoutNode {
  key: string;
  group: string;
  layer: string;
  x: number;
  y: number;
}

export interface LayoutBox {
  id: string;
  layer: string;
  group: string;
  label: string;
  x: number;
  y: number;
  width: number;
  height: number;
  count: number;
}

export interface LayoutEdge {
  from: LayoutNode;
  to: LayoutNode;
}

export interface Layout {
  nodes: LayoutNode[];
  byKey: Map<string, LayoutNode>;
  edges: LayoutEdge[];
  boxes: LayoutBox[];
  layers: string[];
  width: number;
  height: number;
}

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 46;
const ROW_GAP = 12;
const COLUMN_GAP = 56;
const BOX_PADDING = 16;
/** The band at the top of a group box that holds its title (and, clicked, collapses or expands it). */
export const BOX_HEADER = 40;
/** The largest a box's title is drawn, in graph pixels (far out, to stay ~13 px on screen). */
export const TITLE_MAX_FONT = 24;
const BOX_GAP = 36;
const LAYER_GAP = 72;

/** The warehouse's layers in data-flow order; layers not named here are placed by the edges. */
export const canonicalLayers = [
  'source',
  'sources',
  'raw',
  'landing',
  'stage',
  'staging',
  'clean',
  'dimension',
  'dimensions',
  'dim',
  'core',
  'bi',
  'fact',
  'facts',
  'report',
  'reports',
  'mart',
  'marts',
  'chart',
  'charts',
  'dashboard',
  'dashboards',
];

/** `stage.payments` → `stage`; `source.crm.deals` → `source`; a key without a dot → its group. */
export function layerOfKey(key: string, group: string): string {
  const dot = key.indexOf('.');
  return dot > 0 ? key.slice(0, dot) : group;
}

/**
 * Layers by key prefix; when every key shares one prefix (a location with a single schema), the
 * groups are the layers instead, so the picture still reads left to right.
 */
export function assignLayers(nodes: readonly { key: string; group: string }[]): Map<string, string> {
  const byPrefix = new Map(nodes.map((node) => [node.key, layerOfKey(node.key, node.group)]));
  if (new Set(byPrefix.values()).size > 1 || nodes.length === 0) return byPrefix;
  return new Map(nodes.map((node) => [node.key, node.group]));
}

/** Longest path from a root, per node (Kahn's algorithm; nodes on a cycle keep what they reached). */
export function depths(keys: readonly string[], edges: readonly { from: string; to: string }[]) {
  const depth = new Map(keys.map((key) => [key, 0]));
  const indegree = new Map(keys.map((key) => [key, 0]));
  const out = new Map<string, string[]>(keys.map((key) => [key, []]));
  for (const { from, to } of edges) {
    if (!depth.has(from) || !depth.has(to) || from === to) continue;
    out.get(from)!.push(to);
    indegree.set(to, indegree.get(to)! + 1);
  }
  const queue = keys.filter((key) => indegree.get(key) === 0);
  for (let i = 0; i < queue.length; i++) {
    const key = queue[i]!;
    const next = depth.get(key)! + 1;
    for (const target of out.get(key)!) {
      if (depth.get(target)! < next) depth.set(target, next);
      const left = indegree.get(target)! - 1;
      indegree.set(target, left);
      if (left === 0) queue.push(target);
    }
  }
  return depth;
}

/** Layers in data-flow order: a topological order of the layer graph, ties by the canonical order. */
export function orderLayers(
  layerOf: Map<string, string>,
  edges: readonly { from: string; to: string }[],
  nodeDepth: Map<string, number>,
): string[] {
  const totals = new Map<string, { sum: number; count: number }>();
  for (const [key, layer] of layerOf) {
    const total = totals.get(layer) ?? { sum: 0, count: 0 };
    total.sum += nodeDepth.get(key) ?? 0;
    total.count++;
    totals.set(layer, total);
  }
  const layers = [...totals.keys()];
  const meanDepth = new Map([...totals].map(([layer, { sum, count }]) => [layer, sum / count]));
  const priority = (layer: string) => {
    const canonical = canonicalLayers.indexOf(layer);
    return [canonical === -1 ? Number.POSITIVE_INFINITY : canonical, meanDepth.get(layer)!] as const;
  };
  const before = (a: string, b: string) => {
    const [ca, da] = priority(a);
    const [cb, db] = priority(b);
    if (ca !== cb && ca !== Number.POSITIVE_INFINITY && cb !== Number.POSITIVE_INFINITY) return ca - cb;
    if (da !== db) return da - db;
    if (ca !== cb) return ca - cb;
    return a.localeCompare(b);
  };
  const upstream = new Map(layers.map((layer) => [layer, new Set<string>()]));
  for (const { from, to } of edges) {
    const a = layerOf.get(from);
    const b = layerOf.get(to);
    if (a && b && a !== b) upstream.get(b)!.add(a);
  }
  const placed = new Set<string>();
  const order: string[] = [];
  while (order.length < layers.length) {
    const remaining = layers.filter((layer) => !placed.has(layer)).sort(before);
    const ready = remaining.find((layer) => [...upstream.get(layer)!].every((up) => placed.has(up)));
    const next = ready ?? remaining[0]!; // a cycle between layers: break it at the earliest layer
    placed.add(next);
    order.push(next);
  }
  return order;
}

interface Box {
  layer: string;
  group: string;
  /** Depth levels inside the box, each a list of node keys in display order. */
  levels: string[][];
  x: number;
  y: number;
  width: number;
  height: number;
}

/** How many nodes one column holds before it wraps into the next: keeps big graphs roughly wide. */
export function rowsPerColumn(count: number): number {
  return Math.min(80, Math.max(12, Math.ceil(Math.sqrt(count) * 1.5)));
}

export function layoutGraph(input: LayoutInput): Layout {
  const keys = input.nodes.map((node) => node.key);
  const known = new Set(keys);
  const edges = input.edges.filter((edge) => known.has(edge.from) && known.has(edge.to));
  const groupOf = new Map(input.nodes.map((node) => [node.key, node.group]));
  const layerOf = input.nodes.every((node) => node.layer !== undefined)
    ? new Map(input.nodes.map((node) => [node.key, node.layer!]))
    : assignLayers(input.nodes);
  const nodeDepth = depths(keys, edges);
  const layers = orderLayers(layerOf, edges, nodeDepth);
  const maxRows = rowsPerColumn(keys.length);

  const upstreamOf = new Map<string, string[]>(keys.map((key) => [key, []]));
  const downstreamOf = new Map<string, string[]>(keys.map((key) => [key, []]));
  for (const { from, to } of edges) {
    upstreamOf.get(to)!.push(from);
    downstreamOf.get(from)!.push(to);
  }

  // Boxes: one per (layer, group), each with levels by depth inside the box.
  const boxOf = new Map(keys.map((key) => [key, `${layerOf.get(key)}\u0000${groupOf.get(key)}`]));
  const boxKey = (key: string) => boxOf.get(key)!;
  const members = new Map<string, string[]>();
  for (const key of [...keys].sort()) {
    const id = boxKey(key);
    if (!members.has(id)) members.set(id, []);
    members.get(id)!.push(key);
  }
  const edgesInBox = new Map<string, { from: string; to: string }[]>();
  for (const edge of edges) {
    const id = boxKey(edge.from);
    if (id !== boxKey(edge.to)) continue;
    if (!edgesInBox.has(id)) edgesInBox.set(id, []);
    edgesInBox.get(id)!.push(edge);
  }
  const boxesByLayer = new Map<string, Box[]>(layers.map((layer) => [layer, []]));
  for (const [id, inBox] of members) {
    const local = depths(inBox, edgesInBox.get(id) ?? []);
    const levels: string[][] = [];
    for (const key of inBox) {
      const level = local.get(key)!;
      while (levels.length <= level) levels.push([]);
      levels[level]!.push(key);
    }
    const first = inBox[0]!;
    boxesByLayer.get(layerOf.get(first)!)!.push({
      layer: layerOf.get(first)!,
      group: groupOf.get(first)!,
      levels: levels.filter((level) => level.length > 0),
      x: 0,
      y: 0,
      width: 0,
      height: 0,
    });
  }

  // A box is at least as wide as its title at the largest size it is drawn at.
  const titleWidth = (box: Box) => BOX_PADDING * 2 + titleText(box).length * TITLE_MAX_FONT * 0.62;
  const position = new Map<string, { x: number; y: number }>(keys.map((key) => [key, { x: 0, y: 0 }]));
  const columnsOf = (box: Box) =>
    box.levels.reduce((sum, level) => sum + Math.ceil(level.length / maxRows), 0);
  const rowsOf = (box: Box) => Math.min(maxRows, Math.max(...box.levels.map((level) => level.length)));

  const place = () => {
    let x = 0;
    const heights: number[] = [];
    for (const layer of layers) {
      const boxes = boxesByLayer.get(layer)!;
      const columns = Math.max(...boxes.map(columnsOf));
      const width = Math.max(
        BOX_PADDING * 2 + columns * NODE_WIDTH + (columns - 1) * COLUMN_GAP,
        ...boxes.map(titleWidth),
      );
      let y = 0;
      for (const box of boxes) {
        box.x = x;
        box.y = y;
        box.width = width;
        const rows = rowsOf(box);
        box.height = BOX_HEADER + BOX_PADDING + rows * NODE_HEIGHT + (rows - 1) * ROW_GAP;
        let column = 0;
        for (const level of box.levels) {
          for (let i = 0; i < level.length; i++) {
            const p = position.get(level[i]!)!;
            p.x = x + BOX_PADDING + (column + Math.floor(i / maxRows)) * (NODE_WIDTH + COLUMN_GAP);
            p.y = y + BOX_HEADER + (i % maxRows) * (NODE_HEIGHT + ROW_GAP);
          }
          column += Math.ceil(level.length / maxRows);
        }
        y += box.height + BOX_GAP;
      }
      heights.push(y - BOX_GAP);
      x += width + LAYER_GAP;
    }
    // Centre each layer's stack of boxes vertically against the tallest.
    const tallest = Math.max(0, ...heights);
    layers.forEach((layer, index) => {
      const shift = (tallest - heights[index]!) / 2;
      if (shift === 0) return;
      for (const box of boxesByLayer.get(layer)!) {
        box.y += shift;
        for (const level of box.levels) for (const key of level) position.get(key)!.y += shift;
      }
    });
    return { width: Math.max(0, x - LAYER_GAP), height: tallest };
  };

  let size = place();
  // Barycentre sweeps: down (by upstream positions), then up (by downstream), twice.
  const sweeps: ('down' | 'up')[] = ['down', 'up', 'down', 'up'];
  for (const direction of sweeps) {
    const neighbours = direction === 'down' ? upstreamOf : downstreamOf;
    const order = direction === 'down' ? layers : [...layers].reverse();
    for (const layer of order) {
      const barycentre = new Map<string, number>();
      for (const box of boxesByLayer.get(layer)!) {
        for (const level of box.levels) {
          for (const key of level) {
            const around = neighbours.get(key)!;
            if (around.length === 0) {
              barycentre.set(key, position.get(key)!.y);
              continue;
            }
            let sum = 0;
            for (const other of around) sum += position.get(other)!.y;
            barycentre.set(key, sum / around.length);
          }
          level.sort((a, b) => barycentre.get(a)! - barycentre.get(b)! || byCodeUnits(a, b));
        }
      }
      const mean = (box: Box) => {
        let sum = 0;
        let count = 0;
        for (const level of box.levels) {
          for (const key of level) {
            sum += barycentre.get(key)!;
            count++;
          }
        }
        return sum / count;
      };
      const boxes = boxesByLayer.get(layer)!;
      const means = new Map(boxes.map((box) => [box, mean(box)]));
      boxes.sort((a, b) => means.get(a)! - means.get(b)! || a.group.localeCompare(b.group));
      size = place();
    }
  }

  const nodes: LayoutNode[] = input.nodes.map((node) => ({
    key: node.key,
    group: node.group,
    layer: layerOf.get(node.key)!,
    x: position.get(node.key)!.x,
    y: position.get(node.key)!.y,
  }));
  const byKey = new Map(nodes.map((node) => [node.key, node]));
  const boxes: LayoutBox[] = layers.flatMap((layer) =>
    boxesByLayer.get(layer)!.map((box) => ({
      id: `${box.layer}/${box.group}`,
      layer: box.layer,
      group: box.group,
      label: boxLabel(box),
      x: box.x,
      y: box.y,
      width: box.width,
      height: box.height,
      count: box.levels.reduce((sum, level) => sum + level.length, 0),
    })),
  );
  return {
    nodes,
    byKey,
    edges: edges.map((edge) => ({ from: byKey.get(edge.from)!, to: byKey.get(edge.to)! })),
    boxes,
    layers,
    width: size.width,
    height: size.height,
  };
}

/** A tie-break that only has to be stable: code units, not the locale's collation (10× cheaper). */
const byCodeUnits = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const boxLabel = (box: { layer: string; group: string }) =>
  sameName(box.group, box.layer) ? box.layer : `${box.layer} · ${box.group}`;

/** What a box's title says: `▾ stage · payments · 28` (the marker when it folds). */
export function titleText(
  box: { layer: string; group: string; levels?: string[][] },
  count?: number,
): string {
  const total = count ?? box.levels?.reduce((sum, level) => sum + level.length, 0) ?? 0;
  return `▾ ${boxLabel(box)} · ${total}`;
}

/** `mart` and `marts` name one thing: a box titled by both would say it twice. */
function sameName(a: string, b: string): boolean {
  return a === b || a === `${b}s` || b === `${a}s`;
}

/** The group box whose title band is under a point, if any. */
export function boxHeaderAt(layout: Layout, x: number, y: number): LayoutBox | null {
  for (const box of layout.boxes) {
    if (x >= box.x && x <= box.x + box.width && y >= box.y && y <= box.y + BOX_HEADER) return box;
  }
  return null;
}

/** The node under a point of the graph's plane, if any. */
export function nodeAt(layout: Layout, x: number, y: number): LayoutNode | null {
  for (const node of layout.nodes) {
    if (x >= node.x && x <= node.x + NODE_WIDTH && y >= node.y && y <= node.y + NODE_HEIGHT) return node;
  }
  return null;
}
