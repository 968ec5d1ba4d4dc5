/**
 * The diagram as an uncompressed draw.io file: one page whose containers hold their boxes (moving a
 * container in draw.io moves what it holds) and whose arrows leave and enter the boxes where the SVG
 * draws them, through the same bends.
 */
import {
  type Arrow,
  type Box,
  COLOURS,
  type Diagram,
  type End,
  escapeXml,
  FONT,
  type Line,
  linesOf,
  num,
  PAD,
} from './layout.ts';

const ARROW_STYLE: Record<Arrow['kind'], string> = {
  data: 'strokeColor=#444444;',
  control: 'strokeColor=#7e57c2;dashed=1;',
  rejects: 'strokeColor=#b85450;',
};

/** A label as draw.io's HTML labels take it: the title bold, code lines in a monospace font. */
function labelHtml(box: Box): string {
  return linesOf(box)
    .map((line: Line) => {
      const text = escapeXml(line.text);
      if (line.kind === 'title') return `<b style="font-size:${FONT.title}px">${text}</b>`;
      if (line.kind === 'code')
        return `<font face="${FONT.mono}" style="font-size:${FONT.code}px">${text}</font>`;
      return text;
    })
    .join('<br>');
}

const isContainer = (diagram: Diagram, box: Box) => diagram.boxes.some((other) => other.parent === box.id);

function vertex(diagram: Diagram, box: Box): string {
  const { fill, stroke } = COLOURS[box.palette];
  const container = isContainer(diagram, box);
  const style = [
    'rounded=1',
    'absoluteArcSize=1',
    `arcSize=${container ? 16 : 10}`,
    'whiteSpace=wrap',
    'html=1',
    'verticalAlign=top',
    'align=center',
    `spacing=${PAD}`,
    'spacingTop=0',
    `fontFamily=${FONT.sans.split(',')[0]}`,
    `fontSize=${FONT.text}`,
    'fontColor=#222222',
    `fillColor=${fill}`,
    `strokeColor=${stroke}`,
    `strokeWidth=${container ? 2 : 1}`,
    ...(container ? ['container=1', 'collapsible=0', 'recursiveResize=0'] : []),
  ].join(';');
  const parent = box.parent ? diagram.boxes.find((other) => other.id === box.parent)! : null;
  const x = box.x - (parent?.x ?? 0);
  const y = box.y - (parent?.y ?? 0);
  return [
    `        <mxCell id="${escapeXml(box.id)}" value="${escapeXml(labelHtml(box))}" style="${style};" vertex="1" parent="${escapeXml(box.parent ?? '1')}">`,
    `          <mxGeometry x="${num(x)}" y="${num(y)}" width="${num(box.w)}" height="${num(box.h)}" as="geometry" />`,
    '        </mxCell>',
  ].join('\n');
}

/** Where along the box an end sits, as draw.io's exit/entry constraint. */
function constraint(end: End): [number, number] {
  switch (end.side) {
    case 'left':
      return [0, end.at];
    case 'right':
      return [1, end.at];
    case 'top':
      return [end.at, 0];
    case 'bottom':
      return [end.at, 1];
  }
}

function edge(arrow: Arrow): string {
  const [exitX, exitY] = constraint(arrow.from);
  const [entryX, entryY] = constraint(arrow.to);
  const style =
    'edgeStyle=none;rounded=0;html=1;endArrow=block;endFill=1;endSize=6;strokeWidth=1.5;' +
    ARROW_STYLE[arrow.kind] +
    `exitX=${exitX};exitY=${exitY};exitDx=0;exitDy=0;exitPerimeter=0;` +
    `entryX=${entryX};entryY=${entryY};entryDx=0;entryDy=0;entryPerimeter=0;`;
  const points = arrow.via.map(([x, y]) => `              <mxPoint x="${num(x)}" y="${num(y)}" />`);
  return [
    `        <mxCell id="${escapeXml(arrow.id)}" value="" style="${style}" edge="1" parent="1" source="${escapeXml(arrow.from.box)}" target="${escapeXml(arrow.to.box)}">`,
    '          <mxGeometry relative="1" as="geometry">',
    ...(points.length > 0 ? ['            <Array as="points">', ...points, '            </Array>'] : []),
    '          </mxGeometry>',
    '        </mxCell>',
  ].join('\n');
}

export function toDrawio(diagram: Diagram): string {
  return [
    '<mxfile host="vitrina" agent="scripts/diagram/render.ts">',
    '  <diagram id="vitrina-architecture" name="Architecture">',
    `    <mxGraphModel dx="${diagram.width}" dy="${diagram.height}" grid="1" gridSize="10" guides="1" tooltips="1" connect="1" arrows="1" fold="1" page="1" pageScale="1" pageWidth="${diagram.width}" pageHeight="${diagram.height}" math="0" shadow="0">`,
    '      <root>',
    '        <mxCell id="0" />',
    '        <mxCell id="1" parent="0" />',
    ...diagram.boxes.map((box) => vertex(diagram, box)),
    ...diagram.arrows.map(edge),
    '      </root>',
    '    </mxGraphModel>',
    '  </diagram>',
    '</mxfile>',
    '',
  ].join('\n');
}
