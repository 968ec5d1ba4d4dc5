/** The shape of a chart's answer the checks read, their findings, and the first two checks. */

/** One result of Superset's chart-data answer (the fields the lint reads). */
export interface ChartResult {
  colnames?: string[];
  /** Superset's GenericDataType per column: 0 numeric, 1 string, 2 temporal, 3 boolean. */
  coltypes?: number[];
  data: Array<Record<string, unknown>>;
  /** Rows after post-processing. */
  rowcount: number;
  /** Rows the SQL returned: what the dashboard compares with the row limit. */
  sql_rowcount?: number | null;
  error?: string | null;
}

export type CheckName =
  | 'rows'
  | 'row limit'
  | 'Russian labels'
  | 'complete periods'
  | 'slice'
  | 'empty category'
  | 'single category'
  | 'cumulative'
  | 'drop to zero'
  | 'format'
  | 'legend';

export interface Finding {
  check: CheckName;
  message: string;
}

export const finding = (check: CheckName, message: string): Finding => ({ check, message });

// (a) rows

/** The chart answers with rows and without an error. */
export function checkRows(result: ChartResult | undefined): Finding[] {
  if (!result) return [finding('rows', 'no result in the answer')];
  if (result.error) return [finding('rows', `error: ${result.error.slice(0, 300)}`)];
  return result.rowcount > 0 ? [] : [finding('rows', 'no rows')];
}

// (b) row limit

/**
 * No row-limit warning: the dashboard draws Superset's warning when the SQL's row count reaches the
 * form's row_limit, and a query LIMIT below it cuts the rows silently, so both limits count.
 */
export function checkRowLimit(
  result: ChartResult,
  limits: ReadonlyArray<number | null | undefined>,
): Finding[] {
  const rows = result.sql_rowcount ?? result.rowcount;
  const set = limits.filter((limit): limit is number => typeof limit === 'number' && limit > 0);
  if (set.length === 0) return [];
  const limit = Math.min(...set);
  return rows >= limit
    ? [finding('row limit', `${rows} rows reach the row limit ${limit}: Superset warns and rows are cut`)]
    : [];
}

/** A cell as a number, when it is one (Superset sends numbers, sometimes numeric strings). */
export const numeric = (value: unknown): number | null => {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
    return Number(value);
  return null;
};
