import { COMPLETE_COLUMN, type CompleteGrain } from './datasetSql.ts';
import type { TimeGrain } from './schema.ts';
import type { ChartMetric, ChartSource, DatasetSource } from './sources.ts';

/*
 * A chart source → Superset's form data (`params`, what the dashboard renders from) and its
 * `query_context` (what GET /api/v1/chart/{id}/data/ runs). Both carry a placeholder datasource:
 * the import rewrites it to the dataset's id (update_chart_config_dataset in Superset).
 */

type Json = string | number | boolean | null | Json[] | { [key: string]: Json };

export const SUPERSET_VIZ: Record<ChartSource['viz'], string> = {
  big_number: 'big_number_total',
  line: 'echarts_timeseries_line',
  bar: 'echarts_timeseries_bar',
  area: 'echarts_area',
  category_bar: 'echarts_timeseries_bar',
  pie: 'pie',
  table: 'table',
};

const PLACEHOLDER_DATASOURCE = '0__table';

/** The time axis' labels per grain, in the Russian locale of the generated config: «9 ноя», «ноя 2026». */
const TIME_FORMAT: Record<TimeGrain, string> = {
  P1D: '%-d %b',
  P1W: '%-d %b',
  P1M: '%b %Y',
  P3M: '%b %Y',
  P1Y: '%Y',
};

/** A table's per-column number formats: each metric's own (ad hoc) or its dataset metric's. */
function columnConfig(metrics: ChartMetric[], dataset: DatasetSource): Record<string, Json> {
  const config: Record<string, Json> = {};
  for (const metric of metrics) {
    const format =
      typeof metric === 'string'
        ? dataset.metrics.find((candidate) => candidate.name === metric)?.format
        : metric.format;
    if (format) config[metricLabel(metric)] = { d3NumberFormat: format };
  }
  return config;
}

function metricJson(metric: ChartMetric): Json {
  return typeof metric === 'string'
    ? metric
    : { expressionType: 'SQL', sqlExpression: metric.sql, label: metric.label };
}

const metricLabel = (metric: ChartMetric) => (typeof metric === 'string' ? metric : metric.label);

const chartMetrics = (chart: ChartSource): ChartMetric[] =>
  'metrics' in chart ? chart.metrics : [chart.metric];

/**
 * The number format of the chart's values: its own, else that of its first dataset metric (so a
 * share reads `30,3 %` and money `22 031 909` in the Russian locale of the generated config).
 */
function valueFormat(chart: ChartSource, dataset: DatasetSource): string {
  if ('format' in chart && chart.format) return chart.format;
  const first = chartMetrics(chart)[0];
  const metric =
    typeof first === 'string' ? dataset.metrics.find((candidate) => candidate.name === first) : undefined;
  return metric?.format ?? 'SMART_NUMBER';
}

const isTemporal = (dataset: DatasetSource, column: string) =>
  dataset.columns.some((candidate) => candidate.name === column && candidate.temporal);

const isTimeSeries = (chart: ChartSource) =>
  chart.viz === 'line' || chart.viz === 'bar' || chart.viz === 'area';

/**
 * The chart's condition: its own `where`, and for a weekly or monthly time series over a dataset
 * with a time column, only complete periods — never a partial week or month drawn as a drop.
 */
export function chartWhere(chart: ChartSource, dataset: DatasetSource): string | undefined {
  const overTime = isTimeSeries(chart) && 'x' in chart && chart.x === dataset.time_column;
  const grain = overTime && 'time_grain' in chart ? chart.time_grain : undefined;
  const complete =
    grain && grain in COMPLETE_COLUMN ? `${COMPLETE_COLUMN[grain as CompleteGrain]} = 1` : undefined;
  if (!complete) return chart.where;
  return chart.where ? `(${chart.where}) AND ${complete}` : complete;
}

interface ChartQuery {
  columns: Json[];
  metrics: Json[];
  orderby: Json[];
  row_limit: number;
}

function chartQuery(chart: ChartSource, dataset: DatasetSource): ChartQuery {
  switch (chart.viz) {
    case 'big_number':
      return { columns: [], metrics: [metricJson(chart.metric)], orderby: [], row_limit: 1 };
    case 'pie':
      return {
        columns: chart.groupby,
        metrics: [metricJson(chart.metric)],
        orderby: [[metricJson(chart.metric), false]],
        row_limit: chart.row_limit,
      };
    case 'table':
    case 'category_bar': {
      const columns = chart.viz === 'table' ? chart.groupby : [chart.x, ...chart.groupby];
      const first = chart.metrics[0];
      return {
        columns,
        metrics: chart.metrics.map(metricJson),
        orderby: first ? [[metricJson(first), chart.viz === 'table' && chart.ascending]] : [],
        row_limit: chart.row_limit,
      };
    }
    default:
      return {
        columns: [
          {
            // A time grain only on a time axis: Superset would truncate a number (periods since…) to a day.
            ...(isTemporal(dataset, chart.x) ? { timeGrain: chart.time_grain ?? 'P1D' } : {}),
            columnType: 'BASE_AXIS',
            sqlExpression: chart.x,
            label: chart.x,
            expressionType: 'SQL',
          },
          ...chart.groupby,
        ],
        metrics: chart.metrics.map(metricJson),
        orderby: [],
        row_limit: 10_000,
      };
  }
}

/** Form data (`params`) as Superset's explore view saves it for each viz type. */
export function chartParams(chart: ChartSource, dataset: DatasetSource): Record<string, Json> {
  const where = chartWhere(chart, dataset);
  const format = valueFormat(chart, dataset);
  const common: Record<string, Json> = {
    datasource: PLACEHOLDER_DATASOURCE,
    viz_type: SUPERSET_VIZ[chart.viz],
    adhoc_filters: where
      ? [
          {
            expressionType: 'SQL',
            sqlExpression: where,
            clause: 'WHERE',
            subject: null,
            operator: null,
            comparator: null,
          },
        ]
      : [],
    time_range: 'No filter',
    extra_form_data: {},
    dashboards: [],
  };
  switch (chart.viz) {
    case 'big_number':
      return {
        ...common,
        metric: metricJson(chart.metric),
        header_font_size: 0.4,
        subheader_font_size: 0.15,
        y_axis_format: format,
      };
    case 'pie':
      return {
        ...common,
        metric: metricJson(chart.metric),
        groupby: chart.groupby,
        row_limit: chart.row_limit,
        sort_by_metric: true,
        show_labels: true,
        labels_outside: true,
        label_type: 'key_percent',
        number_format: format,
        show_legend: true,
        legendType: 'plain',
        legendOrientation: 'right',
        donut: true,
        innerRadius: 40,
        outerRadius: 70,
      };
    case 'table':
      return {
        ...common,
        query_mode: 'aggregate',
        groupby: chart.groupby,
        metrics: chart.metrics.map(metricJson),
        all_columns: [],
        percent_metrics: [],
        order_desc: !chart.ascending,
        row_limit: chart.row_limit,
        server_page_length: 10,
        table_timestamp_format: '%Y-%m-%d',
        show_cell_bars: true,
        column_config: columnConfig(chart.metrics, dataset),
        color_pn: true,
        ...(chart.metrics[0] ? { timeseries_limit_metric: metricJson(chart.metrics[0]) } : {}),
      };
    case 'category_bar':
      return {
        ...common,
        x_axis: chart.x,
        x_axis_sort: chart.sort === 'x' ? chart.x : metricLabel(chart.metrics[0]!),
        // Horizontal bars are drawn from the bottom: ascending puts the largest on top.
        x_axis_sort_asc: chart.sort === 'x' || chart.orientation !== 'vertical',
        metrics: chart.metrics.map(metricJson),
        groupby: chart.groupby,
        row_limit: chart.row_limit,
        // Horizontal: every category's name fits on the axis, however long; numbers stay vertical.
        orientation: chart.orientation ?? (chart.sort === 'x' ? 'vertical' : 'horizontal'),
        show_legend: chart.groupby.length > 0 || chart.metrics.length > 1,
        legendType: 'plain',
        legendOrientation: 'top',
        y_axis_format: format,
        rich_tooltip: true,
      };
    default: {
      return {
        ...common,
        x_axis: chart.x,
        time_grain_sqla: isTemporal(dataset, chart.x) ? (chart.time_grain ?? 'P1D') : null,
        metrics: chart.metrics.map(metricJson),
        groupby: chart.groupby,
        row_limit: 10_000,
        stack: chart.stacked ? 'Stack' : null,
        show_legend: true,
        legendType: 'plain',
        legendOrientation: 'top',
        rich_tooltip: true,
        y_axis_format: format,
        x_axis_time_format: TIME_FORMAT[chart.time_grain ?? 'P1D'],
        truncateYAxis: false,
        zoomable: false,
        markerEnabled: chart.viz === 'line',
      };
    }
  }
}

export function chartQueryContext(chart: ChartSource, dataset: DatasetSource): string {
  const form = chartParams(chart, dataset);
  const query = chartQuery(chart, dataset);
  return JSON.stringify({
    datasource: { id: 0, type: 'table' },
    force: false,
    queries: [
      {
        filters: [],
        extras: { having: '', where: chartWhere(chart, dataset) ?? '' },
        applied_time_extras: {},
        columns: query.columns,
        metrics: query.metrics,
        orderby: query.orderby,
        annotation_layers: [],
        row_limit: query.row_limit,
        series_limit: 0,
        order_desc: true,
        url_params: {},
        custom_params: {},
        custom_form_data: {},
      },
    ],
    form_data: form,
    result_format: 'json',
    result_type: 'full',
  });
}
