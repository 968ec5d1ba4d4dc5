/**
 * Drawing the lineage on a canvas, at three levels of detail by zoom: full nodes (glyph, key,
 * subtitle), names only (the table's name at a readable size), and solid blocks of their state's
 * colour. Group titles stay readable at every zoom the picture is usually seen at; a collapsed
 * group is a tile with its count and a bar of its members' states.
 */
import { groupIdOfTile, isTile } from '../../lib/collapse.ts';
import {
  BOX_HEADER,
  type Layout,
  type LayoutNode,
  NODE_HEIGHT,
  NODE_WIDTH,
  TITLE_MAX_FONT,
  titleText,
} from '../../lib/layout.ts';
import { type NodeState, stateStyles } from '../../lib/status.ts';
import type { View } from '../../lib/view.ts';
import { type DrawnLabel, lineageStats } from './stats.ts';
import { fitText } from './text.ts';

/** What a group box shows besides its members. */
export interface BoxSummary {
  collapsed: boolean;
  /** More than one member: a click on the title folds or unfolds it. */
  collapsible: boolean;
  total: number;
  counts: readonly { state: NodeState; count: number }[];
}

export interface DrawProps {
  layout: Layout;
  /** Per drawn key (asset or tile). */
  states: ReadonlyMap<string, NodeState>;
  subtitles: ReadonlyMap<string, string>;
  /** Per box id. */
  boxes: ReadonlyMap<string, BoxSummary>;
  selected: ReadonlySet<string>;
  matches: ReadonlySet<string>;
  /** When set, everything outside it is dimmed (the selection's lineage). */
  related: ReadonlySet<string> | null;
}

export const palette = {
  background: '#f6f7f9',
  boxFill: '#fbfcfd',
  boxStroke: '#d5dbe3',
  boxLabel: '#334155',
  nodeStroke: '#cbd5e1',
  text: '#0f172a',
  subtext: '#64748b',
  edge: 'rgba(100,116,139,0.42)',
  edgeDim: 'rgba(148,163,184,0.14)',
  edgeHot: '#2563eb',
  selection: '#2563eb',
  match: '#f59e0b',
};

/** At or above this zoom, nodes are drawn in full; a 13 px font is at least ~10 px on screen. */
export const FULL_ZOOM = 0.75;
/** Between this and FULL_ZOOM, nodes show their name only, at a readable size; below, blocks. */
export const NAMES_ZOOM = 0.2;
const FONT = '600 13px Inter, "Segoe UI", system-ui, sans-serif';
const SMALL_FONT = '12px Inter, "Segoe UI", system-ui, sans-serif';
const font = (weight: number, px: number) => `${weight} ${px}px Inter, "Segoe UI", system-ui, sans-serif`;
/** Smallest text worth drawing, in screen pixels. */
const MIN_TEXT_PX = 8;

export type Detail = 'full' | 'names' | 'blocks';

export function detailAt(k: number): Detail {
  return k >= FULL_ZOOM ? 'full' : k >= NAMES_ZOOM ? 'names' : 'blocks';
}

/** The graph's font size, in graph pixels, that shows `screenPx` on screen at zoom k, within bounds. */
const sized = (screenPx: number, k: number, min: number, max: number) =>
  Math.min(max, Math.max(min, screenPx / k));

/** `stage.payments` → `payments`; `source.crm.deals` → `deals`. */
const shortName = (key: string) => key.slice(key.lastIndexOf('.') + 1);

/** The graph into `canvas` at `view`; returns whether a running node is in it. */
export function drawScene(
  canvas: HTMLCanvasElement,
  props: DrawProps,
  view: View,
  ratio: number,
  textCache: Map<string, string>,
): boolean {
  const context = canvas.getContext('2d', { alpha: false })!;
  const width = canvas.width / ratio;
  const height = canvas.height / ratio;
  const { layout, states, related } = props;
  const { x, y, k } = view;
  // The drawn labels are measured against the screen: the scene's own margin is off it.
  const labels: DrawnLabel[] = [];

  context.setTransform(1, 0, 0, 1, 0, 0);
  context.fillStyle = palette.background;
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.setTransform(ratio * k, 0, 0, ratio * k, ratio * x, ratio * y);

  // The part of the graph's plane this canvas covers, with a margin.
  const area = {
    left: -x / k - 20,
    top: -y / k - 20,
    right: (width - x) / k + 20,
    bottom: (height - y) / k + 20,
  };
  const detail = detailAt(k);
  const inView = (nx: number, ny: number, w: number, h: number) =>
    nx <= area.right && nx + w >= area.left && ny <= area.bottom && ny + h >= area.top;

  drawBoxes(context, props, k, inView, textCache, labels);
  drawEdges(context, layout, related, k, area);

  let runningInView = false;
  const visible: LayoutNode[] = [];
  for (const node of layout.nodes) {
    if (!inView(node.x, node.y, NODE_WIDTH, NODE_HEIGHT)) continue;
    visible.push(node);
    if (states.get(node.key) === 'running') runningInView = true;
  }
  if (detail === 'blocks') drawBlocks(context, visible, states, related);
  else for (const node of visible) drawNode(context, props, node, k, detail, textCache, labels);
  context.globalAlpha = 1;

  const stats = lineageStats();
  stats.labels = labels.slice(0, 5000);
  stats.detail = detail;
  return runningInView;
}

function drawBoxes(
  context: CanvasRenderingContext2D,
  props: DrawProps,
  k: number,
  inView: (x: number, y: number, w: number, h: number) => boolean,
  textCache: Map<string, string>,
  labels: DrawnLabel[],
) {
  context.lineWidth = 1 / k;
  // The title: ~13 px on screen, within the header band (which caps it when zoomed far out).
  const size = sized(13, k, 13, TITLE_MAX_FONT);
  const titleFont = font(700, size);
  for (const box of props.layout.boxes) {
    if (!inView(box.x, box.y, box.width, box.height)) continue;
    const summary = props.boxes.get(box.id);
    context.fillStyle = palette.boxFill;
    context.strokeStyle = palette.boxStroke;
    context.beginPath();
    context.roundRect(box.x, box.y, box.width, box.height, 10);
    context.fill();
    context.stroke();
    if (size * k < MIN_TEXT_PX) continue;
    const total = summary?.total ?? box.count;
    const marker = summary?.collapsible ? (summary.collapsed ? '▸ ' : '▾ ') : '';
    const title = `${marker}${titleText(box, total).slice(2)}`;
    context.font = titleFont;
    context.fillStyle = palette.boxLabel;
    const text = fitText(context, title, box.width - 24, textCache, titleFont);
    context.fillText(text, box.x + 12, box.y + (BOX_HEADER - 6 + size * 0.7) / 2);
    labels.push({ kind: 'box', of: box.id, text, px: size * k });
    // An unfolded group's states, as a thin bar under its title (a folded one's tile has its own).
    if (summary && !summary.collapsed)
      stateBar(context, summary.counts, box.x + 12, box.y + BOX_HEADER - 7, box.width - 24, 3);
  }
}

function drawEdges(
  context: CanvasRenderingContext2D,
  layout: Layout,
  related: ReadonlySet<string> | null,
  k: number,
  area: { left: number; top: number; right: number; bottom: number },
) {
  // Batched: normal, dimmed (outside the selection's lineage) and highlighted.
  const normal = new Path2D();
  const dim = new Path2D();
  const hot = new Path2D();
  for (const edge of layout.edges) {
    const x1 = edge.from.x + NODE_WIDTH;
    const y1 = edge.from.y + NODE_HEIGHT / 2;
    const x2 = edge.to.x;
    const y2 = edge.to.y + NODE_HEIGHT / 2;
    if (Math.max(x1, x2) < area.left || Math.min(x1, x2) > area.right) continue;
    if (Math.max(y1, y2) < area.top || Math.min(y1, y2) > area.bottom) continue;
    const path = related ? (related.has(edge.from.key) && related.has(edge.to.key) ? hot : dim) : normal;
    const bend = Math.max(40, Math.abs(x2 - x1) / 2);
    path.moveTo(x1, y1);
    path.bezierCurveTo(x1 + bend, y1, x2 - bend, y2, x2, y2);
  }
  // One screen pixel: Chromium's software rasteriser draws so thin a stroke as a hairline, where a
  // 1.2 px one was outlined and filled — 600 ms a close-up redraw of the 10,000-asset graph.
  context.lineWidth = 1 / k;
  context.strokeStyle = palette.edgeDim;
  context.stroke(dim);
  context.strokeStyle = palette.edge;
  context.stroke(normal);
  context.lineWidth = Math.max(1.8, 2 / k);
  context.strokeStyle = palette.edgeHot;
  context.stroke(hot);
}

/** Far out: solid blocks batched by colour (thousands of nodes in a few fills). */
function drawBlocks(
  context: CanvasRenderingContext2D,
  visible: readonly LayoutNode[],
  states: ReadonlyMap<string, NodeState>,
  related: ReadonlySet<string> | null,
) {
  const byColour = new Map<string, Path2D>();
  const faded = new Map<string, Path2D>();
  for (const node of visible) {
    const colour = stateStyles[states.get(node.key) ?? 'never'].colour;
    const bucket = related && !related.has(node.key) ? faded : byColour;
    let path = bucket.get(colour);
    if (!path) {
      path = new Path2D();
      bucket.set(colour, path);
    }
    path.rect(node.x, node.y, NODE_WIDTH, NODE_HEIGHT);
  }
  context.globalAlpha = 0.2;
  for (const [colour, path] of faded) {
    context.fillStyle = colour;
    context.fill(path);
  }
  context.globalAlpha = 1;
  for (const [colour, path] of byColour) {
    context.fillStyle = colour;
    context.fill(path);
  }
}

function drawNode(
  context: CanvasRenderingContext2D,
  props: DrawProps,
  node: LayoutNode,
  k: number,
  detail: 'full' | 'names',
  textCache: Map<string, string>,
  labels: DrawnLabel[],
) {
  const state = props.states.get(node.key) ?? 'never';
  const style = stateStyles[state];
  const tile = isTile(node.key) ? props.boxes.get(groupIdOfTile(node.key)) : undefined;
  context.globalAlpha = props.related && !props.related.has(node.key) ? 0.28 : 1;
  if (tile) {
    // A folded group: a card with another behind it.
    context.fillStyle = palette.boxFill;
    context.strokeStyle = palette.boxStroke;
    context.lineWidth = 1;
    context.beginPath();
    context.roundRect(node.x + 5, node.y + 5, NODE_WIDTH, NODE_HEIGHT, 7);
    context.fill();
    context.stroke();
  }
  context.fillStyle = style.tint;
  context.beginPath();
  context.roundRect(node.x, node.y, NODE_WIDTH, NODE_HEIGHT, 7);
  context.fill();
  context.lineWidth = state === 'running' ? 2 : 1;
  context.strokeStyle = state === 'never' ? palette.nodeStroke : style.colour;
  if (state === 'never') context.setLineDash([4, 3]);
  context.stroke();
  context.setLineDash([]);
  // The state stripe on the left edge.
  context.fillStyle = style.colour;
  context.beginPath();
  context.roundRect(node.x, node.y, 6, NODE_HEIGHT, [7, 0, 0, 7]);
  context.fill();
  if (tile) stateBar(context, tile.counts, node.x + 12, node.y + NODE_HEIGHT - 8, NODE_WIDTH - 22, 4);

  const name = tile ? `${tile.total} assets` : detail === 'names' ? shortName(node.key) : node.key;
  if (detail === 'names') {
    const size = sized(12, k, 13, 30);
    if (size * k < MIN_TEXT_PX) return;
    const nameFont = font(600, size);
    context.font = nameFont;
    context.fillStyle = palette.text;
    const text = fitText(context, name, NODE_WIDTH - 18, textCache, nameFont);
    context.fillText(text, node.x + 12, node.y + (tile ? NODE_HEIGHT - 8 : NODE_HEIGHT) / 2 + size * 0.36);
    labels.push({ kind: tile ? 'tile' : 'node', of: node.key, text, px: size * k });
    return;
  }
  context.font = FONT;
  context.fillStyle = style.colour;
  context.fillText(tile ? '▸' : style.glyph, node.x + 13, node.y + 19);
  context.fillStyle = palette.text;
  const text = fitText(context, name, NODE_WIDTH - 44, textCache, FONT);
  context.fillText(text, node.x + 31, node.y + 19);
  labels.push({ kind: tile ? 'tile' : 'node', of: node.key, text, px: 13 * k });
  context.font = SMALL_FONT;
  context.fillStyle = palette.subtext;
  const subtitle = props.subtitles.get(node.key) ?? style.label;
  context.fillText(
    fitText(context, subtitle, NODE_WIDTH - 24, textCache, SMALL_FONT),
    node.x + 13,
    node.y + (tile ? 33 : 36),
  );
}

/** A bar split by state, each part as long as its share. */
function stateBar(
  context: CanvasRenderingContext2D,
  counts: readonly { state: NodeState; count: number }[],
  x: number,
  y: number,
  width: number,
  height: number,
) {
  const total = counts.reduce((sum, { count }) => sum + count, 0);
  if (total === 0) return;
  let at = x;
  for (const { state, count } of counts) {
    const part = (width * count) / total;
    context.fillStyle = stateStyles[state].colour;
    context.fillRect(at, y, part, height);
    at += part;
  }
}

/** What changes without the graph changing: search matches, the selection, running nodes' moving borders. */
export function drawOverlay(
  context: CanvasRenderingContext2D,
  props: DrawProps,
  view: View,
  size: { width: number; height: number },
  time: number,
) {
  const { layout, states, selected, matches } = props;
  const k = view.k;
  const outline = (keys: ReadonlySet<string>, colour: string, width: number) => {
    if (keys.size === 0) return;
    context.strokeStyle = colour;
    context.lineWidth = Math.max(width, (width * 0.8) / k);
    const path = new Path2D();
    for (const key of keys) {
      const node = layout.byKey.get(key);
      if (!node) continue;
      const pad = 3 + context.lineWidth / 2;
      path.rect(node.x - pad, node.y - pad, NODE_WIDTH + pad * 2, NODE_HEIGHT + pad * 2);
    }
    context.stroke(path);
  };
  outline(matches, palette.match, 2);
  outline(selected, palette.selection, 2.5);
  // Running nodes: a border that moves, so progress is visible at a glance.
  const left = -view.x / k;
  const top = -view.y / k;
  const right = (size.width - view.x) / k;
  const bottom = (size.height - view.y) / k;
  context.setLineDash([8, 6]);
  context.lineDashOffset = -time / 30;
  context.strokeStyle = stateStyles.running.colour;
  context.lineWidth = Math.max(2.5, 2.5 / k);
  const path = new Path2D();
  for (const [key, state] of states) {
    if (state !== 'running') continue;
    const node = layout.byKey.get(key);
    if (
      !node ||
      node.x > right ||
      node.x + NODE_WIDTH < left ||
      node.y > bottom ||
      node.y + NODE_HEIGHT < top
    )
      continue;
    path.rect(node.x - 2, node.y - 2, NODE_WIDTH + 4, NODE_HEIGHT + 4);
  }
  context.stroke(path);
  context.setLineDash([]);
}
