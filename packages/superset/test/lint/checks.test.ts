/**
 * Each check of the dashboards lint fed the defects users found (inputs shaped as Superset's
 * chart-data answers), and required to fail on each — and to pass on the corrected answer.
 */
import { describe, expect, it } from 'vitest';
import {
  type ChartResult,
  checkCompletePeriods,
  checkCumulative,
  checkDropToZero,
  checkEmptyCategories,
  checkLegend,
  checkPercentFormats,
  checkPercentValues,
  checkRowLimit,
  checkRows,
  checkRussianLabels,
  checkSingleCategory,
  checkSlice,
  filtersOn,
  type LabelRules,
  type NamedSlice,
  periodOf,
  slicesNamedIn,
} from './checks.ts';
import { checkRenderedNumbers } from './page.ts';
import { testDays } from './span.ts';

const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** As Superset answers: the x column in epoch ms, the metrics by name, one row per x. */
const answer = (data: Array<Record<string, unknown>>, extra: Partial<ChartResult> = {}): ChartResult => ({
  colnames: Object.keys(data[0] ?? {}),
  data,
  rowcount: data.length,
  sql_rowcount: data.length,
  ...extra,
});

const rules: LabelRules = {
  labels: new Set([
    'Автоцентры',
    'Продукты питания',
    'Органика',
    'Яндекс Директ',
    'Понедельник',
    'B2C',
    'B2B',
  ]),
  properNames: new Map([
    ['Toyota', 'a car brand'],
    ['iOS', 'an operating system'],
  ]),
  numericColumns: new Map([['hour', 'the hour of the day is a number']]),
  identifierColumns: new Set(['user_id']),
};

const vocabulary: NamedSlice[] = [
  { column: 'vertical_code', value: 'grocery', words: ['продукт', 'супермаркет', 'ритейл'] },
  { column: 'vertical_code', value: 'auto', words: ['автоцентр'] },
  { column: 'direction_code', value: 'b2c', words: ['b2c'] },
  { column: 'direction_code', value: 'b2b', words: ['b2b'] },
  { column: 'region_code', value: 'minsk', words: ['минск'] },
];

describe('rows and the row limit', () => {
  it('fails a chart with no rows or an error, passes one with rows', () => {
    expect(checkRows(answer([]))).toHaveLength(1);
    expect(checkRows(answer([{ a: 1 }], { error: 'Code: 47, Unknown identifier' }))[0]!.message).toMatch(
      /Unknown identifier/,
    );
    expect(checkRows(undefined)).toHaveLength(1);
    expect(checkRows(answer([{ a: 1 }]))).toEqual([]);
  });

  it('fails the three cohort charts that showed the row-limit warning: rowcount equal to the limit', () => {
    // «Удержание недельных когорт»: 500 rows of a row_limit 500 (sql_rowcount, before post-processing).
    const rows = Array.from({ length: 500 }, (_, index) => ({ cohort: index, retention: 0.5 }));
    expect(checkRowLimit(answer(rows), [500, 500])[0]!.check).toBe('row limit');
    // The form's limit is what the dashboard compares; a lower query LIMIT cuts silently.
    expect(checkRowLimit(answer(rows.slice(0, 100)), [10_000, 100])).toHaveLength(1);
    expect(checkRowLimit(answer(rows.slice(0, 499)), [500, 500])).toEqual([]);
    expect(checkRowLimit(answer(rows.slice(0, 10), { sql_rowcount: 50 }), [50])).toHaveLength(1);
  });
});

describe('Russian labels', () => {
  it('fails the English codes users saw as category values', () => {
    const data = [
      { vertical: 'auto', turnover: 10 },
      { vertical: 'grocery', turnover: 9 },
      { acq_channel: 'organic', users: 5 },
      { acq_channel: 'yandex_direct', users: 4 },
    ];
    const findings = checkRussianLabels(answer(data), ['vertical', 'acq_channel'], rules);
    expect(findings.map((item) => item.message)).toEqual([
      "vertical = 'auto': a code, not a Russian label",
      "vertical = 'grocery': a code, not a Russian label",
      "acq_channel = 'organic': a code, not a Russian label",
      "acq_channel = 'yandex_direct': a code, not a Russian label",
    ]);
  });

  it('fails Latin words that are not proper names, and weekdays as numbers', () => {
    const latin = checkRussianLabels(
      answer([{ acq_channel: 'Yandex Direct', users: 1 }]),
      ['acq_channel'],
      rules,
    );
    expect(latin[0]!.message).toMatch(/Latin/);
    const weekdays = checkRussianLabels(
      answer([1, 2, 3, 4, 5, 6, 7].map((day) => ({ day_of_week: day, receipts: 10 }))),
      ['day_of_week'],
      rules,
    );
    expect(weekdays).toHaveLength(7);
    expect(weekdays[0]!.message).toMatch(/a number shown as a category/);
    // 0/1 for «привязали карту в первые 3 дня или нет», and a boolean, are not labels either.
    expect(checkRussianLabels(answer([{ linked: 0 }, { linked: 1 }]), ['linked'], rules)).toHaveLength(2);
    expect(checkRussianLabels(answer([{ linked: true }]), ['linked'], rules)).toHaveLength(1);
  });

  it('passes Russian labels, the labels of labels.yaml, allowed proper names, numeric columns and identifiers', () => {
    const data = [
      { vertical: 'Автоцентры', brand: 'Toyota', os: 'iOS', hour: 9, user_id: 'u_0001' },
      { vertical: 'Продукты питания', brand: 'Минский автозавод', os: 'iOS', hour: 10, user_id: 'u_0002' },
      { vertical: 'B2C', brand: 'Лада (Lada)', os: 'iOS', hour: 11, user_id: 12 },
    ];
    expect(checkRussianLabels(answer(data), ['vertical', 'brand', 'os', 'hour', 'user_id'], rules)).toEqual(
      [],
    );
  });
});

describe('complete periods', () => {
  it('computes weeks Monday to Sunday and calendar months', () => {
    expect(periodOf('2026-03-04', 'P1W')).toEqual({ first: '2026-03-02', last: '2026-03-08' });
    expect(periodOf('2026-03-08', 'P1W')).toEqual({ first: '2026-03-02', last: '2026-03-08' });
    expect(periodOf('2026-02-10', 'P1M')).toEqual({ first: '2026-02-01', last: '2026-02-28' });
    expect(periodOf('2024-02-10', 'P1M')).toEqual({ first: '2024-02-01', last: '2024-02-29' });
    expect(periodOf('2026-05-10', 'P3M')).toEqual({ first: '2026-04-01', last: '2026-06-30' });
  });

  it('fails the weekly turnover that ended on a week holding one day (3.4M → 0.5M) and began on a 4-day week', () => {
    // The data: Thursday 2026-02-05 … Monday 2026-03-02. Superset's P1W rows start on Mondays.
    const span = { oldest: '2026-02-05', newest: '2026-03-02' };
    const weekly = answer([
      { day: ms('2026-02-02'), turnover: 1_900_000 },
      { day: ms('2026-02-09'), turnover: 3_400_000 },
      { day: ms('2026-02-16'), turnover: 3_380_000 },
      { day: ms('2026-02-23'), turnover: 3_420_000 },
      { day: ms('2026-03-02'), turnover: 500_000 },
    ]);
    const findings = checkCompletePeriods(weekly, 'day', 'P1W', span);
    expect(findings.map((item) => item.message)).toEqual([
      'the last P1W period 2026-03-02…2026-03-08 holds 1 of its 7 days (the data ends 2026-03-02)',
      'the first P1W period 2026-02-02…2026-02-08 holds 4 of its 7 days (the data starts 2026-02-05)',
    ]);
    // Filtered to complete weeks (period_complete_week = 1): it passes.
    const complete = answer(weekly.data.slice(1, 4));
    expect(checkCompletePeriods(complete, 'day', 'P1W', span)).toEqual([]);
  });

  it('fails a monthly series ending in the current month, passes one ending on the last day of a month', () => {
    const monthly = answer([
      { month: '2026-01-01T00:00:00', users: 10 },
      { month: '2026-02-01T00:00:00', users: 3 },
    ]);
    expect(
      checkCompletePeriods(monthly, 'month', 'P1M', { oldest: '2026-01-01', newest: '2026-02-11' }),
    ).toHaveLength(1);
    expect(
      checkCompletePeriods(monthly, 'month', 'P1M', { oldest: '2026-01-01', newest: '2026-02-28' }),
    ).toEqual([]);
  });
});

describe('slice', () => {
  it('reads conditions in a where', () => {
    const grocery = { column: 'vertical_code', value: 'grocery' };
    expect(filtersOn("vertical_code = 'grocery'", grocery)).toBe(true);
    expect(filtersOn("period_complete_week = 1 AND vertical_code='grocery'", grocery)).toBe(true);
    expect(filtersOn("vertical_code IN ('grocery')", grocery)).toBe(true);
    expect(filtersOn("vertical_code = 'grocery_plus'", grocery)).toBe(false);
    expect(filtersOn("sub_vertical_code = 'grocery'", grocery)).toBe(false);
    expect(filtersOn(undefined, grocery)).toBe(false);
  });

  it('finds the slices a title names', () => {
    expect(
      slicesNamedIn('Ритейл — продукты питания, супермаркеты', vocabulary).map((slice) => slice.value),
    ).toEqual(['grocery']);
    expect(slicesNamedIn('Направление: Автоцентры', vocabulary).map((slice) => slice.value)).toEqual([
      'auto',
    ]);
    expect(slicesNamedIn('Оборот и комиссия по неделям', vocabulary)).toEqual([]);
    // «Минская область» names the region, not also the city inside its first word.
    const regions: NamedSlice[] = [
      { column: 'region', value: 'Минск', words: ['минск'] },
      { column: 'region', value: 'Минская область', words: ['минск облас'] },
    ];
    expect(slicesNamedIn('Регион: Минская область', regions).map((slice) => slice.value)).toEqual([
      'Минская область',
    ]);
    expect(slicesNamedIn('Оборот в Минске', regions).map((slice) => slice.value)).toEqual(['Минск']);
  });

  it('fails «Средняя корзина в приложении по сетям» on the grocery dashboard: no vertical filter', () => {
    const findings = checkSlice({
      where: undefined,
      title: 'Средняя корзина в приложении по сетям, BYN',
      dashboardTitle: 'Ритейл — продукты питания, супермаркеты',
      slice: [{ column: 'vertical_code', value: 'grocery' }],
      vocabulary,
      columns: new Set(['chain', 'day']),
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.message).toBe(
      "no filter vertical_code = 'grocery' (the dashboard’s slice) (its dataset has no such column); where: (none)",
    );
  });

  it('fails a dashboard whose title names a vertical though it declares no slice, and a title naming a region', () => {
    expect(
      checkSlice({
        where: "region_code = 'minsk'",
        title: 'Лучшие бренды',
        dashboardTitle: 'Направление: Автоцентры',
        slice: [],
        vocabulary,
      })[0]!.message,
    ).toMatch(/vertical_code = 'auto' \(the dashboard’s title names it/);
    expect(
      checkSlice({
        where: undefined,
        title: 'Оборот в Минске',
        dashboardTitle: 'Обзор',
        slice: [],
        vocabulary,
      }),
    ).toHaveLength(1);
  });

  it('passes a filtered chart, and a title comparing two values of one column (B2C / B2B)', () => {
    expect(
      checkSlice({
        where: "vertical_code = 'grocery' AND period_complete_week = 1",
        title: 'Средняя корзина в приложении по сетям, BYN',
        dashboardTitle: 'Ритейл — продукты питания, супермаркеты',
        slice: [{ column: 'vertical_code', value: 'grocery' }],
        vocabulary,
      }),
    ).toEqual([]);
    expect(
      checkSlice({
        where: undefined,
        title: 'Комиссия по направлениям B2C / B2B',
        dashboardTitle: 'Обзор',
        slice: [],
        vocabulary,
      }),
    ).toEqual([]);
  });
});

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
