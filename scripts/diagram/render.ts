/**
 * Writes the architecture diagram from its model (model.ts): docs/architecture.drawio for draw.io
 * and docs/architecture.svg for the README. Run: node --import tsx scripts/diagram/render.ts
 */
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { toDrawio } from './drawio.ts';
import { diagram } from './model.ts';
import { toSvg } from './svg.ts';

export const DOCS = resolve(import.meta.dirname, '../../docs');
export const DRAWIO_FILE = resolve(DOCS, 'architecture.drawio');
export const SVG_FILE = resolve(DOCS, 'architecture.svg');

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  writeFileSync(SVG_FILE, toSvg(diagram));
  writeFileSync(DRAWIO_FILE, toDrawio(diagram));
  console.log(
    `wrote ${SVG_FILE} and ${DRAWIO_FILE} (${diagram.boxes.length} boxes, ${diagram.arrows.length} arrows)`,
  );
}
