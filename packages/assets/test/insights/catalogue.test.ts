/**
 * The conclusions' catalogue without a database: every query file has its conclusion and the other
 * way round, each names a chart that is on its dashboard, the lineage comes from the SQL, and a
 * conclusion the data cannot support says so instead of printing a number.
 */
import { readdirSync } from 'node:fs';
import { chartsOfDashboard, loadSources, SOURCES_DIR } from '@vitrina/superset';
import { describe, expect, it } from 'vitest';
import { insightsAsset, martsReadBy } from '../../src/insights/asset.ts';
import { INSIGHTS } from '../../src/insights/catalogue.ts';
import { hourSpan, percent, times } from '../../src/insights/format.ts';
import { martSpecs } from '../../src/marts/index.ts';
import { sqlPath } from '../../src/sql.ts';

const label = (_set: string, code: string) => code;
const draw = (name: string, rows: Record<string, unknown>[]) =>
  INSIGHTS.find((insight) => insight.name === name)!.draw(rows, label, `${name}.sql`).conclusion;
const period = { period_from: '2026-10-01', period_to: '2026-11-21' };

describe('the catalogue of conclusions', () => {
  it('has a conclusion for every query file under sql/clickhouse/insights/ and a file for each', () => {
    const files = readdirSync(sqlPath('clickhouse/insights')).map((file) => file.replace(/\.sql$/, ''));
    expect(INSIGHTS.map((insight) => insight.name).sort()).toEqual(files.sort());
    expect(INSIGHTS.length).toBeGreaterThanOrEqual(7);
  });

  it('names for each a chart that is on the dashboard it names', async () => {
    const sources = await loadSources(SOURCES_DIR);
    for (const insight of INSIGHTS) {
      const dashboard = sources.dashboards.get(insight.dashboard);
      expect(dashboard, `${insight.name}: dashboard ${insight.dashboard}`).toBeDefined();
      expect(chartsOfDashboard(dashboard!), `${insight.name}: chart ${insight.chart}`).toContain(
        insight.chart,
      );
    }
  });

  it('reads its lineage from the SQL: mart.insights is downstream of exactly the marts the queries read', () => {
    const marts = martSpecs('2026-10-01').map((spec) => spec.name);
    expect(
      martsReadBy('SELECT 1 FROM users ANY LEFT JOIN (SELECT * FROM marketing_daily) USING x', marts),
    ).toEqual(['marketing_daily', 'users']);
    // "funnel" in a comment or a column name is not a read.
    expect(martsReadBy('-- the funnel\nSELECT funnel_step FROM payments', marts)).toEqual(['payments']);
    const asset = insightsAsset(marts.map((name) => `mart.${name}`));
    expect(asset.deps.map((dep) => dep.key).sort()).toEqual(
      [
        'mart.app_daily',
        'mart.funnel',
        'mart.marketing_daily',
        'mart.overview_daily',
        'mart.payments',
        'mart.users',
      ].sort(),
    );
  });
});

describe('a conclusion the data cannot support', () => {
  it('says what is missing when the marts are empty', () => {
    for (const insight of INSIGHTS) {
      const conclusion = insight.draw([], label, 'x.sql').conclusion;
      expect(conclusion.supported).toBe(false);
      expect(conclusion.text).toMatch(/^Недостаточно данных: (витрины пусты|.+, есть 0)\.$/);
    }
  });

  it('does not print a churn comparison for too few users', () => {
    const conclusion = draw('early_card_churn', [
      { ...period, early_users: '40', late_users: '12', early_churn: 0.1, late_churn: 0.5, churn_ratio: 5 },
    ]);
    expect(conclusion.supported).toBe(false);
    expect(conclusion.text).toBe(
      'Недостаточно данных: нужно не меньше 50 платящих клиентов, привязавших карту в первые 3 дня, есть 40.',
    );
    expect(conclusion.text).not.toMatch(/%/);
  });

  it('does not compare seasons without days of both', () => {
    const conclusion = draw('tyre_season', [
      {
        ...period,
        season_days: '52',
        other_days: '0',
        season_payments: 40,
        other_payments: null,
        season_ratio: null,
        turnover_ratio: null,
      },
    ]);
    expect(conclusion).toEqual({
      supported: false,
      text: 'Недостаточно данных: нужно не меньше 14 дней вне сезона, есть 0.',
    });
  });

  it('needs two chains with a campaign long enough to compare', () => {
    const chain = (name: string, days: number) => ({
      ...period,
      chain: name,
      customers: '500',
      campaign_days: String(days),
      other_days: '30',
      frequency_during: 0.2,
      frequency_outside: 0.1,
      frequency_lift: 1,
      share_during: 0.3,
      share_outside: 0.25,
      share_change: 0.05,
    });
    expect(draw('cashback_frequency', [chain('Гиппо', 12), chain('Корона', 4)]).supported).toBe(false);
    expect(draw('cashback_frequency', [chain('Гиппо', 12), chain('Корона', 8)]).supported).toBe(true);
  });

  it('names the file, row, column and value of a figure that does not parse', () => {
    expect(() => draw('b2b_share', [{ ...period, payment_share: 'много' }])).toThrow(
      /^b2b_share\.sql, row 1, column payment_share: .*\(value "много"\)$/,
    );
  });
});

describe('numbers as a Russian reader reads them', () => {
  it('writes a decimal comma, a space before %, hours as a span', () => {
    expect(percent(0.634)).toBe('63,4 %');
    expect(times(2.43)).toBe('в 2,4 раза');
    expect(hourSpan(23)).toBe('23:00–00:00');
  });

  it('draws a supported sentence whose numbers are the query figures', () => {
    const conclusion = draw('b2b_share', [
      {
        ...period,
        payment_share: 0.1012,
        turnover_share: 0.284,
        commission_share: 0.2,
        check_ratio: 3.52,
        payments: '180000',
      },
    ]);
    expect(conclusion).toEqual({
      supported: true,
      text:
        'Платежи с бизнес-счетов (ИП и юрлица) — 10,1 % успешных платежей, но 28,4 % оборота и 20,0 % комиссии: ' +
        'средний чек B2B в 3,5 раза выше, чем у физлиц.',
    });
  });
});
