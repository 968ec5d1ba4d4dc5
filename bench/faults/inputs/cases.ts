import { nbrbCases, yandexCases } from './apiCases.ts';
import { connectionCases } from './connectionCases.ts';
import { partnerSalesCases } from './csvCases.ts';
import { databaseCases } from './databaseCases.ts';
import { documentCases } from './documentCases.ts';
import { appEventCases } from './logCases.ts';
import type { CaseSpec } from './spec.ts';

/** Every bad input, for the day the cases run on. */
export function allCases(day: string): CaseSpec[] {
  return [
    ...partnerSalesCases(day),
    ...appEventCases(day),
    ...documentCases(day),
    ...databaseCases(day),
    ...connectionCases(day),
    ...nbrbCases(day),
    ...yandexCases(),
  ];
}
