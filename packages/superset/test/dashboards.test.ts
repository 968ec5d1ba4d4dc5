import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ChartCheck,
  chartPassed,
  chartsOfDashboard,
  checkDashboardCharts,
  importDashboards,
  initialise,
  isInstalled,
  localSuperset,
  type Sources,
  SupersetClient,
  silentReporter,
  start,
  stop,
} from '../src/index.ts';
import { fillRealMarts, type RealMarts } from './realMarts.ts';

/*
 * The real dashboards (superset/) over the real marts: the sample company seeded at scale 1 for
 * DAYS days (~85 s here) into temporary databases, every asset materialised ('*') into a temporary ClickHouse
 * database, the bundle imported into the test Superset (port 8089, as superset.test.ts) pointed at
 * that database, and every chart of every dashboard must answer 200 with rows.
 */

/**
 * Sixteen days, not five: «Клиенты в зоне риска оттока» (mart.users.at_risk) counts clients whose
 * last payment was 14–30 days before the newest day, so it is empty over fewer than 15 days.
 */
const DAYS = Number(process.env.VITRINA_SUPERSET_TEST_DAYS ?? 16);
/** Charts allowed to answer 200 with no rows, each with the reason. Empty: every chart has rows. */
const EXCEPTIONS: ReadonlyMap<string, string> = new Map([]);

const local = localSuperset({
  ...process.env,
  VITRINA_SUPERSET_HOME: process.env.VITRINA_SUPERSET_TEST_HOME ?? '.vitrina/superset-test',
  VITRINA_SUPERSET_URL: process.env.VITRINA_SUPERSET_TEST_URL ?? 'http://127.0.0.1:8089',
});
const installed = await isInstalled(local);
if (!installed)
  console.warn(
    `dashboards.test.ts skipped: no Superset virtual environment at ${local.venv} (scripts/setup.sh --test or vitrina superset up installs it)`,
  );

describe.skipIf(!installed)('the real dashboards over the real marts', () => {
  let startedHere = false;
  let marts: RealMarts | undefined;
  let sources: Sources;
  let client: SupersetClient;

  beforeAll(async () => {
    marts = await fillRealMarts({ days: DAYS, scale: 1 });
    if (!(await SupersetClient.health(local.url))) {
      await initialise(local, silentReporter);
      startedHere = (await start(local, silentReporter)) === 'started';
    }
    ({ sources } = await importDashboards({
      url: local.url,
      credentials: local.credentials,
      env: { VITRINA_CLICKHOUSE_URL: marts.clickhouseUrl },
    }));
    client = await SupersetClient.login(local.url, local.credentials);
  });

  afterAll(async () => {
    try {
      await marts?.drop();
    } finally {
      if (startedHere) await stop(local);
    }
  });

  it('answers every chart of every dashboard with 200 and rows', async () => {
    const failures: Array<ChartCheck & { dashboard: string }> = [];
    let checked = 0;
    for (const dashboard of sources.dashboards.values()) {
      const titles = new Set(chartsOfDashboard(dashboard).map((key) => sources.charts.get(key)!.title));
      const onDashboard = await client.dashboardCharts(dashboard.slug);
      expect(onDashboard.map((chart) => chart.slice_name).sort(), dashboard.title).toEqual(
        [...titles].sort(),
      );
      const checks = await checkDashboardCharts(client, dashboard.slug);
      expect(checks.length, dashboard.title).toBe(titles.size);
      checked += checks.length;
      for (const check of checks) {
        const allowedEmpty =
          EXCEPTIONS.has(check.title) && check.status === 200 && !check.error && check.rows === 0;
        if (!chartPassed(check) && !allowedEmpty) failures.push({ ...check, dashboard: dashboard.title });
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBeGreaterThan(0);
  });
});
