/** Shares drawn as percentages, and legends that do not page. */
import { type ChartResult, type Finding, finding, numeric } from './result.ts';

/**
 * A percentage is formatted as one: a metric whose label (or the chart title) says % or «доля» has a
 * d3 `%` format (the value a fraction), so the dashboard shows «12,3 %» and not «1.11». `formats`
 * maps each metric to its effective format (the chart's, else the metric's).
 */
export function checkPercentFormats(
  metrics: ReadonlyArray<{ name: string; label: string; format: string | undefined }>,
  title: string,
): Finding[] {
  const findings: Finding[] = [];
  const titlePercent = /,\s*%\s*$/.test(title) && metrics.length === 1;
  for (const metric of metrics) {
    const percent = /%|(^|[^а-яё])дол[яи]([^а-яё]|$)/i.test(metric.label) || titlePercent;
    if (!percent && (metric.format ?? '').includes('%') && !/,\s*%\s*$/.test(title))
      findings.push(
        finding(
          'format',
          `${metric.name} («${metric.label}») is not a percentage but drawn with the format ${JSON.stringify(metric.format)}`,
        ),
      );
    if (percent && !(metric.format ?? '').includes('%'))
      findings.push(
        finding(
          'format',
          `${metric.name} («${metric.label}») is a percentage formatted ${JSON.stringify(metric.format ?? null)}, not a d3 % format`,
        ),
      );
  }
  return findings;
}

/**
 * A %-formatted metric holds fractions: a value above `limit` (1000 %) means the SQL still
 * multiplies by 100 while the format multiplies again («111 %» for 1.11 %).
 */
export function checkPercentValues(
  result: ChartResult,
  metric: string,
  format: string | undefined,
  limit = 10,
): Finding[] {
  if (!(format ?? '').includes('%')) return [];
  const largest = Math.max(0, ...result.data.map((row) => Math.abs(numeric(row[metric]) ?? 0)));
  return largest > limit
    ? [
        finding(
          'format',
          `${metric} is %-formatted but reaches ${largest}: a percentage times 100, shown ×100 again`,
        ),
      ]
    : [];
}

/**
 * A legend shows every item: Superset's default legend (`scroll`) pages («1/3») once its items
 * pass one line; with more than `fits` items it must be `plain` (it wraps) or hidden.
 */
export function checkLegend(
  params: { show_legend?: unknown; legendType?: unknown },
  items: number,
  fits = 4,
): Finding[] {
  if (params.show_legend !== true || params.legendType === 'plain' || items <= fits) return [];
  return [
    finding(
      'legend',
      `${items} legend items in a ${String(params.legendType ?? 'scroll')} legend: it pages («1/…»)`,
    ),
  ];
}
