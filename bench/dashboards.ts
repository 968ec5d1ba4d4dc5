/**
 * Dashboards benchmark: the sample company seeded for BENCH_DASHBOARDS_DAYS (7) days at BENCH_DASHBOARDS_SCALE (100) and
 * materialised into temporary databases (packages/superset/test/realMarts.ts), the real bundle
 * imported into the test Superset (VITRINA_SUPERSET_TEST_URL, port 8089; started here when it is not
 * running, stopped after), then for each dashboard the time for all its charts' data through
 * GET /api/v1/chart/{id}/data/, asked at once as the dashboard does: cold (the first time after the
 * import) and warm (the median of 3 more). Writes bench/results/dashboards.json; drops its databases.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  consoleReporter,
  importDashboards,
  initialise,
  install,
  localSuperset,
  SupersetClient,
  silentReporter,
  start,
  stop,
} from '../packages/superset/src/index.ts';
import { fillRealMarts } from '../packages/superset/test/realMarts.ts';

// The standard scale (about 300,000 payments a day) over a week: about 16 minutes, most of it seeding
// and materialising; BENCH_DASHBOARDS_SCALE=1 BENCH_DASHBOARDS_DAYS=16 is a quick check.
const SCALE = Number(process.env.BENCH_DASHBOARDS_SCALE ?? 100);
const DAYS = Number(process.env.BENCH_DASHBOARDS_DAYS ?? 7);
const WARM_RUNS = 3;
const TARGET_MS = 2_000;

const local = localSuperset({
  ...process.env,
  VITRINA_SUPERSET_HOME: process.env.VITRINA_SUPERSET_TEST_HOME ?? '.vitrina/superset-test',
  VITRINA_SUPERSET_URL: process.env.VITRINA_SUPERSET_TEST_URL ?? 'http://127.0.0.1:8089',
});
// Creates .venv-superset on a fresh clone, or reuses it.
await install(local, consoleReporter());

console.log(`seeding and materialising ${DAYS} days at scale ${SCALE}…`);
const marts = await fillRealMarts({ days: DAYS, scale: SCALE });
let startedHere = false;
try {
  if (!(await SupersetClient.health(local.url))) {
    await initialise(local, silentReporter);
    startedHere = (await start(local, silentReporter)) === 'started';
  }
  const { sources } = await importDashboards({
    url: local.url,
    credentials: local.credentials,
    env: { VITRINA_CLICKHOUSE_URL: marts.clickhouseUrl },
  });
  const client = await SupersetClient.login(local.url, local.credentials);

  /** All the dashboard's charts' data at once; throws unless every chart answers 200. */
  const timeDashboard = async (ids: number[]): Promise<number> => {
    const started = performance.now();
    const answers = await Promise.all(ids.map((id) => client.chartData(id)));
    const elapsed = performance.now() - started;
    const failed = answers.filter((answer) => answer.status !== 200 || answer.error);
    if (failed.length > 0) throw new Error(`chart data failed: ${failed.map((f) => f.error).join('; ')}`);
    return elapsed;
  };

  const dashboards: Array<{ title: string; charts: number; cold_ms: number; warm_ms: number }> = [];
  for (const dashboard of sources.dashboards.values()) {
    const ids = (await client.dashboardCharts(dashboard.slug)).map((chart) => chart.id);
    const cold = await timeDashboard(ids);
    const warm: number[] = [];
    for (let run = 0; run < WARM_RUNS; run++) warm.push(await timeDashboard(ids));
    warm.sort((a, b) => a - b);
    const row = {
      title: dashboard.title,
      charts: ids.length,
      cold_ms: Math.round(cold),
      warm_ms: Math.round(warm[Math.floor(WARM_RUNS / 2)]!),
    };
    console.log(`${row.title}: ${row.charts} charts, cold ${row.cold_ms} ms, warm ${row.warm_ms} ms`);
    dashboards.push(row);
  }
  const worst = Math.max(...dashboards.map((row) => row.cold_ms));
  console.log(`worst cold ${worst} ms (target ≤ ${TARGET_MS} ms) at scale ${SCALE}, ${DAYS} days`);
  const out = resolve(import.meta.dirname, 'results/dashboards.json');
  mkdirSync(resolve(import.meta.dirname, 'results'), { recursive: true });
  writeFileSync(
    out,
    `${JSON.stringify({ scale: SCALE, days: DAYS, dashboards, worst_cold_ms: worst }, null, 2)}\n`,
  );
  console.log(`wrote ${out}`);
} finally {
  await marts.drop();
  if (startedHere) await stop(local);
}
