/** Names cut to fit their box on the canvas, measured cheaply enough for thousands a frame. */

/** The text cut with an ellipsis to fit `width` (cached). */
export function fitText(
  context: CanvasRenderingContext2D,
  text: string,
  width: number,
  cache: Map<string, string>,
  fontSpec: string,
): string {
  const id = `${fontSpec}|${width}|${text}`;
  const known = cache.get(id);
  if (known !== undefined) return known;
  const widths = characterWidths(context, fontSpec, `${text}…`);
  let result = text;
  if (widths.slice(0, text.length).reduce((sum, value) => sum + value, 0) > width) {
    let used = widths[text.length]!; // the ellipsis
    let fits = 0;
    while (fits < text.length && used + widths[fits]! <= width) used += widths[fits++]!;
    result = `${text.slice(0, fits)}…`;
  }
  if (cache.size > 20_000) cache.clear();
  cache.set(id, result);
  return result;
}

const REFERENCE_PX = 100;
/** Per weight and family: each character's width at REFERENCE_PX, measured once. */
const measured = new Map<string, Map<string, number>>();

/**
 * The width of each character of `text` in `fontSpec` ("600 13px Inter, …"), from widths measured
 * once per character at a reference size and scaled: measuring every name at every zoom was the
 * slow part of a close-up's first frame (a second for thousands of names). Kerning is left out,
 * which shifts an ellipsis by a pixel at most.
 */
function characterWidths(context: CanvasRenderingContext2D, fontSpec: string, text: string): number[] {
  const parsed = /^(?:(\d+) )?([\d.]+)px (.+)$/.exec(fontSpec);
  if (!parsed) return [...text].map(() => 0);
  const [, weight = '400', px, family] = parsed;
  const key = `${weight} ${family}`;
  let table = measured.get(key);
  if (!table) {
    table = new Map();
    measured.set(key, table);
  }
  const scale = Number(px) / REFERENCE_PX;
  const widths: number[] = [];
  let restore: string | null = null;
  for (let index = 0; index < text.length; index++) {
    const character = text[index]!;
    let known = table.get(character);
    if (known === undefined) {
      if (restore === null) {
        restore = context.font;
        context.font = `${weight} ${REFERENCE_PX}px ${family}`;
      }
      known = context.measureText(character).width;
      table.set(character, known);
    }
    widths.push(known * scale);
  }
  if (restore !== null) context.font = restore;
  return widths;
}
