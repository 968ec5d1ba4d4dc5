/**
 * Each check of the dashboards lint fed the defects users found (inputs shaped as Superset's
 * chart-data answers), and required to fail on each — and to pass on the corrected answer: rows,
 * the row limit, Russian labels, complete periods, the slice. values.test.ts has the rest.
 */
import { describe, expect, it } from 'vitest';
import { answer, ms, rules, vocabulary } from './answers.ts';
import {
  checkCompletePeriods,
  checkRowLimit,
  checkRows,
  checkRussianLabels,
  checkSlice,
  filtersOn,
  type NamedSlice,
  periodOf,
  slicesNamedIn,
} from './checks.ts';

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
