import type { ClickHouse } from '@vitrina/io';
import { readSql } from '../sql.ts';
import { INSIGHTS } from './catalogue.ts';
import type { CatalogueEntry, DashboardNames, PeriodRow } from './insight.ts';

/** A conclusion as the mart `insights` stores it and `vitrina insights` prints it. */
export interface InsightRecord {
  position: number;
  insight: string;
  title: string;
  /** The first and last day the figures cover; null when they cover none (an empty mart). */
  period_from: string | null;
  period_to: string | null;
  supported: boolean;
  text: string;
  /** The query's rows, every figure the text uses. */
  figures: PeriodRow[];
  query_file: string;
  dashboard: string;
  chart: string;
  /** Where a reader sees the same figures: «dashboard» → «chart». */
  shown_on: string;
}

/** The query file of a conclusion, under `sql/`. */
export const insightFile = (name: string) => `clickhouse/insights/${name}.sql`;

/** Runs one conclusion's query on the marts and writes its sentence. */
export async function drawInsight(
  clickhouse: ClickHouse,
  insight: CatalogueEntry,
  position: number,
  names: DashboardNames,
  signal?: AbortSignal,
): Promise<InsightRecord> {
  const file = insightFile(insight.name);
  const raw = await clickhouse.rows(readSql(file), signal);
  const { rows, conclusion } = insight.draw(raw, names.label, `sql/${file}`);
  const { supported, text } = conclusion;
  // ClickHouse gives an empty aggregate's Date as 1970-01-01; sorted, ISO days compare as text.
  const days = rows
    .flatMap((row) => [row.period_from, row.period_to])
    .filter((day) => day > '1970-01-01')
    .sort();
  return {
    position,
    insight: insight.name,
    title: insight.title,
    period_from: days[0] ?? null,
    period_to: days.at(-1) ?? null,
    supported,
    text,
    figures: rows,
    query_file: `sql/${file}`,
    dashboard: insight.dashboard,
    chart: insight.chart,
    shown_on: names.shownOn(insight.dashboard, insight.chart),
  };
}

/** Every conclusion from the current marts, in the catalogue's order. */
export async function drawInsights(
  clickhouse: ClickHouse,
  names: DashboardNames,
  signal?: AbortSignal,
): Promise<InsightRecord[]> {
  const records: InsightRecord[] = [];
  for (const [index, insight] of INSIGHTS.entries())
    records.push(await drawInsight(clickhouse, insight, index + 1, names, signal));
  return records;
}
