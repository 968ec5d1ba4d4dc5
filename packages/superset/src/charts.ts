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

function metricJson(metric: ChartMetric): Json {
  return typeof metric === 'string'
    ? metric
    : { expressionType: 'SQL', sqlExpression: metric.sql, label: metric.label };
}

const metricLabel = (metric: ChartMetric) => (typeof metric === 'string' ? metric : metric.label);

interface ChartQuery {
  columns: Json[];
  metrics: Json[];
  orderby: Json[];
  row_limit: number;
}

function chartQuery(chart: ChartSource): ChartQuery {
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
        orderby: first ? [[metricJson(first), false]] : [],
        row_limit: chart.row_limit,
      };
    }
    default:
      return {
        columns: [
          {
            timeGrain: chart.time_grain ?? 'P1D',
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
  const common: Record<string, Json> = {
    datasource: PLACEHOLDER_DATASOURCE,
    viz_type: SUPERSET_VIZ[chart.viz],
    adhoc_filters: chart.where
      ? [
          {
            expressionType: 'SQL',
            sqlExpression: chart.where,
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
        y_axis_format: chart.format ?? 'SMART_NUMBER',
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
        number_format: 'SMART_NUMBER',
        show_legend: true,
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
        order_desc: true,
        row_limit: chart.row_limit,
        server_page_length: 10,
        table_timestamp_format: '%Y-%m-%d',
        show_cell_bars: true,
        color_pn: true,
        ...(chart.metrics[0] ? { timeseries_limit_metric: metricJson(chart.metrics[0]) } : {}),
      };
    case 'category_bar':
      return {
        ...common,
        x_axis: chart.x,
        x_axis_sort: metricLabel(chart.metrics[0]!),
        x_axis_sort_asc: false,
        metrics: chart.metrics.map(metricJson),
        groupby: chart.groupby,
        row_limit: chart.row_limit,
        orientation: 'vertical',
        show_legend: chart.groupby.length > 0 || chart.metrics.length > 1,
        y_axis_format: chart.format ?? 'SMART_NUMBER',
        rich_tooltip: true,
      };
    default: {
      const xColumn = dataset.columns.find((column) => column.name === chart.x);
      return {
        ...common,
        x_axis: chart.x,
        time_grain_sqla: xColumn?.temporal ? (chart.time_grain ?? 'P1D') : null,
        metrics: chart.metrics.map(metricJson),
        groupby: chart.groupby,
        row_limit: 10_000,
        stack: chart.stacked ? 'Stack' : null,
        show_legend: true,
        rich_tooltip: true,
        y_axis_format: chart.format ?? 'SMART_NUMBER',
        x_axis_time_format: 'smart_date',
        truncateYAxis: false,
        zoomable: true,
        markerEnabled: chart.viz === 'line',
      };
    }
  }
}

export function chartQueryContext(chart: ChartSource, dataset: DatasetSource): string {
  const form = chartParams(chart, dataset);
  const query = chartQuery(chart);
  return JSON.stringify({
    datasource: { id: 0, type: 'table' },
    force: false,
    queries: [
      {
        filters: [],
        extras: { having: '', where: chart.where ?? '' },
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
