import { type Asset, defineAsset } from '@vitrina/core';
import { encodeCopyLine, replaceMartPartition } from '@vitrina/io';
import { loadSources, SOURCES_DIR } from '@vitrina/superset';
import { ddlColumns } from '../marts/ddlColumns.ts';
import { ensureMartTable } from '../marts/martTable.ts';
import type { MartResources } from '../marts/transferredMart.ts';
import { martDdl, readSql } from '../sql.ts';
import { INSIGHTS } from './catalogue.ts';
import type { DashboardNames } from './insight.ts';
import { drawInsights, type InsightRecord, insightFile } from './run.ts';

const COLUMNS = [
  'position',
  'insight',
  'title',
  'period_from',
  'period_to',
  'supported',
  'text',
  'figures',
  'query_file',
  'dashboard',
  'chart',
  'shown_on',
  'computed_at',
] as const;

/**
 * The marts a query reads: every `FROM` or `JOIN` of a mart's table outside comments. Inferred from the SQL, so the
 * lineage cannot fall behind a query.
 */
export function martsReadBy(sql: string, marts: readonly string[]): string[] {
  const code = sql.replace(/--[^\n]*/g, '');
  const read = new Set(
    [...code.matchAll(/\b(?:FROM|JOIN)\s+([A-Za-z_][A-Za-z0-9_]*)/gi)].map((match) =>
      match[1]!.toLowerCase(),
    ),
  );
  return marts.filter((mart) => read.has(mart));
}

/**
 * The names the dashboards use (superset/): the labels of codes (labels.yaml, one mapping for charts
 * and sentences) and the titles of dashboards and charts.
 */
export async function dashboardNames(): Promise<DashboardNames> {
  const { labels, dashboards, charts } = await loadSources(SOURCES_DIR);
  return {
    label: (set, code) => labels[set]?.[code] ?? code,
    shownOn: (dashboard, chart) =>
      `«${dashboards.get(dashboard)?.title ?? dashboard}» → «${charts.get(chart)?.title ?? chart}»`,
  };
}

const line = (record: InsightRecord, computedAt: string) =>
  encodeCopyLine([
    record.position,
    record.insight,
    record.title,
    record.period_from,
    record.period_to,
    record.supported ? 1 : 0,
    record.text,
    JSON.stringify(record.figures),
    record.query_file,
    record.dashboard,
    record.chart,
    record.shown_on,
    computedAt,
  ]);

/**
 * `mart.insights`: every conclusion of the catalogue drawn from the current marts and written whole.
 * Downstream of the marts its queries read, so it goes stale, and is drawn again, when they change.
 */
export function insightsAsset(marts: readonly string[]): Asset<MartResources> {
  const names = marts.map((key) => key.replace(/^mart\./, ''));
  const queries = INSIGHTS.map((insight) => readSql(insightFile(insight.name)));
  const reads = new Set(queries.flatMap((sql) => martsReadBy(sql, names)));
  const ddl = martDdl('insights');
  return defineAsset<MartResources>({
    key: 'mart.insights',
    description:
      'The analytical conclusions: one Russian sentence per conclusion with its figures, each from one query over the marts (sql/clickhouse/insights/).',
    group: 'insights',
    owner: 'analytics',
    storage: 'clickhouse',
    columns: ddlColumns(ddl),
    deps: names.filter((name) => reads.has(name)).map((name) => `mart.${name}`),
    pool: 'transfer',
    sql: [ddl, ...queries],
    materialize: async ({ resources, signal }) => {
      const { clickhouse, warehouse } = resources;
      await ensureMartTable(clickhouse, warehouse, 'insights', ddl);
      const records = await drawInsights(clickhouse, await dashboardNames(), signal);
      const computedAt = new Date().toISOString().slice(0, 19).replace('T', ' ');
      const table = clickhouse.qualify('insights');
      const { rows } = await replaceMartPartition(
        clickhouse,
        { table, partition: null, tag: 'whole', signal },
        (staging) =>
          clickhouse.insert(
            staging,
            COLUMNS,
            records.map((record) => line(record, computedAt)).join(''),
            signal,
          ),
      );
      const unsupported = records.filter((record) => !record.supported).map((record) => record.insight);
      return {
        rows,
        metadata: {
          table,
          supported: records.length - unsupported.length,
          ...(unsupported.length > 0 ? { unsupported: unsupported.join(', ') } : {}),
        },
      };
    },
  });
}
