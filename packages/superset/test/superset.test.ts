import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  chartPassed,
  checkCharts,
  importDashboards,
  initialise,
  isInstalled,
  loadSources,
  localSuperset,
  SupersetClient,
  silentReporter,
  start,
  stop,
} from '../src/index.ts';

/*
 * Against a real Superset from .venv-superset (scripts/setup.sh --test installs it), on its own
 * port and state folder so it never meets the developer's Superset on 8088. A Superset the test
 * finds running there is reused; one it starts, it stops.
 */

const FIXTURES = join(import.meta.dirname, 'fixtures/sources');
const local = localSuperset({
  ...process.env,
  VITRINA_SUPERSET_HOME: process.env.VITRINA_SUPERSET_TEST_HOME ?? '.vitrina/superset-test',
  VITRINA_SUPERSET_URL: process.env.VITRINA_SUPERSET_TEST_URL ?? 'http://127.0.0.1:8089',
});
const installed = await isInstalled(local);
if (!installed)
  console.warn(
    `superset.test.ts skipped: no Superset virtual environment at ${local.venv} (scripts/setup.sh --test or vitrina superset up installs it)`,
  );

const clickhouseHttp = new URL(process.env.VITRINA_CLICKHOUSE_URL ?? 'http://127.0.0.1:8123/mart').origin;
const database = `vitrina_superset_test_${randomBytes(4).toString('hex')}`;

async function clickhouse(query: string): Promise<void> {
  const response = await fetch(clickhouseHttp, { method: 'POST', body: query });
  if (!response.ok) throw new Error(`ClickHouse: ${await response.text()}`);
}

describe.skipIf(!installed)('a real Superset', () => {
  let startedHere = false;
  let client: SupersetClient;
  const env = { VITRINA_SUPERSET_TEST_CLICKHOUSE_URL: `${clickhouseHttp}/${database}` };
  const importFixtures = (sourcesDir = FIXTURES) =>
    importDashboards({ url: local.url, credentials: local.credentials, sourcesDir, env });

  beforeAll(async () => {
    await clickhouse(`create database ${database}`);
    await clickhouse(
      `create table ${database}.payments_daily (day Date, region String, method String, payments UInt64, turnover_byn Float64) engine = MergeTree order by day`,
    );
    await clickhouse(
      `insert into ${database}.payments_daily values ('2026-11-01','Минск','card',10,100.5),('2026-11-01','Гродненская область','qr',3,21),('2026-11-09','Минск','qr',5,50.25),('2026-11-03','Гродненская область','card',1,10),('2026-11-15','Минск','card',2,20)`,
    );
    if (!(await SupersetClient.health(local.url))) {
      await initialise(local, silentReporter);
      startedHere = (await start(local, silentReporter)) === 'started';
    }
    await importFixtures();
    client = await SupersetClient.login(local.url, local.credentials);
  });

  afterAll(async () => {
    await clickhouse(`drop database if exists ${database}`);
    if (startedHere) await stop(local);
  });

  const fixtureTitles = async () =>
    new Set([...(await loadSources(FIXTURES)).charts.values()].map((chart) => chart.title));

  it('answers every chart of the bundle with 200 and rows through GET /api/v1/chart/{id}/data/', async () => {
    const titles = await fixtureTitles();
    const checks = await checkCharts(client, titles);
    expect(checks.map((check) => check.title).sort()).toEqual([...titles].sort());
    expect(checks.filter((check) => !chartPassed(check))).toEqual([]);
    const dashboard = await client.dashboardCharts('vitrina-test');
    expect(dashboard.map((chart) => chart.slice_name).sort()).toEqual([...titles].sort());
  });

  it('shows codes by their Russian labels and draws only complete weeks', async () => {
    const charts = await client.charts();
    const data = async (title: string) =>
      (await client.chartData(charts.find((chart) => chart.slice_name === title)!.id)).results[0]!.data;
    const methods = (await data('Доля способов оплаты')).map((row) => row.method);
    expect(methods.sort()).toEqual(['QR-код', 'Карта']);
    // 1 November is a Sunday: its week began before the data; the week of the 9th ends on the 15th.
    const weeks = (await data('Оборот по неделям')).map((row) =>
      new Date(Number(row.day)).toISOString().slice(0, 10),
    );
    expect([...new Set(weeks)].sort()).toEqual(['2026-11-02', '2026-11-09']);
  });

  it('changes nothing when the same bundle is imported again', async () => {
    const snapshot = async () => {
      const charts = await client.charts();
      return {
        charts: charts.map((chart) => `${chart.id} ${chart.slice_name} ${chart.viz_type}`).sort(),
        contexts: await Promise.all(
          charts.map(async (chart) => (await client.chart(chart.id)).query_context),
        ),
        dashboards: (await client.dashboards()).map((dashboard) => JSON.stringify(dashboard)).sort(),
        datasets: (await client.datasets()).map((dataset) => JSON.stringify(dataset)).sort(),
      };
    };
    const before = await snapshot();
    await importFixtures();
    expect(await snapshot()).toEqual(before);
  });

  it('catches a chart whose SQL names a missing column', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vitrina-superset-broken-'));
    await cp(FIXTURES, dir, { recursive: true });
    await writeFile(
      join(dir, 'charts/broken_column.yaml'),
      [
        'uuid: 5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0aff',
        'title: Сломанный график',
        'dataset: payments_daily',
        'viz: big_number',
        'metric: { label: Несуществующее, sql: sum(no_such_column) }',
      ].join('\n'),
    );
    await importFixtures(dir);
    const checks = await checkCharts(client, new Set(['Сломанный график', 'Оборот за период']));
    const broken = checks.find((check) => check.title === 'Сломанный график')!;
    expect(chartPassed(broken)).toBe(false);
    expect(broken.error).toContain('no_such_column');
    expect(chartPassed(checks.find((check) => check.title === 'Оборот за период')!)).toBe(true);
  });
});
