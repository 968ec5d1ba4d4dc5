import { createHash } from 'node:crypto';
import { join } from 'node:path';
import {
  type ChartSource,
  chartSourceSchema,
  type DashboardSource,
  dashboardSourceSchema,
  type Question,
} from './schema.ts';
import { parseWith, readFolder, readYaml, type SourceProblem } from './sourceFiles.ts';

/*
 * Dashboards made from templates: superset/templates/<template>/dashboard.yaml and charts/*.yaml
 * hold `{{name}}` placeholders; a file in superset/dashboards/ names the template, its UUID and the
 * params. Each instance's charts get the key `<instance>_<chart>` and a UUID derived (v5) from the
 * instance's UUID and the chart's key, so re-imports overwrite the same objects.
 */

export interface Instance {
  key: string;
  file: string;
  template: string;
  uuid: string;
  params: Record<string, string>;
}

export interface MadeDashboard {
  key: string;
  file: string;
  template: string;
  dashboard: DashboardSource;
  charts: Map<string, ChartSource>;
}

interface Template {
  dashboard: unknown;
  charts: Array<{ key: string; raw: unknown }>;
}

/** RFC 9562 UUID version 5 (SHA-1, name-based) of `name` in the namespace `namespace`. */
export function uuidV5(namespace: string, name: string): string {
  const bytes = createHash('sha1')
    .update(Buffer.from(namespace.replace(/-/g, ''), 'hex'))
    .update(name)
    .digest()
    .subarray(0, 16);
  bytes[6] = (bytes[6]! & 0x0f) | 0x50;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Replaces every `{{name}}` in the strings of `value`; an unknown name is a problem. */
function substitute(value: unknown, params: Record<string, string>, missing: Set<string>): unknown {
  if (typeof value === 'string')
    return value.replace(/\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g, (_, name: string) => {
      if (params[name] === undefined) missing.add(name);
      return params[name] ?? '';
    });
  if (Array.isArray(value)) return value.map((item) => substitute(item, params, missing));
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, params, missing)]));
  return value;
}

async function readTemplate(root: string, name: string, problems: SourceProblem[]): Promise<Template | null> {
  const folder = join('templates', name);
  const dashboard = await readYaml(join(root, folder, 'dashboard.yaml'), root, problems);
  if (dashboard === undefined) return null;
  const charts = (await readFolder(root, join(folder, 'charts'), problems)).map(({ key, raw }) => ({
    key,
    raw,
  }));
  return { dashboard, charts };
}

/** Renames a template's chart keys in the dashboard's rows to the instance's keys. */
function renameCells(dashboard: unknown, rename: (chart: string) => string): unknown {
  if (typeof dashboard !== 'object' || dashboard === null || !('rows' in dashboard)) return dashboard;
  const rows = (dashboard as { rows: unknown }).rows;
  if (!Array.isArray(rows)) return dashboard;
  const cell = (value: unknown) =>
    typeof value === 'string'
      ? rename(value)
      : typeof value === 'object' && value !== null && 'chart' in value
        ? { ...value, chart: rename(String((value as { chart: unknown }).chart)) }
        : value;
  return { ...dashboard, rows: rows.map((row) => (Array.isArray(row) ? row.map(cell) : row)) };
}

export async function instantiate(
  root: string,
  instances: readonly Instance[],
  problems: SourceProblem[],
): Promise<MadeDashboard[]> {
  const templates = new Map<string, Template | null>();
  const made: MadeDashboard[] = [];
  for (const instance of instances) {
    if (!templates.has(instance.template))
      templates.set(instance.template, await readTemplate(root, instance.template, problems));
    const template = templates.get(instance.template);
    if (!template) {
      problems.push({
        file: instance.file,
        field: 'template',
        message: `no templates/${instance.template}/dashboard.yaml`,
      });
      continue;
    }
    const missing = new Set<string>();
    const charts = new Map<string, ChartSource>();
    const chartKey = (key: string) => `${instance.key}_${key}`;
    for (const chart of template.charts) {
      const raw = substitute(chart.raw, instance.params, missing);
      const label = `${instance.file} (templates/${instance.template}/charts/${chart.key}.yaml)`;
      const source = parseWith(
        chartSourceSchema,
        { ...(raw as object), uuid: uuidV5(instance.uuid, chart.key) },
        label,
        problems,
      );
      if (source) charts.set(chartKey(chart.key), source);
    }
    const raw = renameCells(substitute(template.dashboard, instance.params, missing), chartKey);
    const label = `${instance.file} (templates/${instance.template}/dashboard.yaml)`;
    const dashboard = parseWith(
      dashboardSourceSchema,
      { ...(raw as object), uuid: instance.uuid },
      label,
      problems,
    );
    for (const name of missing)
      problems.push({
        file: instance.file,
        field: 'params',
        message: `templates/${instance.template} uses {{${name}}}, not given`,
      });
    if (dashboard)
      made.push({ key: instance.key, file: instance.file, template: instance.template, dashboard, charts });
  }
  return made;
}

/** `<template>/<chart>` in a question → that chart of every dashboard made from the template. */
export function expandQuestionCharts(
  questions: readonly Question[],
  templated: ReadonlyMap<string, string>,
  problems: SourceProblem[],
): Question[] {
  return questions.map((question, index) => ({
    ...question,
    charts: question.charts.flatMap((chart, chartIndex) => {
      const [template, templateChart] = chart.split('/');
      if (templateChart === undefined) return [chart];
      const keys = [...templated]
        .filter(([, name]) => name === template)
        .map(([key]) => `${key}_${templateChart}`);
      if (keys.length === 0)
        problems.push({
          file: 'questions.yaml',
          field: `questions[${index}].charts[${chartIndex}]`,
          message: `no dashboard is made from templates/${template}`,
        });
      return keys;
    }),
  }));
}
