import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUNDLE_ROOT, buildBundle, clickhouseUri, loadSources, SourceError } from '../src/index.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures/sources');

async function fixtureCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vitrina-superset-sources-'));
  await cp(FIXTURES, dir, { recursive: true });
  return dir;
}

async function problemsOf(dir: string) {
  try {
    await loadSources(dir);
  } catch (error) {
    if (error instanceof SourceError) return error.problems;
    throw error;
  }
  return [];
}

describe('the import bundle', () => {
  it('holds one top-level folder with metadata.yaml and a file per database, dataset, chart and dashboard', async () => {
    const bundle = buildBundle(await loadSources(FIXTURES), {});
    const names = Object.keys(unzipSync(bundle.zip)).sort();
    expect(new Set(names.map((name) => name.split('/')[0]))).toEqual(new Set([BUNDLE_ROOT]));
    expect(names).toContain(`${BUNDLE_ROOT}/metadata.yaml`);
    expect(names.filter((name) => name.includes('/charts/'))).toHaveLength(6);
    expect(names.filter((name) => name.includes('/datasets/'))).toEqual([
      `${BUNDLE_ROOT}/datasets/payments_daily.yaml`,
    ]);
    expect(parse(strFromU8(unzipSync(bundle.zip)[`${BUNDLE_ROOT}/metadata.yaml`]!))).toEqual({
      version: '1.0.0',
      type: 'assets',
    });
  });

  it('links files by UUID and gives each chart a query_context for the chart data API', async () => {
    const sources = await loadSources(FIXTURES);
    const { files } = buildBundle(sources, {});
    const chart = parse(files.get(`${BUNDLE_ROOT}/charts/turnover_by_day.yaml`)!);
    expect(chart.dataset_uuid).toBe(sources.datasets.get('payments_daily')!.uuid);
    const context = JSON.parse(chart.query_context);
    expect(context.queries[0].metrics).toEqual(['turnover']);
    expect(context.queries[0].columns[1]).toBe('region');
    const dashboard = parse(files.get(`${BUNDLE_ROOT}/dashboards/fixture.yaml`)!);
    const chartNodes = Object.values(dashboard.position).filter(
      (node): node is { type: string; meta: { uuid: string; width: number } } =>
        typeof node === 'object' && node !== null && (node as { type: string }).type === 'CHART',
    );
    expect(chartNodes.map((node) => node.meta.uuid).sort()).toEqual(
      [...sources.charts.values()].map((source) => source.uuid).sort(),
    );
    expect(
      dashboard.metadata.native_filter_configuration.map((filter: { name: string }) => filter.name),
    ).toEqual(['Период', 'Регион']);
  });

  it('is the same bytes for the same sources, so imports are reproducible', async () => {
    const sources = await loadSources(FIXTURES);
    expect(buildBundle(sources, {}).zip).toEqual(buildBundle(sources, {}).zip);
  });

  it('takes the ClickHouse URL from the environment and sends its password apart from the bundle', async () => {
    const sources = await loadSources(FIXTURES);
    const bundle = buildBundle(sources, {
      VITRINA_SUPERSET_TEST_CLICKHOUSE_URL: 'http://reader:s3cret@10.0.0.5:8124/mart',
    });
    const database = parse(bundle.files.get(`${BUNDLE_ROOT}/databases/test_clickhouse.yaml`)!);
    expect(database.sqlalchemy_uri).toBe('clickhousedb://reader:XXXXXXXXXX@10.0.0.5:8124/mart');
    expect(bundle.passwords).toEqual({ 'databases/test_clickhouse.yaml': 's3cret' });
    expect(clickhouseUri('http://127.0.0.1:8123/').uri).toBe('clickhousedb://default@127.0.0.1:8123/default');
  });
});

describe('source validation', () => {
  it('names the file and field at fault', async () => {
    const dir = await fixtureCopy();
    await writeFile(
      join(dir, 'charts/broken.yaml'),
      'uuid: not-a-uuid\ntitle: Сломанный\ndataset: payments_daily\nviz: pie\nmetric: turnover\ngroupby: []\n',
    );
    const problems = await problemsOf(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file: 'charts/broken.yaml', field: 'uuid' }),
        expect.objectContaining({ file: 'charts/broken.yaml', field: 'groupby' }),
      ]),
    );
  });

  it('rejects references to columns, metrics, datasets and charts that do not exist, and reused UUIDs', async () => {
    const dir = await fixtureCopy();
    await writeFile(
      join(dir, 'charts/unknown.yaml'),
      [
        'uuid: 5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0a10',
        'title: Неизвестное',
        'dataset: payments_daily',
        'viz: line',
        'x: no_such_day',
        'metrics: [no_such_metric]',
      ].join('\n'),
    );
    await writeFile(
      join(dir, 'dashboards/other.yaml'),
      'uuid: 5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0a99\ntitle: Другая\nslug: other\nrows: [[missing_chart]]\n',
    );
    const problems = await problemsOf(dir);
    expect(problems.map((problem) => `${problem.file} ${problem.field}`).sort()).toEqual([
      'charts/unknown.yaml metrics[0]',
      'charts/unknown.yaml uuid',
      'charts/unknown.yaml x',
      'dashboards/other.yaml rows[0][0]',
    ]);
  });
});
