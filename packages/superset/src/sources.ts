import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { UserError } from '@vitrina/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/*
 * The readable source files under superset/: one YAML file per database, dataset, chart and
 * dashboard, plus questions.yaml. Files refer to each other by their key (the file name without
 * .yaml), so renaming a title never breaks a reference; UUIDs are fixed in the files so that
 * Superset overwrites the same objects on every import.
 */

const key = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a key: lower-case letters, digits and _');
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
    dataset.columns.forEach((column, index) => {
      if (dataset.columns.findIndex((other) => other.name === column.name) !== index)
        context.addIssue({ code: 'custom', path: ['columns', index, 'name'], message: 'duplicate column' });
    });
  });

/** A metric of a chart: a dataset metric by name, or an ad-hoc SQL aggregate with its label. */
const chartMetricSchema = z.union([key, z.object({ label: text, sql: text }).strict()]);

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
      row_limit: z.number().int().positive().default(100),
    })
    .strict(),
]);

const dashboardCellSchema = z.union([
  key,
  z.object({ chart: key, width: z.number().int().min(1).max(12) }).strict(),
]);

const nativeFilterSchema = z
  .object({
    name: text,
    kind: z.enum(['time_range', 'select']),
    dataset: key,
    column: key,
  })
  .strict();

export const dashboardSourceSchema = z
  .object({
    uuid,
    title: text,
    slug: z.string().regex(/^[a-z][a-z0-9-]*$/, 'expected a slug: lower-case letters, digits and -'),
    description: z.string().optional(),
    rows: z.array(z.array(dashboardCellSchema).min(1).max(4)).min(1),
    filters: z.array(nativeFilterSchema).default([]),
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
            charts: z.array(key).min(1),
          })
          .strict(),
      )
      .min(1),
  })
  .strict();

export type DatabaseSource = z.infer<typeof databaseSourceSchema>;
export type DatasetSource = z.infer<typeof datasetSourceSchema>;
export type ChartSource = z.infer<typeof chartSourceSchema>;
export type ChartMetric = z.infer<typeof chartMetricSchema>;
export type DashboardSource = z.infer<typeof dashboardSourceSchema>;
export type DashboardCell = z.infer<typeof dashboardCellSchema>;
export type NativeFilterSource = z.infer<typeof nativeFilterSchema>;
export type Question = z.infer<typeof questionsSourceSchema>['questions'][number];

export interface Sources {
  root: string;
  databases: Map<string, DatabaseSource>;
  datasets: Map<string, DatasetSource>;
  charts: Map<string, ChartSource>;
  dashboards: Map<string, DashboardSource>;
  questions: Question[];
}

/** One problem in one source file, with the path of the field at fault. */
export interface SourceProblem {
  file: string;
  field: string;
  message: string;
}

export class SourceError extends UserError {
  constructor(readonly problems: SourceProblem[]) {
    super(
      `superset sources are invalid:\n${problems.map((problem) => `  ${problem.file}: ${problem.field || '(file)'}: ${problem.message}`).join('\n')}`,
    );
  }
}

const fieldPath = (path: readonly PropertyKey[]) =>
  path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');

async function readYaml(file: string, root: string, problems: SourceProblem[]): Promise<unknown> {
  try {
    return parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    problems.push({
      file: relative(root, file),
      field: '',
      message: (error as Error).message.split('\n')[0]!,
    });
    return undefined;
  }
}

async function loadFolder<T>(
  root: string,
  folder: string,
  schema: z.ZodType<T>,
  problems: SourceProblem[],
): Promise<Map<string, T>> {
  const directory = join(root, folder);
  const names = (await readdir(directory).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  const loaded = new Map<string, T>();
  for (const name of names) {
    const file = join(directory, name);
    const fileKey = basename(name, '.yaml');
    const label = relative(root, file);
    if (!key.safeParse(fileKey).success)
      problems.push({
        file: label,
        field: '',
        message: 'file name must be a key: lower-case letters, digits and _',
      });
    const raw = await readYaml(file, root, problems);
    if (raw === undefined) continue;
    const parsed = schema.safeParse(raw);
    if (parsed.success) loaded.set(fileKey, parsed.data);
    else
      for (const issue of parsed.error.issues)
        problems.push({ file: label, field: fieldPath(issue.path), message: issue.message });
  }
  return loaded;
}

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

export const chartsOfDashboard = (dashboard: DashboardSource): string[] =>
  dashboard.rows.flat().map((cell) => (typeof cell === 'string' ? cell : cell.chart));

/** Cross-file checks: every reference names an existing file, column or metric; UUIDs are unique. */
function checkReferences(sources: Omit<Sources, 'root'>, problems: SourceProblem[]): void {
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
      if (!dataset.columns.some((candidate) => candidate.name === column))
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
    dashboard.filters.forEach((filter, index) => {
      const dataset = sources.datasets.get(filter.dataset);
      if (!dataset)
        problems.push({
          file,
          field: `filters[${index}].dataset`,
          message: `no datasets/${filter.dataset}.yaml`,
        });
      else if (!dataset.columns.some((column) => column.name === filter.column))
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

/** Reads and validates every source file under `root`; throws a SourceError listing every problem. */
export async function loadSources(root: string): Promise<Sources> {
  const problems: SourceProblem[] = [];
  const databases = await loadFolder(root, 'databases', databaseSourceSchema, problems);
  const datasets = await loadFolder(root, 'datasets', datasetSourceSchema, problems);
  const charts = await loadFolder(root, 'charts', chartSourceSchema, problems);
  const dashboards = await loadFolder(root, 'dashboards', dashboardSourceSchema, problems);
  let questions: Question[] = [];
  const rawQuestions = await readYaml(join(root, 'questions.yaml'), root, problems);
  if (rawQuestions !== undefined) {
    const parsed = questionsSourceSchema.safeParse(rawQuestions);
    if (parsed.success) questions = parsed.data.questions;
    else
      for (const issue of parsed.error.issues)
        problems.push({ file: 'questions.yaml', field: fieldPath(issue.path), message: issue.message });
  }
  if (databases.size === 0) problems.push({ file: 'databases/', field: '', message: 'no database' });
  if (problems.length === 0)
    checkReferences({ databases, datasets, charts, dashboards, questions }, problems);
  if (problems.length > 0) throw new SourceError(problems);
  return { root, databases, datasets, charts, dashboards, questions };
}
