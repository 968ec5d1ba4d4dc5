import { createHash } from 'node:crypto';
import { strToU8, zipSync } from 'fflate';
import { stringify } from 'yaml';
import { chartParams, chartQueryContext, SUPERSET_VIZ } from './charts.ts';
import { datasetColumns, datasetSql } from './datasetSql.ts';
import {
  chartsOfDashboard,
  type DashboardSource,
  type DatabaseSource,
  type DatasetSource,
  type Labels,
  type NativeFilterSource,
  type Sources,
} from './sources.ts';

/*
 * Builds Superset's v1 import bundle (the format `superset export` writes and
 * ImportAssetsCommand reads): a ZIP with one top-level folder holding metadata.yaml and
 * databases/, datasets/, charts/, dashboards/ YAML files linked by UUID.
 */

export const BUNDLE_ROOT = 'vitrina_dashboards';
const VERSION = '1.0.0';
/** What Superset's exports put in place of a password; the real one goes in the import's `passwords` field. */
export const PASSWORD_MASK = 'XXXXXXXXXX';
const GRID_COLUMNS = 12;
const CHART_HEIGHT = 50;

export interface Bundle {
  /** Path inside the ZIP (with the top-level folder) → YAML text. */
  files: Map<string, string>;
  /** databases/<file>.yaml → password, for the import request's `passwords` field. */
  passwords: Record<string, string>;
  zip: Uint8Array;
}

export type Environment = Record<string, string | undefined>;

/** http://user:pass@host:8123/database → clickhousedb://user:XXXXXXXXXX@host:8123/database, and the password. */
export function clickhouseUri(httpUrl: string): { uri: string; password: string | null } {
  const url = new URL(httpUrl);
  const database = url.pathname.replace(/^\//, '') || 'default';
  const user = decodeURIComponent(url.username) || 'default';
  const password = url.password ? decodeURIComponent(url.password) : null;
  const credentials = `${encodeURIComponent(user)}${password ? `:${PASSWORD_MASK}` : ''}`;
  return { uri: `clickhousedb://${credentials}@${url.hostname}:${url.port || '8123'}/${database}`, password };
}

/** A stable short id derived from a UUID and a label, for layout and filter ids Superset wants unique. */
const stableId = (...parts: string[]) =>
  createHash('sha256').update(parts.join('/')).digest('hex').slice(0, 10);

function databaseFile(database: DatabaseSource, env: Environment) {
  const { uri, password } = clickhouseUri(env[database.url_env] ?? database.default_url);
  return {
    password,
    config: {
      database_name: database.name,
      sqlalchemy_uri: uri,
      cache_timeout: null,
      expose_in_sqllab: true,
      allow_run_async: false,
      allow_ctas: false,
      allow_cvas: false,
      allow_dml: false,
      allow_csv_upload: false,
      extra: { allows_virtual_table_explore: true },
      uuid: database.uuid,
      version: VERSION,
    },
  };
}

function datasetFile(dataset: DatasetSource, database: DatabaseSource, labels: Labels) {
  return {
    table_name: dataset.table,
    main_dttm_col: dataset.time_column ?? null,
    description: dataset.description,
    default_endpoint: null,
    offset: 0,
    cache_timeout: null,
    schema: null,
    sql: datasetSql(dataset, labels),
    params: null,
    template_params: null,
    filter_select_enabled: true,
    fetch_values_predicate: null,
    extra: null,
    normalize_columns: false,
    always_filter_main_dttm: false,
    uuid: dataset.uuid,
    metrics: dataset.metrics.map((metric) => ({
      metric_name: metric.name,
      verbose_name: metric.label,
      metric_type: null,
      expression: metric.sql,
      description: metric.description ?? null,
      d3format: metric.format ?? null,
      extra: {},
      warning_text: null,
    })),
    columns: datasetColumns(dataset).map((column) => ({
      column_name: column.name,
      verbose_name: column.label,
      is_dttm: column.temporal,
      is_active: true,
      type: column.type,
      groupby: true,
      filterable: true,
      expression: null,
      description: column.description ?? null,
      python_date_format: null,
      extra: {},
    })),
    version: VERSION,
    database_uuid: database.uuid,
  };
}

type LayoutNode = {
  type: string;
  id: string;
  children: string[];
  parents?: string[];
  meta?: Record<string, string | number>;
};

/** Dashboard layout: one ROW per source row, its charts sharing the 12 grid columns unless widths are given. */
function dashboardPosition(dashboard: DashboardSource, sources: Sources, chartIds: Map<string, number>) {
  const position: Record<string, LayoutNode | string> = {
    DASHBOARD_VERSION_KEY: 'v2',
    ROOT_ID: { type: 'ROOT', id: 'ROOT_ID', children: ['GRID_ID'] },
    GRID_ID: { type: 'GRID', id: 'GRID_ID', children: [], parents: ['ROOT_ID'] },
    HEADER_ID: { type: 'HEADER', id: 'HEADER_ID', children: [], meta: { text: dashboard.title } },
  };
  const grid = position.GRID_ID as LayoutNode;
  dashboard.rows.forEach((row, rowIndex) => {
    const rowId = `ROW-${stableId(dashboard.uuid, 'row', String(rowIndex))}`;
    grid.children.push(rowId);
    const evenWidth = Math.floor(GRID_COLUMNS / row.length);
    const rowNode: LayoutNode = {
      type: 'ROW',
      id: rowId,
      children: [],
      parents: ['ROOT_ID', 'GRID_ID'],
      meta: { background: 'BACKGROUND_TRANSPARENT' },
    };
    position[rowId] = rowNode;
    for (const cell of row) {
      const key = typeof cell === 'string' ? cell : cell.chart;
      const chart = sources.charts.get(key)!;
      const chartId = `CHART-${stableId(dashboard.uuid, key)}`;
      rowNode.children.push(chartId);
      position[chartId] = {
        type: 'CHART',
        id: chartId,
        children: [],
        parents: ['ROOT_ID', 'GRID_ID', rowId],
        meta: {
          width: typeof cell === 'string' ? evenWidth : cell.width,
          height: typeof cell === 'string' ? CHART_HEIGHT : (cell.height ?? CHART_HEIGHT),
          chartId: chartIds.get(key)!,
          uuid: chart.uuid,
          sliceName: chart.title,
        },
      };
    }
  });
  return position;
}

function nativeFilter(dashboard: DashboardSource, filter: NativeFilterSource, sources: Sources) {
  const dataset = sources.datasets.get(filter.dataset)!;
  const common = {
    id: `NATIVE_FILTER-${stableId(dashboard.uuid, filter.name)}`,
    name: filter.name,
    type: 'NATIVE_FILTER',
    description: '',
    cascadeParentIds: [],
    scope: { rootPath: ['ROOT_ID'], excluded: [] },
    defaultDataMask: { extraFormData: {}, filterState: {}, ownState: {} },
  };
  if (filter.kind === 'time_range')
    return { ...common, filterType: 'filter_time', targets: [{}], controlValues: {} };
  return {
    ...common,
    filterType: 'filter_select',
    targets: [{ datasetUuid: dataset.uuid, column: { name: filter.column } }],
    controlValues: {
      enableEmptyFilter: false,
      defaultToFirstItem: false,
      multiSelect: true,
      searchAllOptions: false,
      inverseSelection: false,
    },
  };
}

function dashboardFile(dashboard: DashboardSource, sources: Sources) {
  // Position nodes need a chart id before import; Superset maps them to the real ids by UUID.
  const chartIds = new Map(chartsOfDashboard(dashboard).map((key, index) => [key, index + 1]));
  return {
    dashboard_title: dashboard.title,
    description: dashboard.description ?? null,
    css: '',
    slug: dashboard.slug,
    certified_by: null,
    certification_details: null,
    published: true,
    uuid: dashboard.uuid,
    position: dashboardPosition(dashboard, sources, chartIds),
    metadata: {
      color_scheme: 'supersetColors',
      refresh_frequency: 0,
      expanded_slices: {},
      label_colors: {},
      shared_label_colors: [],
      color_scheme_domain: [],
      timed_refresh_immune_slices: [],
      cross_filters_enabled: true,
      native_filter_configuration: dashboard.filters.map((filter) =>
        nativeFilter(dashboard, filter, sources),
      ),
    },
    version: VERSION,
  };
}

const yaml = (value: unknown) => stringify(value, { lineWidth: 0, aliasDuplicateObjects: false });

/**
 * The import bundle for already validated sources. Database URLs come from the environment
 * variable each database source names (falling back to its default), so one set of sources serves
 * a laptop, CI and production.
 */
export function buildBundle(sources: Sources, env: Environment = process.env): Bundle {
  const files = new Map<string, string>();
  const passwords: Record<string, string> = {};
  const put = (path: string, value: unknown) => files.set(`${BUNDLE_ROOT}/${path}`, yaml(value));

  put('metadata.yaml', { version: VERSION, type: 'assets' });
  for (const [key, database] of sources.databases) {
    const { config, password } = databaseFile(database, env);
    put(`databases/${key}.yaml`, config);
    if (password !== null) passwords[`databases/${key}.yaml`] = password;
  }
  for (const [key, dataset] of sources.datasets)
    put(
      `datasets/${key}.yaml`,
      datasetFile(dataset, sources.databases.get(dataset.database)!, sources.labels),
    );
  for (const [key, chart] of sources.charts) {
    const dataset = sources.datasets.get(chart.dataset)!;
    put(`charts/${key}.yaml`, {
      slice_name: chart.title,
      description: chart.description ?? null,
      certified_by: null,
      certification_details: null,
      viz_type: SUPERSET_VIZ[chart.viz],
      params: chartParams(chart, dataset),
      query_context: chartQueryContext(chart, dataset),
      cache_timeout: null,
      uuid: chart.uuid,
      version: VERSION,
      dataset_uuid: dataset.uuid,
    });
  }
  for (const [key, dashboard] of sources.dashboards)
    put(`dashboards/${key}.yaml`, dashboardFile(dashboard, sources));

  // A fixed timestamp keeps the ZIP byte-for-byte the same for the same sources.
  const mtime = new Date('2026-01-01T00:00:00Z');
  const entries = Object.fromEntries(
    [...files].map(([path, content]) => [
      path,
      [strToU8(content), { mtime }] as [Uint8Array, { mtime: Date }],
    ]),
  );
  return { files, passwords, zip: zipSync(entries, { level: 6 }) };
}
