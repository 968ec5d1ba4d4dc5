/** Inputs for the checks' tests, shaped as Superset's chart-data answers, and the rules they use. */
import type { ChartResult, LabelRules, NamedSlice } from './checks.ts';

export const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);
/** As Superset answers: the x column in epoch ms, the metrics by name, one row per x. */
export const answer = (
  data: Array<Record<string, unknown>>,
  extra: Partial<ChartResult> = {},
): ChartResult => ({
  colnames: Object.keys(data[0] ?? {}),
  data,
  rowcount: data.length,
  sql_rowcount: data.length,
  ...extra,
});

export const rules: LabelRules = {
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

export const vocabulary: NamedSlice[] = [
  { column: 'vertical_code', value: 'grocery', words: ['продукт', 'супермаркет', 'ритейл'] },
  { column: 'vertical_code', value: 'auto', words: ['автоцентр'] },
  { column: 'direction_code', value: 'b2c', words: ['b2c'] },
  { column: 'direction_code', value: 'b2b', words: ['b2b'] },
  { column: 'region_code', value: 'minsk', words: ['минск'] },
];
