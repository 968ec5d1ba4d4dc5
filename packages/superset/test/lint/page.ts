/**
 * Checks of what a dashboard page draws as text (tables, big numbers, headers): numbers in the
 * Russian locale — a space between thousands and a decimal comma, never `22,031,909` or `1.11`.
 */

/** English thousands (22,031,909) and decimal points (1.11) in `text`; dates (01.02.2026) and versions are not numbers. */
export function checkRenderedNumbers(text: string): string[] {
  const english = /(?<![\d.,])\d{1,3}(?:,\d{3})+(?:\.\d+)?(?![\d.,])/g;
  const point = /(?<![\d.,])\d+\.\d+(?![\d.,])/g;
  return [...new Set([...(text.match(english) ?? []), ...(text.match(point) ?? [])])];
}
