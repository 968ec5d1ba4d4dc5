import { cp, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { BUNDLE_ROOT, buildBundle, loadSources, SourceError } from '../src/index.ts';
import { uuidV5 } from '../src/templates.ts';

/* The source features that decide what a reader sees: labels, complete periods, slices, templates. */

const FIXTURES = join(import.meta.dirname, 'fixtures/sources');

async function fixtureCopy(files: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'vitrina-superset-sources-'));
  await cp(FIXTURES, dir, { recursive: true });
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

async function problemsOf(dir: string): Promise<string[]> {
  try {
    await loadSources(dir);
  } catch (error) {
    if (error instanceof SourceError) return error.problems.map((p) => `${p.file} ${p.field}: ${p.message}`);
    throw error;
  }
  return [];
}

const bundleFile = async (dir: string, path: string) =>
  parse(buildBundle(await loadSources(dir), {}).files.get(`${BUNDLE_ROOT}/${path}`)!);

describe('labels', () => {
  it('show a code column by its label and keep the code as <column>_code', async () => {
    const dataset = await bundleFile(FIXTURES, 'datasets/payments_daily.yaml');
    expect(dataset.sql).toContain("transform(toString(`method_code`), ['card', 'qr'], ['Карта', 'QR-код']");
    expect(dataset.sql).toContain('FROM (SELECT *, `method` AS `method_code` FROM `payments_daily`)');
    const columns = dataset.columns.map((column: { column_name: string }) => column.column_name);
    expect(columns).toEqual(expect.arrayContaining(['method', 'method_code', 'period_complete_week']));
  });

  it('refuse an unknown label set and a metric computed from a labelled column', async () => {
    const dir = await fixtureCopy({
      'labels.yaml': 'sets:\n  other: { a: Б }\n',
      'datasets/extra.yaml': [
        'uuid: 5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0b01',
        'database: test_clickhouse',
        'table: extra',
        'description: Доп.',
        'columns:',
        '  - { name: kind, type: String, label: Вид, labels: other }',
        'metrics:',
        '  - { name: kinds, label: Виды, sql: "countIf(kind = \'a\')" }',
      ].join('\n'),
    });
    const problems = await problemsOf(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        "datasets/payments_daily.yaml columns[2].labels: labels.yaml has no set 'method'",
        "datasets/extra.yaml metrics[0].sql: 'kind' is shown by its label here; compute with kind_code",
      ]),
    );
  });
});

describe('complete periods', () => {
  it('filter weekly and monthly series over the time column, not daily ones', async () => {
    const weekly = await bundleFile(FIXTURES, 'charts/weekly_area.yaml');
    const daily = await bundleFile(FIXTURES, 'charts/turnover_by_day.yaml');
    expect(JSON.parse(weekly.query_context).queries[0].extras.where).toBe('period_complete_week = 1');
    expect(weekly.params.adhoc_filters[0].sqlExpression).toBe('period_complete_week = 1');
    expect(JSON.parse(daily.query_context).queries[0].extras.where).toBe('');
    const dataset = await bundleFile(FIXTURES, 'datasets/payments_daily.yaml');
    expect(dataset.sql).toContain(
      'ifNull(toUInt8(toMonday(toDate(`day`)) >= (SELECT min(toDate(`day`)) FROM `payments_daily`) AND addDays(toMonday(toDate(`day`)), 6) <= (SELECT max(toDate(`day`)) FROM `payments_daily`)), 0) AS period_complete_week',
    );
  });
});

describe('slices', () => {
  it('require every chart of a sliced dashboard to filter to the slice', async () => {
    const dir = await fixtureCopy({
      'dashboards/sliced.yaml': [
        'uuid: 5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0b02',
        'title: Минск',
        'slug: minsk',
        'rows: [[turnover_total]]',
        "slice: [{ column: region, value: 'Минск' }]",
      ].join('\n'),
    });
    expect(await problemsOf(dir)).toEqual([
      "dashboards/sliced.yaml slice: charts/turnover_total.yaml does not filter region = 'Минск' (its where: none)",
    ]);
  });
});

describe('templates', () => {
  const template = {
    'templates/by_region/dashboard.yaml': [
      'title: "Регион: {{region}}"',
      'slug: "region-{{slug}}"',
      'slice: [{ column: region, value: "{{region}}" }]',
      'rows: [[money]]',
    ].join('\n'),
    'templates/by_region/charts/money.yaml': [
      'title: "Оборот — {{region}}"',
      'dataset: payments_daily',
      'viz: big_number',
      'metric: turnover',
      'where: "region = \'{{region}}\'"',
    ].join('\n'),
  };
  const instance = (key: string, uuid: string, region: string, slug: string) => ({
    [`dashboards/${key}.yaml`]: `template: by_region\nuuid: ${uuid}\nparams: { region: "${region}", slug: ${slug} }\n`,
  });

  it('make one dashboard per instance, with charts keyed and UUIDs derived from it', async () => {
    const dir = await fixtureCopy({
      ...template,
      ...instance('region_minsk', '5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0c01', 'Минск', 'minsk'),
      ...instance('region_brest', '5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0c02', 'Брестская область', 'brest'),
    });
    const sources = await loadSources(dir);
    expect(sources.dashboards.get('region_brest')).toMatchObject({
      title: 'Регион: Брестская область',
      slug: 'region-brest',
      rows: [['region_brest_money']],
    });
    expect(sources.charts.get('region_minsk_money')).toMatchObject({
      title: 'Оборот — Минск',
      where: "region = 'Минск'",
      uuid: uuidV5('5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0c01', 'money'),
    });
    expect(sources.templated.get('region_minsk')).toBe('by_region');
  });

  it('derive UUIDs as RFC 9562 version 5 does', () => {
    // The DNS namespace and "www.example.com", a value Python's uuid.uuid5 also gives.
    expect(uuidV5('6ba7b810-9dad-11d1-80b4-00c04fd430c8', 'www.example.com')).toBe(
      '2ed6657d-e927-568b-95e1-2665a8aea6a2',
    );
  });

  it('name a missing template and a missing parameter', async () => {
    const dir = await fixtureCopy({
      ...template,
      'dashboards/nowhere.yaml':
        'template: no_such\nuuid: 5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0c03\nparams: {}\n',
      'dashboards/half.yaml':
        'template: by_region\nuuid: 5b0f7e52-3f0e-4d0b-9a51-0c7d1d7f0c04\nparams: { slug: x }\n',
    });
    const problems = await problemsOf(dir);
    expect(problems).toEqual(
      expect.arrayContaining([
        'dashboards/nowhere.yaml template: no templates/no_such/dashboard.yaml',
        'dashboards/half.yaml params: templates/by_region uses {{region}}, not given',
      ]),
    );
  });
});
