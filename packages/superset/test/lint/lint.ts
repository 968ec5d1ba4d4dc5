/**
 * The dashboards lint over the real marts and the real Superset: for every chart of every dashboard
 * its saved query runs through Superset (`GET /api/v1/chart/{id}/data/`, what the code under test
 * stored), and the answer goes through each check of checks.ts. The facts the checks compare with
 * come from elsewhere: the first and last day of each table straight from ClickHouse, the labels
 * from superset/labels.yaml, the conditions from what Superset holds (the chart's params and
 * query_context). Every finding is collected; formatFindings prints them per chart.
 */
import type { Sources } from '../../src/sources.ts';
import {
  type ChartResult,
  checkCompletePeriods,
  checkCumulative,
  checkDropToZero,
  checkEmptyCategories,
  checkLegend,
  checkPercentFormats,
  checkPercentValues,
  checkRowLimit,
  checkRows,
  checkRussianLabels,
  checkSingleCategory,
  checkSlice,
  type Finding,
  type Grain,
  isUnknownCategory,
  type LabelRules,
  type NamedSlice,
} from './checks.ts';

import { BRANDS, IDENTIFIER_COLUMNS, NUMERIC_CATEGORIES, PROPER_NAMES, sliceVocabulary } from './rules.ts';
import { clickhouse, type SupersetChart, superset } from './services.ts';

export interface LintFinding extends Finding {
  dashboard: string;
  chart: string;
  title: string;
}

type SourceChart = Sources['charts'] extends Map<string, infer C> ? C : never;

const metricsOf = (chart: SourceChart) => ('metrics' in chart ? chart.metrics : [chart.metric]);
const metricName = (metric: SourceChart extends { metrics: Array<infer M> } ? M : never | string) =>
  typeof metric === 'string' ? metric : (metric as { label: string }).label;

/** The SQL conditions Superset holds for a chart: the params' WHERE filters (what the dashboard draws from) and the query_context's (what the data API runs). */
function conditions(chart: SupersetChart): { params: string; query: string } {
  const filters = Array.isArray(chart.params.adhoc_filters) ? chart.params.adhoc_filters : [];
  const params = filters
    .filter(
      (filter: { clause?: string; expressionType?: string }) =>
        filter.clause === 'WHERE' && filter.expressionType === 'SQL',
    )
    .map((filter: { sqlExpression?: string }) => `(${filter.sqlExpression ?? ''})`)
    .join(' AND ');
  const query = (chart.query_context?.queries ?? []).map((query) => query.extras?.where ?? '').join(' AND ');
  return { params, query };
}

/** The first metric that adds up over rows (a sum or a count, not a share or an average): what a share of the total is taken of. */
function additive(chart: SourceChart, dataset: Sources['datasets'] extends Map<string, infer D> ? D : never) {
  for (const metric of metricsOf(chart)) {
    const name = metricName(metric as never);
    const source = dataset.metrics.find((candidate) => candidate.name === name);
    const label = source?.label ?? name;
    const sql = source?.sql ?? (typeof metric === 'string' ? '' : (metric as { sql: string }).sql);
    if (/%|дол[яи]|средн|\bна\s|ltv|cac|arpu|romi/i.test(label) || /\/|avg\(/i.test(sql)) continue;
    return name;
  }
  return undefined;
}

export async function lintDashboards(options: {
  sources: Sources;
  url: string;
  credentials: { username: string; password: string };
  clickhouseUrl: string;
}): Promise<{ findings: LintFinding[]; charts: number }> {
  const { sources } = options;
  const api = await superset(options.url, options.credentials);
  const span = clickhouse(options.clickhouseUrl);
  const allLabels = Object.values(sources.labels ?? {}).flatMap((set) => Object.values(set));
  const emptyLabels = new Set(
    Object.values(sources.labels ?? {}).flatMap((set) => (set[''] !== undefined ? [set['']] : [])),
  );
  const rules: LabelRules = {
    labels: new Set(allLabels),
    properNames: new Map([...PROPER_NAMES, ...BRANDS]),
    numericColumns: NUMERIC_CATEGORIES,
    identifierColumns: IDENTIFIER_COLUMNS,
  };
  const vocabulary = sliceVocabulary(sources.labels ?? {}, sources.dashboards.values());
  const findings: LintFinding[] = [];
  let charts = 0;

  for (const [dashboardKey, dashboard] of sources.dashboards) {
    const keys = dashboard.rows.flat().map((cell) => (typeof cell === 'string' ? cell : cell.chart));
    const onDashboard = await api.dashboardCharts(dashboard.slug);
    const perChart = new Map<string, LintFinding[]>();
    const queue = [...keys];
    const lintOne = async (key: string) => {
      const collected: LintFinding[] = [];
      perChart.set(key, collected);
      const findings = collected;
      const chart = sources.charts.get(key)!;
      const dataset = sources.datasets.get(chart.dataset)!;
      const add = (list: Finding[]) =>
        findings.push(
          ...list.map((item) => ({ ...item, dashboard: dashboardKey, chart: key, title: chart.title })),
        );
      const matching = onDashboard.filter((candidate) => candidate.slice_name === chart.title);
      if (matching.length !== 1) {
        add([
          {
            check: 'rows',
            message: `${matching.length} charts titled «${chart.title}» on the dashboard in Superset`,
          },
        ]);
        return;
      }
      charts++;
      const stored = await api.chart(matching[0]!.id);
      const answer = await api.data(stored.id);
      const result = answer.results[0];
      if (answer.error) {
        add([{ check: 'rows', message: `answered ${answer.status}: ${answer.error}` }]);
        return;
      }
      add(checkRows(result));
      if (!result || result.error) return;

      const columns = new Map(dataset.columns.map((column) => [column.name, column]));
      const isTemporal = (name: string) => columns.get(name)?.temporal === true;
      const x = 'x' in chart ? chart.x : undefined;
      const groupby = 'groupby' in chart ? chart.groupby : [];
      const categories = [...(chart.viz === 'category_bar' && x ? [x] : []), ...groupby].filter(
        (name) => !isTemporal(name) && !/_id$/.test(name),
      );
      const metrics = metricsOf(chart).map((metric) => metricName(metric as never));

      // (b) the row limit: the form's (the dashboard warns when the SQL's rows reach it) and, for a
      // grouped query, the query's (its SQL LIMIT cuts silently). An aggregate without columns has one row.
      const query = stored.query_context?.queries?.[0] as
        | { columns?: unknown[]; row_limit?: number }
        | undefined;
      add(
        checkRowLimit(result, [
          Number(stored.params.row_limit) || null,
          (query?.columns?.length ?? 0) > 0 ? query?.row_limit : null,
        ]),
      );

      // (c) Russian labels.
      // A table's numeric columns are its figures (rows, days behind), not categories.
      add(
        checkRussianLabels(
          result,
          categories,
          chart.viz === 'table'
            ? { ...rules, numericColumns: new Map(categories.map((name) => [name, 'a table column'])) }
            : rules,
        ),
      );

      // (d) complete periods, against the table's own first and last day.
      if ((chart.viz === 'line' || chart.viz === 'bar' || chart.viz === 'area') && x && isTemporal(x)) {
        const grain = (chart.time_grain ?? 'P1D') as Grain;
        const from = dataset.sql ? `(${dataset.sql})` : `\`${dataset.table}\``;
        const days = await span(from, x);
        if (days) add(checkCompletePeriods(result, x, grain, days));
      }

      // (e) the slice: in the params and in the query_context, as Superset holds them.
      const where = conditions(stored);
      const labelledColumn = (set: string) => dataset.columns.find((column) => column.labels === set)?.name;
      const chartVocabulary: NamedSlice[] = vocabulary.flatMap((entry) => {
        const column = entry.set ? labelledColumn(entry.set) : entry.column;
        const name = entry.set && column ? `${column}_code` : column;
        return name ? [{ column: name, value: entry.code, words: entry.words }] : [];
      });
      const exposed = new Set([
        ...dataset.columns.map((column) => column.name),
        ...dataset.columns.filter((column) => column.labels).map((column) => `${column.name}_code`),
      ]);
      const slice = dashboard.slice ?? [];
      for (const [what, text] of [
        ['params', where.params],
        ['query_context', where.query],
      ] as const)
        add(
          checkSlice({
            where: text || undefined,
            title: chart.title,
            dashboardTitle: dashboard.title,
            slice,
            vocabulary: chartVocabulary,
            columns: exposed,
          }).map((item) => ({ ...item, message: `${what}: ${item.message}` })),
        );

      // (f) empty or unknown categories, the labelled empty code («Вне сетей») among them.
      const marked: ChartResult = {
        ...result,
        data: result.data.map((row) => {
          const copy = { ...row };
          for (const column of categories)
            if (
              typeof copy[column] === 'string' &&
              emptyLabels.has(copy[column] as string) &&
              !isUnknownCategory(copy[column])
            )
              copy[column] = 'unknown';
          return copy;
        }),
      };
      add(
        checkEmptyCategories(marked, categories, additive(chart, dataset) ?? metrics[0]).map((item) => ({
          ...item,
          message: item.message.replace("= 'unknown'", '= an empty code’s label'),
        })),
      );

      // One value of several (no B2C), a cumulative measure falling, a series ending in zeros.
      for (const column of categories) {
        const set = columns.get(column)?.labels;
        const possible = set
          ? Object.keys(sources.labels[set] ?? {}).filter((code) => code !== '').length
          : 0;
        const filtered = new RegExp(`\\b${column}(_code)?\\s*(=|IN\\b)`, 'i').test(
          `${where.query} ${where.params}`,
        );
        // A table lists records (the most valuable clients all paying by card is a fact, not a lost category).
        if (chart.viz !== 'table') add(checkSingleCategory(result, column, possible, filtered));
      }
      if (x && (isTemporal(x) || NUMERIC_CATEGORIES.has(x))) {
        const cumulative = metricsOf(chart).filter((metric) => {
          const name = metricName(metric as never);
          const label = dataset.metrics.find((candidate) => candidate.name === name)?.label ?? name;
          return /накоплен|ltv/i.test(label) || /накоплен/i.test(chart.title);
        });
        for (const metric of cumulative)
          add(checkCumulative(result, x, groupby, metricName(metric as never)));
        add(checkDropToZero(result, x, groupby, metrics));
      }

      // The legend: series (metrics × groupby values) or slices.
      const distinct = (columns: readonly string[]) =>
        new Set(result.data.map((row) => columns.map((column) => String(row[column])).join('\u0000'))).size;
      const items =
        chart.viz === 'pie'
          ? distinct(groupby)
          : chart.viz === 'table' || chart.viz === 'big_number'
            ? 0
            : metrics.length * (groupby.length > 0 ? distinct(groupby) : 1);
      add(checkLegend(stored.params, items));

      // Formats: a percentage drawn with a % format, and its values fractions.
      const chartFormat =
        (stored.params.y_axis_format as string | undefined) ??
        (stored.params.number_format as string | undefined);
      const formats = metricsOf(chart).map((metric) => {
        const name = metricName(metric as never);
        const source = dataset.metrics.find((candidate) => candidate.name === name);
        const format = chart.viz === 'table' ? source?.format : chartFormat;
        return { name, label: source?.label ?? name, format: format === 'SMART_NUMBER' ? undefined : format };
      });
      add(checkPercentFormats(formats, chart.title));
      // Only a share, a retention, a churn or a conversion is bounded by 100 % (ROMI is not).
      for (const { name, label, format } of formats)
        if (/дол[яи]|удержан|отток|конверс|→|% оборота/i.test(label))
          add(checkPercentValues(result, name, format));
    };
    // Four charts at a time, as a dashboard asks; the findings in the dashboard's order.
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let key = queue.shift(); key !== undefined; key = queue.shift()) await lintOne(key);
      }),
    );
    for (const key of keys) findings.push(...(perChart.get(key) ?? []));
  }
  return { findings, charts };
}

/** Findings grouped per chart: `dashboard / chart «title»` then one line per check. */
export function formatFindings(findings: readonly LintFinding[]): string {
  const groups = new Map<string, LintFinding[]>();
  for (const item of findings) {
    const key = `${item.dashboard} / ${item.chart} «${item.title}»`;
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return [...groups]
    .map(
      ([chart, items]) =>
        `${chart}\n${items.map((item) => `    [${item.check}] ${item.message}`).join('\n')}`,
    )
    .join('\n');
}
