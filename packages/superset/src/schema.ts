import { z } from 'zod';

/*
 * The zod schemas of the source files under superset/ (one YAML file per database, dataset, chart
 * and dashboard; questions.yaml; labels.yaml; templates/) and the types they give.
 */

export const key = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a key: lower-case letters, digits and _');
const uuid = z.uuid('expected a UUID');
const text = z.string().trim().min(1, 'must not be empty');

export const databaseSourceSchema = z
  .object({
    uuid,
    name: text,
    /** The environment variable holding the ClickHouse HTTP URL (http://user:pass@host:8123/database). */
    url_env: z.string().regex(/^[A-Z][A-Z0-9_]*$/, 'expected an environment variable name'),
    default_url: z.url('expected an http(s) URL'),
  })
  .strict();

const columnSchema = z
  .object({
    name: key,
    type: text,
    label: text,
    temporal: z.boolean().default(false),
    /** A label set of labels.yaml: Superset shows the Russian label as `name`, the code as `name_code`. */
    labels: key.optional(),
    /** Computed in the virtual dataset from the table's columns (ClickHouse SQL), not stored in the mart. */
    expression: z.string().optional(),
    description: z.string().optional(),
  })
  .strict();

const metricSchema = z
  .object({
    name: key,
    label: text,
    sql: text,
    format: z.string().optional(),
    description: z.string().optional(),
  })
  .strict();

export const datasetSourceSchema = z
  .object({
    uuid,
    database: key,
    /** The ClickHouse table (or, with `sql`, the name of the virtual dataset). */
    table: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a table name'),
    description: text,
    sql: z.string().optional(),
    time_column: key.optional(),
    /** A column holding the newest day of the data (as_of), when the time column's own max is not. */
    data_through: key.optional(),
    columns: z.array(columnSchema).min(1),
    metrics: z.array(metricSchema).default([]),
  })
  .strict()
  .superRefine((dataset, context) => {
    const names = new Set(dataset.columns.map((column) => column.name));
    if (dataset.time_column && !names.has(dataset.time_column))
      context.addIssue({
        code: 'custom',
        path: ['time_column'],
        message: `'${dataset.time_column}' is not among the columns`,
      });
    if (dataset.data_through && !names.has(dataset.data_through))
      context.addIssue({
        code: 'custom',
        path: ['data_through'],
        message: `'${dataset.data_through}' is not among the columns`,
      });
    dataset.columns.forEach((column, index) => {
      if (dataset.columns.findIndex((other) => other.name === column.name) !== index)
        context.addIssue({ code: 'custom', path: ['columns', index, 'name'], message: 'duplicate column' });
    });
  });

/** A metric of a chart: a dataset metric by name, or an ad-hoc SQL aggregate with its label. */
const chartMetricSchema = z.union([
  key,
  z.object({ label: text, sql: text, format: z.string().optional() }).strict(),
]);

const timeGrainSchema = z.enum(['P1D', 'P1W', 'P1M', 'P3M', 'P1Y']);

const chartCommon = {
  uuid,
  title: text,
  dataset: key,
  description: z.string().optional(),
  /** An SQL condition on the dataset's rows, applied before aggregation. */
  where: z.string().optional(),
};

export const chartSourceSchema = z.discriminatedUnion('viz', [
  z
    .object({
      ...chartCommon,
      viz: z.literal('big_number'),
      metric: chartMetricSchema,
      format: z.string().optional(),
    })
    .strict(),
  z
    .object({
      ...chartCommon,
      viz: z.enum(['line', 'bar', 'area']),
      metrics: z.array(chartMetricSchema).min(1),
      x: key,
      time_grain: timeGrainSchema.optional(),
      groupby: z.array(key).default([]),
      stacked: z.boolean().default(false),
      format: z.string().optional(),
    })
    .strict(),
  z
    .object({
      ...chartCommon,
      viz: z.literal('category_bar'),
      metrics: z.array(chartMetricSchema).min(1),
      x: key,
      groupby: z.array(key).default([]),
      /** Bars by the first metric, largest first, or in the order of x (hours, days since…). */
      sort: z.enum(['metric', 'x']).default('metric'),
      /** Horizontal by default (long names fit); vertical when sorted by x (hours, days since…). */
      orientation: z.enum(['horizontal', 'vertical']).optional(),
      row_limit: z.number().int().positive().default(50),
      format: z.string().optional(),
    })
    .strict(),
  z
    .object({
      ...chartCommon,
      viz: z.literal('pie'),
      metric: chartMetricSchema,
      groupby: z.array(key).min(1),
      row_limit: z.number().int().positive().default(20),
    })
    .strict(),
  z
    .object({
      ...chartCommon,
      viz: z.literal('table'),
      metrics: z.array(chartMetricSchema).default([]),
      groupby: z.array(key).min(1),
      /** Rows by the first metric, largest first; `ascending` smallest first (a list's own order). */
      ascending: z.boolean().default(false),
      row_limit: z.number().int().positive().default(100),
    })
    .strict(),
]);

const dashboardCellSchema = z.union([
  key,
  z
    .object({
      chart: key,
      width: z.number().int().min(1).max(12),
      /** Grid rows of 8 px (50 by default): taller for a table meant to be read whole. */
      height: z.number().int().min(20).max(200).optional(),
    })
    .strict(),
]);

const nativeFilterSchema = z
  .object({
    name: text,
    kind: z.enum(['time_range', 'select']),
    dataset: key,
    column: key,
  })
  .strict();

const sliceSchema = z.object({ column: key, value: z.string() }).strict();

export const dashboardSourceSchema = z
  .object({
    uuid,
    title: text,
    slug: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a slug: lower-case letters, digits and -'),
    description: z.string().optional(),
    rows: z.array(z.array(dashboardCellSchema).min(1).max(4)).min(1),
    filters: z.array(nativeFilterSchema).default([]),
    /** The slice the whole dashboard shows: every chart on it must filter `column = 'value'`. */
    slice: z.array(sliceSchema).default([]),
  })
  .strict();

/** A dashboard made from superset/templates/<template>/: `{{name}}` in its files becomes params.name. */
export const templateInstanceSchema = z
  .object({
    template: key,
    uuid,
    params: z.record(key, z.union([z.string(), z.number()]).transform(String)),
  })
  .strict();

export const questionsSourceSchema = z
  .object({
    questions: z
      .array(
        z
          .object({
            id: z.string().regex(/^[a-z][a-z0-9_.]*$/, 'expected an id'),
            /** Who asks, as the brief names them. */
            asked_by: text,
            /** The question's words in the brief, quoted exactly, so a test can find it there. */
            brief: text,
            question: text,
            /** Chart keys, or `<template>/<chart>` for that chart of every dashboard made from the template. */
            charts: z
              .array(z.string().regex(/^[a-z][a-z0-9_]*(\/[a-z][a-z0-9_]*)?$/, 'expected a chart key'))
              .min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export const labelsSourceSchema = z
  .object({
    /** Label set → code → what the dashboards show. */
    sets: z.record(key, z.record(z.string(), text)),
  })
  .strict();

export type DatabaseSource = z.infer<typeof databaseSourceSchema>;
export type DatasetSource = z.infer<typeof datasetSourceSchema>;
export type DatasetColumn = DatasetSource['columns'][number];
export type ChartSource = z.infer<typeof chartSourceSchema>;
export type ChartMetric = z.infer<typeof chartMetricSchema>;
export type DashboardSource = z.infer<typeof dashboardSourceSchema>;
export type DashboardCell = z.infer<typeof dashboardCellSchema>;
export type NativeFilterSource = z.infer<typeof nativeFilterSchema>;
export type TemplateInstance = z.infer<typeof templateInstanceSchema>;
export type Question = z.infer<typeof questionsSourceSchema>['questions'][number];
export type Labels = z.infer<typeof labelsSourceSchema>['sets'];
export type TimeGrain = z.infer<typeof timeGrainSchema>;

/** The chart keys of a dashboard, row by row. */
export const chartsOfDashboard = (dashboard: DashboardSource): string[] =>
  dashboard.rows.flat().map((cell) => (typeof cell === 'string' ? cell : cell.chart));
