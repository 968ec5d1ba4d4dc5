import { readFileSync } from 'node:fs';
import { resolveSelection } from '@vitrina/core';
import { DOMParser, type Element, onWarningStopParsing } from '@xmldom/xmldom';
import { describe, expect, it } from 'vitest';
import { toDrawio } from '../../../../scripts/diagram/drawio.ts';
import { diagram } from '../../../../scripts/diagram/model.ts';
import { DRAWIO_FILE, SVG_FILE } from '../../../../scripts/diagram/render.ts';
import { toSvg } from '../../../../scripts/diagram/svg.ts';
import location from '../../src/index.ts';

const REGENERATE = 'regenerate it from scripts/diagram/model.ts: node --import tsx scripts/diagram/render.ts';

const parse = (xml: string, mimeType: 'text/xml' | 'image/svg+xml') =>
  new DOMParser({ onError: onWarningStopParsing }).parseFromString(xml, mimeType);

function elements(
  parent: { getElementsByTagName(name: string): { length: number; item(i: number): Element | null } },
  tag: string,
): Element[] {
  const list = parent.getElementsByTagName(tag);
  return Array.from({ length: list.length }, (_, index) => list.item(index)!);
}

/** A draw.io HTML label as the lines a reader sees. */
function labelLines(value: string): string[] {
  return value.split(/<br\s*\/?>/i).map((line) =>
    line
      .replace(/<[^>]*>/g, '')
      .replaceAll('&lt;', '<')
      .replaceAll('&gt;', '>')
      .replaceAll('&quot;', '"')
      .replaceAll('&apos;', "'")
      .replaceAll('&nbsp;', ' ')
      .replaceAll('&amp;', '&')
      .trim(),
  );
}

const drawio = readFileSync(DRAWIO_FILE, 'utf8');
const document = parse(drawio, 'text/xml');
const cells = elements(document, 'mxCell');
const vertices = cells.filter((cell) => cell.getAttribute('vertex') === '1');
const edges = cells.filter((cell) => cell.getAttribute('edge') === '1');
const labels = vertices.map((cell) => labelLines(cell.getAttribute('value') ?? ''));
const text = labels.flat();
const mentioned = (pattern: RegExp) =>
  new Set(text.flatMap((line) => [...line.matchAll(pattern)].map((m) => m[1]!)));

const graph = location.graph;
const keys = graph.assets().map((asset) => asset.key);

describe('the architecture diagram (docs/architecture.drawio)', () => {
  it('is an uncompressed draw.io file: mxfile > diagram > mxGraphModel > root with its two root cells', () => {
    expect(document.documentElement?.tagName).toBe('mxfile');
    const model = elements(document, 'diagram').flatMap((page) => elements(page, 'mxGraphModel'));
    expect(model).toHaveLength(1);
    expect(elements(model[0]!, 'root')).toHaveLength(1);
    expect(cells.find((cell) => cell.getAttribute('id') === '0')?.hasAttribute('parent')).toBe(false);
    expect(cells.find((cell) => cell.getAttribute('id') === '1')?.getAttribute('parent')).toBe('0');
    expect(vertices.length).toBeGreaterThan(20);
  });

  it('has unique ids, vertices inside existing parents and edges between existing vertices', () => {
    const ids = cells.map((cell) => cell.getAttribute('id'));
    expect(new Set(ids).size).toBe(ids.length);
    const vertexIds = new Set(vertices.map((cell) => cell.getAttribute('id')!));
    for (const cell of vertices) expect(['1', ...vertexIds]).toContain(cell.getAttribute('parent'));
    expect(edges.length).toBeGreaterThan(10);
    for (const edge of edges) {
      const id = edge.getAttribute('id');
      expect(vertexIds.has(edge.getAttribute('source') ?? ''), `source of edge ${id}`).toBe(true);
      expect(vertexIds.has(edge.getAttribute('target') ?? ''), `target of edge ${id}`).toBe(true);
    }
  });

  it('labels a box with every asset group of the code location, and names no other', () => {
    const drawn = mentioned(/\bgroup:([a-z_]+)/g);
    const groups = graph.groups();
    expect(
      groups.filter((group) => !drawn.has(group)),
      'groups of the location without a box',
    ).toEqual([]);
    expect(
      [...drawn].filter((group) => !groups.includes(group)),
      'boxes of groups the location does not have',
    ).toEqual([]);
  });

  it('shows every source system of the code location, and no other', () => {
    const systems = new Set(keys.filter((key) => key.startsWith('source.')).map((key) => key.split('.')[1]!));
    expect(systems.size).toBeGreaterThanOrEqual(6);
    expect([...mentioned(/\bsource\.([a-z_]+)\./g)].sort()).toEqual([...systems].sort());
  });

  it("shows the location's schedules and pool sizes", () => {
    for (const schedule of location.schedules) {
      const box = labels.find((lines) =>
        [schedule.name, schedule.cron, schedule.timezone].every((part) =>
          lines.some((line) => line.includes(part)),
        ),
      );
      expect(
        box,
        `a box with schedule ${schedule.name} (${schedule.cron}, ${schedule.timezone})`,
      ).toBeDefined();
    }
    for (const [pool, size] of Object.entries(location.pools))
      expect(text.join(' · '), `pool ${pool}`).toMatch(new RegExp(`(^|[^a-z_])${pool} ${size}\\b`));
  });

  it('states the assets of each box as the code location has them: selection, count and list', () => {
    for (const box of diagram.boxes) {
      if (!box.assets) continue;
      const { selection, count, list } = box.assets;
      const selected = resolveSelection(graph, selection);
      expect(selected.size, `${box.id}: ${selection}`).toBeGreaterThan(0);
      if (count)
        expect(selected.size, `${box.id}: ${selection} (the box says ${count.value})`).toBe(count.value);
      if (!list) continue;
      const listed = new Set<string>();
      for (const entry of list.names) {
        const [, name, times] = /^(\S+)(?: \((\d+)\))?$/.exec(entry)!;
        const matched = resolveSelection(graph, `${list.prefix}${name}`);
        if (times) expect(matched.size, `${box.id}: ${entry}`).toBe(Number(times));
        for (const key of matched) listed.add(key);
      }
      expect(
        [...selected].filter((key) => !listed.has(key)),
        `${box.id}: keys of ${selection} not listed`,
      ).toEqual([]);
      expect(
        [...listed].filter((key) => !selected.has(key)),
        `${box.id}: listed but not in ${selection}`,
      ).toEqual([]);
    }
  });

  it('is exactly what the model generates', () => {
    expect(drawio === toDrawio(diagram), `docs/architecture.drawio is out of date: ${REGENERATE}`).toBe(true);
  });
});

describe('the rendering (docs/architecture.svg)', () => {
  const svg = readFileSync(SVG_FILE, 'utf8');

  it('is exactly what the model generates', () => {
    expect(svg === toSvg(diagram), `docs/architecture.svg is out of date: ${REGENERATE}`).toBe(true);
  });

  it('is a self-contained SVG: no fonts, images or styles from elsewhere', () => {
    expect(parse(svg, 'image/svg+xml').documentElement?.tagName).toBe('svg');
    expect(svg).not.toMatch(/<image|@import|@font-face|xlink:href|\shref=|url\((?!#)/);
  });

  it('draws every box and arrow of the draw.io file', () => {
    expect(svg.match(/<rect /g)).toHaveLength(vertices.length + 1);
    expect(svg.match(/<polyline /g)).toHaveLength(edges.length);
  });
});
