/**
 * The rest of the lint's checks fed the defects users found: empty and unknown categories, one
 * category where several exist, cumulative measures and series ending in zeros, formats, legends,
 * the span of the test data.
 */
import { describe, expect, it } from 'vitest';
import { answer, ms } from './answers.ts';
import {
  checkCumulative,
  checkDropToZero,
  checkEmptyCategories,
  checkLegend,
  checkPercentFormats,
  checkPercentValues,
  checkSingleCategory,
} from './checks.ts';
import { checkRenderedNumbers } from './page.ts';
import { testDays } from './span.ts';

describe('empty and unknown categories', () => {
  it('fails the loyalty table whose second largest chain had a blank name', () => {
    const loyalty = answer([
      { chain: 'Евроопт', turnover: 400 },
      { chain: '', turnover: 300 },
      { chain: 'Санта', turnover: 200 },
      { chain: 'Гиппо', turnover: 100 },
    ]);
    const findings = checkEmptyCategories(loyalty, ['chain'], 'turnover');
    expect(findings.map((item) => item.message)).toEqual([
      'chain is empty ("") for 30.0 % of turnover, rank 2',
    ]);
    // A null chain too, at a smaller share but still second.
    const nulls = answer([
      { chain: 'Евроопт', turnover: 700 },
      { chain: null, turnover: 150 },
      { chain: 'Санта', turnover: 140 },
    ]);
    expect(checkEmptyCategories(nulls, ['chain'], 'turnover')).toHaveLength(1);
  });

  it('fails an unknown-like label above 20 %, passes a small one and a small blank at the tail', () => {
    const unknown = answer([
      { region: 'Минск', users: 50 },
      { region: 'Неизвестно', users: 40 },
    ]);
    expect(checkEmptyCategories(unknown, ['region'], 'users')[0]!.message).toBe(
      "region = 'Неизвестно' holds 44.4 % of users",
    );
    const fine = answer([
      { region: 'Минск', users: 50 },
      { region: 'Брест', users: 40 },
      { region: 'Неизвестно', users: 5 },
      { region: '', users: 1 },
    ]);
    expect(checkEmptyCategories(fine, ['region'], 'users')).toEqual([]);
  });
});

describe('single category, cumulative, drop to zero', () => {
  it('fails the commission by direction where every payment was B2B', () => {
    const weekly = answer([
      { day: ms('2026-02-09'), direction: 'B2B', commission: 10 },
      { day: ms('2026-02-16'), direction: 'B2B', commission: 11 },
    ]);
    expect(checkSingleCategory(weekly, 'direction', 2, false)[0]!.message).toBe(
      "direction has one value ('B2B') of the 2 its labels know",
    );
    expect(checkSingleCategory(weekly, 'direction', 2, true)).toEqual([]);
    const both = answer([...weekly.data, { day: ms('2026-02-09'), direction: 'B2C', commission: 30 }]);
    expect(checkSingleCategory(both, 'direction', 2, false)).toEqual([]);
  });

  it('fails the cumulative revenue per client that fell in the last weeks', () => {
    const ltv = answer([
      { periods_since: 0, ltv: 1.2 },
      { periods_since: 1, ltv: 2.0 },
      { periods_since: 2, ltv: 2.6 },
      { periods_since: 3, ltv: 2.1 },
      { periods_since: 4, ltv: 1.4 },
    ]);
    expect(checkCumulative(ltv, 'periods_since', [], 'ltv')[0]!.message).toBe(
      'ltv falls from 2.6 to 2.1 at periods_since = 3',
    );
    const mature = answer(ltv.data.slice(0, 3));
    expect(checkCumulative(mature, 'periods_since', [], 'ltv')).toEqual([]);
  });

  it('fails the churn of cohorts too young to have churned: 0 in the last weeks', () => {
    const churn = answer([
      { registration_date: ms('2026-01-05'), churn_rate: 0.31, churned: 40 },
      { registration_date: ms('2026-01-12'), churn_rate: 0.28, churned: 37 },
      { registration_date: ms('2026-01-19'), churn_rate: 0.3, churned: 41 },
      { registration_date: ms('2026-01-26'), churn_rate: 0, churned: 0 },
      { registration_date: ms('2026-02-02'), churn_rate: 0, churned: 0 },
    ]);
    const findings = checkDropToZero(churn, 'registration_date', [], ['churn_rate', 'churned']);
    expect(findings.map((item) => item.message)).toEqual([
      'churn_rate is 0 in the last 2 point(s) from registration_date = 2026-01-26, after 3 non-zero',
      'churned is 0 in the last 2 point(s) from registration_date = 2026-01-26, after 3 non-zero',
    ]);
    // Immature cohorts left out (or null, not drawn): it passes; so does a sparse count.
    expect(checkDropToZero(answer(churn.data.slice(0, 3)), 'registration_date', [], ['churn_rate'])).toEqual(
      [],
    );
    const sparse = answer([0, 3, 0, 0, 1, 0, 0].map((rows, day) => ({ day, rows })));
    expect(checkDropToZero(sparse, 'day', [], ['rows'])).toEqual([]);
  });
});

describe('formats', () => {
  it('fails a share shown as 1.11 with no %', () => {
    const findings = checkPercentFormats(
      [{ name: 'app_share', label: 'Доля приложения в обороте, %', format: '.1f' }],
      'Доля приложения в обороте',
    );
    expect(findings[0]!.message).toMatch(/app_share .* is a percentage formatted ".1f"/);
    expect(
      checkPercentFormats(
        [{ name: 'churn_rate', label: 'Отток', format: undefined }],
        'Отток по регионам, %',
      ),
    ).toHaveLength(1);
    expect(
      checkPercentFormats([{ name: 'app_share', label: 'Доля приложения в обороте', format: '.1%' }], 'Доля'),
    ).toEqual([]);
    expect(
      checkPercentFormats([{ name: 'turnover', label: 'Оборот, BYN', format: ',.0f' }], 'Оборот'),
    ).toEqual([]);
  });

  it('fails a count drawn with the % format of the percentage beside it (one y-axis format)', () => {
    const findings = checkPercentFormats(
      [
        { name: 'churn_rate', label: 'Отток, %', format: '.1%' },
        { name: 'users', label: 'Клиенты', format: '.1%' },
      ],
      'Отток по числу платежей в первые 7 дней',
    );
    expect(findings.map((item) => item.message)).toEqual([
      'users («Клиенты») is not a percentage but drawn with the format ".1%"',
    ]);
  });

  it('fails a %-formatted metric whose values are still multiplied by 100', () => {
    expect(checkPercentValues(answer([{ app_share: 11.1 }]), 'app_share', '.1%')).toHaveLength(1);
    expect(checkPercentValues(answer([{ app_share: 0.111 }]), 'app_share', '.1%')).toEqual([]);
  });

  it('fails numbers drawn as 22,031,909 or 1.11, passes the Russian locale', () => {
    expect(checkRenderedNumbers('Оборот 22,031,909 BYN')).toEqual(['22,031,909']);
    expect(checkRenderedNumbers('Доля 1.11')).toEqual(['1.11']);
    expect(checkRenderedNumbers('Оборот 22 031 909 BYN, доля 1,1 %, 01.02.2026, 2026-02-01')).toEqual([]);
  });
});

describe('the span of the test data', () => {
  it('starts on the first day of the last complete month, so monthly charts have one', () => {
    const at = (day: string) => new Date(`${day}T12:00:00+03:00`);
    // Yesterday 2026-12-01: November is the last complete month → 2026-11-01 … 2026-12-01.
    expect(testDays({}, at('2026-12-02'))).toBe(31);
    // Yesterday 2026-11-30, the last of its month: November itself.
    expect(testDays({}, at('2026-12-01'))).toBe(30);
    // Yesterday 2026-12-30: November and 30 days of December.
    expect(testDays({}, at('2026-12-31'))).toBe(60);
    expect(testDays({ VITRINA_SUPERSET_TEST_DAYS: '16' }, at('2026-12-31'))).toBe(16);
  });
});

describe('legend', () => {
  it('fails the seven channels in a paging legend, passes a plain one', () => {
    expect(checkLegend({ show_legend: true }, 7)[0]!.message).toBe(
      '7 legend items in a scroll legend: it pages («1/…»)',
    );
    expect(checkLegend({ show_legend: true, legendType: 'scroll' }, 7)).toHaveLength(1);
    expect(checkLegend({ show_legend: true, legendType: 'plain' }, 7)).toEqual([]);
    expect(checkLegend({ show_legend: false }, 7)).toEqual([]);
    expect(checkLegend({ show_legend: true }, 2)).toEqual([]);
  });
});
