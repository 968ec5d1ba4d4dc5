import { exposedColumns } from './datasetSql.ts';
import {
  type ChartMetric,
  type ChartSource,
  chartsOfDashboard,
  type DashboardSource,
  type SourceProblem,
  type Sources,
} from './sources.ts';

/* Cross-file checks of loaded sources: references, UUIDs, label sets, dashboard slices. */

const metricNames = (metrics: ChartMetric[]) =>
  metrics.flatMap((metric) => (typeof metric === 'string' ? [metric] : []));

/** The dataset columns and metrics a chart names, with the field that names each. */
function chartReferences(chart: ChartSource): { columns: [string, string][]; metrics: [string, string][] } {
  switch (chart.viz) {
    case 'big_number':
      return { columns: [], metrics: metricNames([chart.metric]).map((name) => ['metric', name]) };
    case 'pie':
      return {
        columns: chart.groupby.map((name, index) => [`groupby[${index}]`, name]),
        metrics: metricNames([chart.metric]).map((name) => ['metric', name]),
      };
    case 'table':
      return {
        columns: chart.groupby.map((name, index) => [`groupby[${index}]`, name]),
        metrics: chart.metrics.flatMap((metric, index) =>
          typeof metric === 'string' ? [[`metrics[${index}]`, metric] as [string, string]] : [],
        ),
      };
    default:
      return {
        columns: [
          ['x', chart.x],
          ...chart.groupby.map((name, index): [string, string] => [`groupby[${index}]`, name]),
        ],
        metrics: chart.metrics.flatMap((metric, index) =>
          typeof metric === 'string' ? [[`metrics[${index}]`, metric] as [string, string]] : [],
        ),
      };
  }
}

/** Cross-file checks: every reference names an existing file, column or metric; UUIDs are unique. */
export function checkReferences(sources: Omit<Sources, 'root'>, problems: SourceProblem[]): void {
  const seenUuids = new Map<string, string>();
  const claimUuid = (value: string, file: string) => {
    const owner = seenUuids.get(value);
    if (owner) problems.push({ file, field: 'uuid', message: `same UUID as ${owner}` });
    else seenUuids.set(value, file);
  };
  for (const [name, database] of sources.databases) claimUuid(database.uuid, `databases/${name}.yaml`);
  for (const [name, dataset] of sources.datasets) {
    const file = `datasets/${name}.yaml`;
    claimUuid(dataset.uuid, file);
    dataset.columns.forEach((column, index) => {
      if (!column.labels) return;
      if (!sources.labels[column.labels])
        problems.push({
          file,
          field: `columns[${index}].labels`,
          message: `labels.yaml has no set '${column.labels}'`,
        });
      dataset.metrics.forEach((metric, metricIndex) => {
        if (new RegExp(`\\b${column.name}\\b`).test(metric.sql))
          problems.push({
            file,
            field: `metrics[${metricIndex}].sql`,
            message: `'${column.name}' is shown by its label here; compute with ${column.name}_code`,
          });
      });
    });
    if (!sources.databases.has(dataset.database))
      problems.push({ file, field: 'database', message: `no databases/${dataset.database}.yaml` });
  }
  for (const [name, chart] of sources.charts) {
    const file = `charts/${name}.yaml`;
    claimUuid(chart.uuid, file);
    const dataset = sources.datasets.get(chart.dataset);
    if (!dataset) {
      problems.push({ file, field: 'dataset', message: `no datasets/${chart.dataset}.yaml` });
      continue;
    }
    const references = chartReferences(chart);
    for (const [field, column] of references.columns)
      if (!exposedColumns(dataset).includes(column))
        problems.push({ file, field, message: `datasets/${chart.dataset}.yaml has no column '${column}'` });
    for (const [field, metric] of references.metrics)
      if (!dataset.metrics.some((candidate) => candidate.name === metric))
        problems.push({ file, field, message: `datasets/${chart.dataset}.yaml has no metric '${metric}'` });
  }
  for (const [name, dashboard] of sources.dashboards) {
    const file = `dashboards/${name}.yaml`;
    claimUuid(dashboard.uuid, file);
    dashboard.rows.forEach((row, rowIndex) => {
      row.forEach((cell, cellIndex) => {
        const chart = typeof cell === 'string' ? cell : cell.chart;
        if (!sources.charts.has(chart))
          problems.push({
            file,
            field: `rows[${rowIndex}][${cellIndex}]`,
            message: `no charts/${chart}.yaml`,
          });
      });
    });
    checkSlice(file, dashboard, sources, problems);
    dashboard.filters.forEach((filter, index) => {
      const dataset = sources.datasets.get(filter.dataset);
      if (!dataset)
        problems.push({
          file,
          field: `filters[${index}].dataset`,
          message: `no datasets/${filter.dataset}.yaml`,
        });
      else if (!exposedColumns(dataset).includes(filter.column))
        problems.push({
          file,
          field: `filters[${index}].column`,
          message: `datasets/${filter.dataset}.yaml has no column '${filter.column}'`,
        });
    });
  }
  sources.questions.forEach((question, index) => {
    question.charts.forEach((chart, chartIndex) => {
      if (!sources.charts.has(chart))
        problems.push({
          file: 'questions.yaml',
          field: `questions[${index}].charts[${chartIndex}]`,
          message: `no charts/${chart}.yaml`,
        });
    });
  });
}

/** Every chart of a sliced dashboard filters to the slice: its `where` holds `column = 'value'`. */
function checkSlice(
  file: string,
  dashboard: DashboardSource,
  sources: Omit<Sources, 'root'>,
  problems: SourceProblem[],
): void {
  for (const chartKey of chartsOfDashboard(dashboard)) {
    const chart = sources.charts.get(chartKey);
    if (!chart) continue;
    for (const { column, value } of dashboard.slice)
      if (!sliceCondition(column, value).test(chart.where ?? ''))
        problems.push({
          file,
          field: 'slice',
          message: `charts/${chartKey}.yaml does not filter ${column} = '${value}' (its where: ${chart.where ?? 'none'})`,
        });
  }
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `column = 'value'` as a whole condition (not `other_column = 'value'`). */
export const sliceCondition = (column: string, value: string) =>
  new RegExp(`(^|[^\\w])${escapeRegExp(column)}\\s*=\\s*'${escapeRegExp(value)}'`);
