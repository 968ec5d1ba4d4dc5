import { type Bundle, buildBundle, type Environment } from './bundle.ts';
import { type Credentials, SupersetClient } from './client.ts';
import { initialise, install, type LocalSuperset, SOURCES_DIR, start } from './local.ts';
import { loadSources, type Sources } from './sources.ts';
import type { StepReporter } from './steps.ts';

export { BUNDLE_ROOT, type Bundle, buildBundle, clickhouseUri, type Environment } from './bundle.ts';
export { type ChartData, type Credentials, SupersetApiError, SupersetClient } from './client.ts';
export {
  initialise,
  install,
  isInstalled,
  type LocalSuperset,
  localSuperset,
  REPOSITORY_ROOT,
  SOURCES_DIR,
  start,
  stop,
} from './local.ts';
export {
  type ChartSource,
  chartsOfDashboard,
  type DashboardSource,
  type DatasetSource,
  loadSources,
  type Question,
  SourceError,
  type SourceProblem,
  type Sources,
} from './sources.ts';
export { consoleReporter, type StepReporter, silentReporter } from './steps.ts';

export interface ImportResult {
  sources: Sources;
  bundle: Bundle;
}

/** Validates the sources, builds the bundle and imports it (overwriting) into the Superset at `url`. */
export async function importDashboards(options: {
  url: string;
  credentials: Credentials;
  sourcesDir?: string;
  env?: Environment;
}): Promise<ImportResult> {
  const sources = await loadSources(options.sourcesDir ?? SOURCES_DIR);
  const bundle = buildBundle(sources, options.env ?? process.env);
  const client = await SupersetClient.login(options.url, options.credentials);
  await client.importBundle(bundle);
  return { sources, bundle };
}

export interface ChartCheck {
  id: number;
  title: string;
  status: number;
  rows: number;
  error: string | null;
}

/** Runs every chart's saved query through GET /api/v1/chart/{id}/data/; a chart passes with 200 and rows. */
export async function checkCharts(
  client: SupersetClient,
  titles?: ReadonlySet<string>,
): Promise<ChartCheck[]> {
  const charts = (await client.charts()).filter((chart) => !titles || titles.has(chart.slice_name));
  return checkChartList(client, charts);
}

/** As checkCharts, for the charts of one dashboard (a title may repeat on another dashboard). */
export async function checkDashboardCharts(client: SupersetClient, slug: string): Promise<ChartCheck[]> {
  return checkChartList(client, await client.dashboardCharts(slug));
}

async function checkChartList(
  client: SupersetClient,
  charts: ReadonlyArray<{ id: number; slice_name: string }>,
): Promise<ChartCheck[]> {
  const checks: ChartCheck[] = [];
  for (const chart of charts) {
    const answer = await client.chartData(chart.id);
    const rows = answer.results.reduce((sum, result) => sum + result.rowcount, 0);
    const error = answer.error ?? answer.results.find((result) => result.error)?.error ?? null;
    checks.push({ id: chart.id, title: chart.slice_name, status: answer.status, rows, error });
  }
  return checks;
}

export const chartPassed = (check: ChartCheck) => check.status === 200 && check.rows > 0 && !check.error;

/** Installs (or reuses) Superset, initialises it, starts it and imports the dashboards. */
export async function up(local: LocalSuperset, reporter: StepReporter, env: Environment = process.env) {
  const installation = await install(local, reporter);
  await initialise(local, reporter);
  const server = await start(local, reporter);
  const imported = await importDashboards({ url: local.url, credentials: local.credentials, env });
  return { installation, server, imported };
}
