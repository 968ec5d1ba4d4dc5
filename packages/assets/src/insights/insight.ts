import { z } from 'zod';

/** A figure as ClickHouse's JSON gives it: a number, a 64-bit integer as a string, or null for NaN. */
export const figure = z
  .union([
    z.number(),
    z
      .string()
      .regex(/^-?\d+(\.\d+)?$/)
      .transform(Number),
    z.null(),
  ])
  .transform((value) => (value === null || !Number.isFinite(value) ? null : value));
/** A day as ClickHouse prints a Date. */
export const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

/** Every conclusion's query names the days its figures cover. */
export const periodColumns = { period_from: isoDay, period_to: isoDay };

/** Codes the dashboards show with labels (superset/labels.yaml): a set's label of a code, or the code. */
export type LabelOf = (set: string, code: string) => string;

/** What the dashboards call things: codes' labels, and a chart's place as a reader finds it. */
export interface DashboardNames {
  label: LabelOf;
  /** «Воронка» → «Конверсия по шагам» for a dashboard and chart of superset/. */
  shownOn: (dashboard: string, chart: string) => string;
}

/** What a conclusion says: its sentence, or why the data cannot support it. */
export interface Conclusion {
  supported: boolean;
  text: string;
}

/**
 * One analytical conclusion: a query over the ClickHouse marts (`sql/clickhouse/insights/<name>.sql`)
 * and the Russian sentence every number of which comes from the query's rows. The dashboard and
 * chart are where a reader sees the same figures.
 */
export interface Insight<Row extends PeriodRow> {
  name: string;
  title: string;
  dashboard: string;
  chart: string;
  row: z.ZodType<Row>;
  conclude: (rows: Row[], label: LabelOf) => Conclusion;
}

/** A conclusion the data cannot support: says what is missing instead of printing a number. */
export const unsupported = (why: string): Conclusion => ({
  supported: false,
  text: `Недостаточно данных: ${why}.`,
});

/** Requires `value` ≥ `minimum` or says what is missing. */
export function enough(value: number | null, minimum: number, what: string): string | null {
  return value !== null && value >= minimum ? null : `нужно не меньше ${minimum} ${what}, есть ${value ?? 0}`;
}

/** The first reason a conclusion cannot be drawn, or null when it can. */
export const firstGap = (...gaps: Array<string | null>) => gaps.find((gap) => gap !== null) ?? null;

/** The days a conclusion's figures cover, on every row its query answers. */
export interface PeriodRow {
  period_from: string;
  period_to: string;
}

/** A conclusion of the catalogue, its rows' type erased: the query's raw rows in, its sentence out. */
export interface CatalogueEntry {
  name: string;
  title: string;
  dashboard: string;
  chart: string;
  /** Parses the query's rows (a row that does not parse names the file, row, column and value) and concludes. */
  draw: (
    raw: Record<string, unknown>[],
    label: LabelOf,
    file: string,
  ) => { rows: PeriodRow[]; conclusion: Conclusion };
}

export function defineInsight<Row extends PeriodRow>(insight: Insight<Row>): CatalogueEntry {
  const { row: schema, conclude, ...names } = insight;
  return {
    ...names,
    draw: (raw, label, file) => {
      const rows = raw.map((row, index) => {
        const parsed = schema.safeParse(row);
        if (parsed.success) return parsed.data;
        const column = String(parsed.error.issues[0]!.path[0] ?? '?');
        throw new Error(
          `${file}, row ${index + 1}, column ${column}: ${parsed.error.issues[0]!.message} (value ${JSON.stringify(row[column])})`,
        );
      });
      return { rows, conclusion: conclude(rows, label) };
    },
  };
}
