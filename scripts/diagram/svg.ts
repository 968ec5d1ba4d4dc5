/**
 * The diagram rendered as a self-contained SVG (no fonts, images or styles from elsewhere): the same
 * boxes, lines and arrows as the draw.io file, for the README.
 */
import {
  ARROW_COLOURS,
  type Arrow,
  type Box,
  baseline,
  COLOURS,
  checkFit,
  type Diagram,
  endPoint,
  escapeXml,
  FONT,
  fontSize,
  lineHeight,
  linesOf,
  num,
  PAD,
} from './layout.ts';

const isContainer = (diagram: Diagram, box: Box) => diagram.boxes.some((other) => other.parent === box.id);

function rect(diagram: Diagram, box: Box): string {
  const { fill, stroke } = COLOURS[box.palette];
  const container = isContainer(diagram, box);
  return `<rect x="${num(box.x)}" y="${num(box.y)}" width="${num(box.w)}" height="${num(box.h)}" rx="${container ? 8 : 5}" fill="${fill}" stroke="${stroke}" stroke-width="${container ? 2 : 1}"/>`;
}

function text(box: Box): string[] {
  const centre = box.x + box.w / 2;
  let top = box.y + PAD;
  return linesOf(box).map((line) => {
    const y = top + baseline(line.kind);
    top += lineHeight(line.kind);
    const font =
      line.kind === 'code'
        ? ` font-family="${FONT.mono}" fill="#333333"`
        : line.kind === 'title'
          ? ' font-weight="bold"'
          : '';
    return `<text x="${num(centre)}" y="${num(y)}" font-size="${fontSize(line.kind)}"${font}>${escapeXml(line.text)}</text>`;
  });
}

function polyline(diagram: Diagram, arrow: Arrow): string {
  const box = (id: string) => diagram.boxes.find((candidate) => candidate.id === id)!;
  const points = [
    endPoint(box(arrow.from.box), arrow.from),
    ...arrow.via,
    endPoint(box(arrow.to.box), arrow.to),
  ];
  const dash = arrow.kind === 'control' ? ' stroke-dasharray="6 4"' : '';
  return `<polyline points="${points.map(([x, y]) => `${num(x)},${num(y)}`).join(' ')}" fill="none" stroke="${ARROW_COLOURS[arrow.kind]}" stroke-width="1.5"${dash} marker-end="url(#arrow-${arrow.kind})"/>`;
}

function marker(kind: Arrow['kind']): string {
  return `<marker id="arrow-${kind}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="${ARROW_COLOURS[kind]}"/></marker>`;
}

export function toSvg(diagram: Diagram): string {
  for (const box of diagram.boxes) checkFit(box, isContainer(diagram, box));
  const kinds = [...new Set(diagram.arrows.map((arrow) => arrow.kind))];
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${diagram.width}" height="${diagram.height}" viewBox="0 0 ${diagram.width} ${diagram.height}" role="img" aria-labelledby="title">`,
    '<title id="title">Vitrina architecture: sources, the Vitrina engine, PostgreSQL stage → dimension → bi, ClickHouse marts, Superset dashboards</title>',
    `<defs>${kinds.map(marker).join('')}</defs>`,
    `<rect width="${diagram.width}" height="${diagram.height}" fill="#ffffff"/>`,
    `<g font-family="${FONT.sans}" fill="#222222" text-anchor="middle">`,
    ...diagram.boxes.flatMap((box) => [rect(diagram, box), ...text(box)]),
    ...diagram.arrows.map((arrow) => polyline(diagram, arrow)),
    '</g>',
    '</svg>',
    '',
  ].join('\n');
}
