/**
 * The vocabulary of the architecture diagram: boxes, arrows, palette, text metrics and the helpers
 * that place boxes, shared by the draw.io writer and the SVG renderer so both draw the same picture.
 */

export type Palette =
  | 'source'
  | 'engine'
  | 'postgres'
  | 'stage'
  | 'dimension'
  | 'bi'
  | 'quarantine'
  | 'maintenance'
  | 'clickhouse'
  | 'mart'
  | 'insight'
  | 'superset'
  | 'dashboard'
  | 'legend';

export const COLOURS: Record<Palette, { fill: string; stroke: string }> = {
  source: { fill: '#f5f5f5', stroke: '#666666' },
  engine: { fill: '#e1d5e7', stroke: '#9673a6' },
  postgres: { fill: '#f1f6fb', stroke: '#336791' },
  stage: { fill: '#fff2cc', stroke: '#d6b656' },
  dimension: { fill: '#ffe6cc', stroke: '#d79b00' },
  bi: { fill: '#d5e8d4', stroke: '#82b366' },
  quarantine: { fill: '#f8cecc', stroke: '#b85450' },
  maintenance: { fill: '#eeeeee', stroke: '#999999' },
  clickhouse: { fill: '#fffbe6', stroke: '#c9a400' },
  mart: { fill: '#dae8fc', stroke: '#6c8ebf' },
  insight: { fill: '#d4f1ef', stroke: '#2a9d8f' },
  superset: { fill: '#f3fbfd', stroke: '#1a85a0' },
  dashboard: { fill: '#cdeef6', stroke: '#1a85a0' },
  legend: { fill: '#ffffff', stroke: '#ffffff' },
};

/**
 * Asset keys a box stands for, checked against the code location by the diagram's test: `selection`
 * in the engine's syntax (`group:stage`, `source.crm.*`), how many assets it resolves to when the box
 * says so, and, for a box that lists them, every key as a name (or glob) after `prefix`.
 */
export interface AssetSet {
  selection: string;
  count?: { value: number; noun: string };
  list?: { prefix: string; names: readonly string[] };
}

/** A box; a line in backticks is drawn as code, an empty title is left out. Coordinates are absolute, also inside a container. */
export interface Box {
  id: string;
  palette: Palette;
  title: string;
  lines: readonly string[];
  assets?: AssetSet;
  /** The container it sits in (drawn behind it, moved with it in draw.io). */
  parent?: string;
  x: number;
  y: number;
  w: number;
  h: number;
}

export type Side = 'left' | 'right' | 'top' | 'bottom';
export interface End {
  box: string;
  side: Side;
  /** Where along the side, 0–1 (left to right, or top to bottom). */
  at: number;
}

export interface Arrow {
  id: string;
  from: End;
  to: End;
  /** Bends, in absolute coordinates. */
  via: ReadonlyArray<readonly [number, number]>;
  kind: 'data' | 'control' | 'rejects';
}

export interface Diagram {
  width: number;
  height: number;
  boxes: readonly Box[];
  arrows: readonly Arrow[];
}

export const ARROW_COLOURS: Record<Arrow['kind'], string> = {
  data: '#444444',
  control: '#7e57c2',
  rejects: '#b85450',
};

export const FONT = {
  sans: 'Helvetica, Arial, Liberation Sans, sans-serif',
  mono: 'DejaVu Sans Mono, Menlo, Consolas, monospace',
  title: 16,
  text: 14,
  code: 13,
  /** draw.io's HTML labels are set at 1.2 times the font size. */
  leading: 1.2,
};
export const PAD = 6;

export type LineKind = 'title' | 'text' | 'code';
export interface Line {
  kind: LineKind;
  text: string;
}

export const fontSize = (kind: LineKind) => FONT[kind];
/** A line's height as draw.io sets it: a smaller font still takes the label's own line height. */
export const lineHeight = (kind: LineKind) => Math.max(FONT[kind], FONT.text) * FONT.leading;
/** Where a line's baseline sits below its top (Helvetica's ascent 0.905 em, descent 0.212 em). */
export const baseline = (kind: LineKind) => (lineHeight(kind) - 1.117 * FONT[kind]) / 2 + 0.905 * FONT[kind];

/** Every line a box shows: its title, its own lines, then what its asset set says. */
export function linesOf(box: Box): Line[] {
  const lines: Line[] = box.title ? [{ kind: 'title', text: box.title }] : [];
  const own = box.lines.map((line): Line => {
    const code = /^`([^`]*)`$/.exec(line);
    if (!code && line.includes('`'))
      throw new Error(`diagram: box ${box.id}: only a whole line can be code: ${line}`);
    return code ? { kind: 'code', text: code[1]! } : { kind: 'text', text: line };
  });
  lines.push(...own);
  const assets = box.assets;
  if (assets) {
    lines.push({ kind: 'code', text: assets.selection });
    if (assets.count) lines.push({ kind: 'text', text: `${assets.count.value} ${assets.count.noun}` });
    for (const name of assets.list?.names ?? []) lines.push({ kind: 'code', text: name });
  }
  return lines;
}

/** How tall a box's text is, with its padding. */
export const textHeight = (box: Omit<Box, 'h'>) =>
  PAD * 2 + linesOf({ ...box, h: 0 }).reduce((sum, line) => sum + lineHeight(line.kind), 0);

// Helvetica's advance widths (AFM, 1/1000 em) for ASCII 32–126; anything else counts 0.62 em.
const HELVETICA = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556,
  556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278,
  500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469,
  556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500,
  278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];

/** An estimate of a line's width in pixels, on the generous side (fallback fonts run wider). */
export function textWidth(line: Line): number {
  const size = fontSize(line.kind);
  if (line.kind === 'code') return line.text.length * 0.61 * size;
  let em = 0;
  for (const char of line.text) {
    const code = char.codePointAt(0)!;
    em += (code >= 32 && code <= 126 ? HELVETICA[code - 32]! : char === '·' ? 278 : 620) / 1000;
  }
  return em * size * (line.kind === 'title' ? 1.1 : 1.05);
}

/** Fails naming the box and line whose text would not fit: the picture stays legible as it grows. */
export function checkFit(box: Box, headerOnly: boolean): void {
  const lines = linesOf(box);
  for (const line of lines) {
    if (textWidth(line) > box.w - PAD * 2)
      throw new Error(`diagram: "${line.text}" is wider than box ${box.id} (${box.w} px)`);
  }
  if (!headerOnly && textHeight(box) > box.h + 0.01)
    throw new Error(`diagram: the text of box ${box.id} is taller than the box (${box.h} px)`);
}

type Placed = Omit<Box, 'x' | 'y' | 'w' | 'h'>;

/** Boxes one under another from `y`, each as tall as its text. */
export function stack(
  at: { x: number; y: number; w: number; gap: number; parent?: string },
  boxes: readonly Placed[],
): Box[] {
  let y = at.y;
  return boxes.map((box) => {
    const base = { ...box, x: at.x, y, w: at.w, ...(at.parent ? { parent: at.parent } : {}) };
    const h = Math.ceil(textHeight(base));
    y += h + at.gap;
    return { ...base, h };
  });
}

/** A container's box from (`x`, `y`) down to `bottom`, as far right of its children as `x` is left of them. */
export function around(
  container: Placed,
  children: readonly Box[],
  x: number,
  y: number,
  bottom: number,
): Box {
  const right = Math.max(...children.map((child) => child.x + child.w));
  return { ...container, x, y, w: right + (children[0]!.x - x) - x, h: bottom - y };
}

/** The point an end sits on. */
export function endPoint(box: Box, end: Pick<End, 'side' | 'at'>): [number, number] {
  switch (end.side) {
    case 'left':
      return [box.x, box.y + box.h * end.at];
    case 'right':
      return [box.x + box.w, box.y + box.h * end.at];
    case 'top':
      return [box.x + box.w * end.at, box.y];
    case 'bottom':
      return [box.x + box.w * end.at, box.y + box.h];
  }
}

/** The fraction of a box's side at absolute coordinate `value` (for a straight arrow at that line). */
export function fractionAt(box: Box, side: Side, value: number): number {
  const fraction = side === 'left' || side === 'right' ? (value - box.y) / box.h : (value - box.x) / box.w;
  if (fraction < 0 || fraction > 1) throw new Error(`diagram: ${value} is off the ${side} side of ${box.id}`);
  return Math.round(fraction * 10_000) / 10_000;
}

/** Numbers as the files print them: at most one decimal, so a regenerated file is byte for byte the same. */
export const num = (value: number) => String(Math.round(value * 10) / 10);

export const escapeXml = (text: string) =>
  text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
