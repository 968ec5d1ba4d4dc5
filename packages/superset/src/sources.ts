import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { checkReferences } from './references.ts';
import {
  type ChartSource,
  chartSourceSchema,
  type DashboardSource,
  type DatabaseSource,
  type DatasetSource,
  dashboardSourceSchema,
  databaseSourceSchema,
  datasetSourceSchema,
  type Labels,
  labelsSourceSchema,
  type Question,
  questionsSourceSchema,
  templateInstanceSchema,
} from './schema.ts';
import { parseWith, readFolder, readYaml, SourceError, type SourceProblem } from './sourceFiles.ts';
import { expandQuestionCharts, type Instance, instantiate } from './templates.ts';

export type {
  ChartMetric,
  ChartSource,
  DashboardCell,
  DashboardSource,
  DatabaseSource,
  DatasetColumn,
  DatasetSource,
  Labels,
  NativeFilterSource,
  Question,
} from './schema.ts';
export { chartsOfDashboard } from './schema.ts';
export { SourceError, type SourceProblem } from './sourceFiles.ts';

/*
 * The readable source files under superset/: one YAML file per database, dataset, chart and
 * dashboard (or a dashboard made from a template under templates/), questions.yaml and labels.yaml.
 * Files refer to each other by their key (the file name without .yaml), so renaming a title never
 * breaks a reference; UUIDs are fixed in the files (or derived from them, for templates) so that
 * Superset overwrites the same objects on every import.
 */

export interface Sources {
  root: string;
  databases: Map<string, DatabaseSource>;
  datasets: Map<string, DatasetSource>;
  charts: Map<string, ChartSource>;
  dashboards: Map<string, DashboardSource>;
  questions: Question[];
  labels: Labels;
  /** Dashboard key → the template it was made from. */
  templated: Map<string, string>;
}

async function loadFolder<T>(
  root: string,
  folder: string,
  schema: z.ZodType<T>,
  problems: SourceProblem[],
): Promise<Map<string, T>> {
  const loaded = new Map<string, T>();
  for (const file of await readFolder(root, folder, problems)) {
    const value = parseWith(schema, file.raw, file.label, problems);
    if (value !== undefined) loaded.set(file.key, value);
  }
  return loaded;
}

const isInstance = (raw: unknown) => typeof raw === 'object' && raw !== null && 'template' in raw;

/** Dashboards written out, and dashboards made from templates with their charts. */
async function loadDashboards(root: string, charts: Map<string, ChartSource>, problems: SourceProblem[]) {
  const dashboards = new Map<string, DashboardSource>();
  const instances: Instance[] = [];
  for (const file of await readFolder(root, 'dashboards', problems)) {
    if (isInstance(file.raw)) {
      const instance = parseWith(templateInstanceSchema, file.raw, file.label, problems);
      if (instance) instances.push({ key: file.key, file: file.label, ...instance });
      continue;
    }
    const dashboard = parseWith(dashboardSourceSchema, file.raw, file.label, problems);
    if (dashboard) dashboards.set(file.key, dashboard);
  }
  const templated = new Map<string, string>();
  for (const made of await instantiate(root, instances, problems)) {
    for (const [chartKey, chart] of made.charts) {
      if (charts.has(chartKey))
        problems.push({
          file: made.file,
          field: '',
          message: `chart key ${chartKey} is taken by charts/${chartKey}.yaml`,
        });
      charts.set(chartKey, chart);
    }
    if (dashboards.has(made.key))
      problems.push({ file: made.file, field: '', message: `dashboard key ${made.key} is taken` });
    dashboards.set(made.key, made.dashboard);
    templated.set(made.key, made.template);
  }
  return { dashboards, templated };
}

/** Reads and validates every source file under `root`; throws a SourceError listing every problem. */
export async function loadSources(root: string): Promise<Sources> {
  const problems: SourceProblem[] = [];
  const databases = await loadFolder(root, 'databases', databaseSourceSchema, problems);
  const datasets = await loadFolder(root, 'datasets', datasetSourceSchema, problems);
  const charts = await loadFolder(root, 'charts', chartSourceSchema, problems);
  const { dashboards, templated } = await loadDashboards(root, charts, problems);
  const labelsFile = join(root, 'labels.yaml');
  const rawLabels = existsSync(labelsFile) ? await readYaml(labelsFile, root, problems) : { sets: {} };
  const labels = parseWith(labelsSourceSchema, rawLabels, 'labels.yaml', problems)?.sets ?? {};
  let questions: Question[] = [];
  const rawQuestions = await readYaml(join(root, 'questions.yaml'), root, problems);
  if (rawQuestions !== undefined) {
    const parsed = parseWith(questionsSourceSchema, rawQuestions, 'questions.yaml', problems);
    if (parsed) questions = expandQuestionCharts(parsed.questions, templated, problems);
  }
  if (databases.size === 0) problems.push({ file: 'databases/', field: '', message: 'no database' });
  if (problems.length === 0)
    checkReferences({ databases, datasets, charts, dashboards, questions, labels, templated }, problems);
  if (problems.length > 0) throw new SourceError(problems);
  return { root, databases, datasets, charts, dashboards, questions, labels, templated };
}
