/**
 * More defects users found: one value where the label set has several (no B2C), a cumulative
 * measure falling, a series ending in zeros (churn of cohorts too young to have churned).
 */
import { isoDay, timeValue } from './periods.ts';
import { type ChartResult, type Finding, finding, numeric } from './result.ts';

/**
 * A category column whose label set has several values shows more than one of them, unless the
 * chart filters that column: every payment B2B (no B2C) leaves one bar, one slice, one series.
 */
export function checkSingleCategory(
  result: ChartResult,
  column: string,
  possible: number,
  filtered: boolean,
): Finding[] {
  if (filtered || possible < 2 || !result.data.some((row) => column in row)) return [];
  const values = new Set(result.data.map((row) => String(row[column])));
  return values.size === 1
    ? [
        finding(
          'single category',
          `${column} has one value ('${[...values][0]}') of the ${possible} its labels know`,
        ),
      ]
    : [];
}

/** Rows ordered by `x` (numbers or dates), per series (the groupby columns). */
function series(
  result: ChartResult,
  x: string,
  groupby: readonly string[],
): Map<string, Array<{ x: number; row: Record<string, unknown> }>> {
  const out = new Map<string, Array<{ x: number; row: Record<string, unknown> }>>();
  for (const row of result.data) {
    const position = numeric(row[x]) ?? timeValue(row[x]);
    if (position === null) continue;
    const name = groupby.map((column) => String(row[column])).join(' / ');
    const list = out.get(name) ?? [];
    list.push({ x: position, row });
    out.set(name, list);
  }
  for (const list of out.values()) list.sort((a, b) => a.x - b.x);
  return out;
}

const seriesName = (name: string) => (name ? ` (${name})` : '');

/** A cumulative measure (накопленный доход, LTV) never falls along its x: per series, each point ≥ the one before. */
export function checkCumulative(
  result: ChartResult,
  x: string,
  groupby: readonly string[],
  metric: string,
  tolerance = 1e-9,
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, points] of series(result, x, groupby)) {
    for (let index = 1; index < points.length; index++) {
      const before = numeric(points[index - 1]!.row[metric]);
      const now = numeric(points[index]!.row[metric]);
      if (before === null || now === null) continue;
      if (now < before - tolerance * Math.max(1, Math.abs(before))) {
        findings.push(
          finding(
            'cumulative',
            `${metric}${seriesName(name)} falls from ${before} to ${now} at ${x} = ${formatX(points[index]!.row[x])}`,
          ),
        );
        break;
      }
    }
  }
  return findings;
}

const formatX = (value: unknown) =>
  typeof value === 'number' && value > 1e11 ? isoDay(value) : String(value);

/**
 * A series does not end in zeros after non-zero values: the last points at exactly 0 while the
 * earlier ones are not (the churn of cohorts too young to have churned, a week not yet counted).
 * A period with nothing yet to count must be left out or be null (not drawn), never 0.
 */
export function checkDropToZero(
  result: ChartResult,
  x: string,
  groupby: readonly string[],
  metrics: readonly string[],
): Finding[] {
  const findings: Finding[] = [];
  for (const [name, points] of series(result, x, groupby)) {
    if (points.length < 3) continue;
    for (const metric of metrics) {
      const values = points.map((point) => numeric(point.row[metric]));
      let trailing = 0;
      while (trailing < values.length && values[values.length - 1 - trailing] === 0) trailing++;
      if (trailing === 0) continue;
      const earlier = values.slice(0, values.length - trailing).filter((value) => value !== null);
      const nonZero = earlier.filter((value) => value !== 0).length;
      // Mostly non-zero before: a sparse count that is often 0 anyway is not a drop.
      if (earlier.length > 0 && nonZero >= Math.max(2, earlier.length * 0.75))
        findings.push(
          finding(
            'drop to zero',
            `${metric}${seriesName(name)} is 0 in the last ${trailing} point(s) from ${x} = ` +
              `${formatX(points[points.length - trailing]!.row[x])}, after ${nonZero} non-zero`,
          ),
        );
    }
  }
  return findings;
}
