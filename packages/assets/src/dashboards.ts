import { type Asset, defineAsset } from '@vitrina/core';
import { chartsOfDashboard, loadSources, SOURCES_DIR } from '@vitrina/superset';
import type { WarehouseResources } from './resources.ts';

/**
 * The Superset dashboards and their charts as external assets at the end of the lineage: each
 * chart downstream of the mart asset its dataset reads, each dashboard downstream of its charts, so a
 * stale or failed mart shows which dashboards it affects. Read from the dashboards' source files
 * (`superset/`), the same ones `vitrina superset import` builds the bundle from.
 */
export async function dashboardAssets(
  supersetUrl: string,
  marts: readonly Asset<WarehouseResources>[],
): Promise<Asset<WarehouseResources>[]> {
  const martKeys = new Set(marts.map((mart) => mart.key));
  const sources = await loadSources(SOURCES_DIR);
  const charts = [...sources.charts].map(([name, chart]) => {
    const dataset = sources.datasets.get(chart.dataset)!;
    return defineAsset<WarehouseResources>({
      key: `chart.${name}`,
      description: `${chart.title} (a chart on ${dataset.table})`,
      group: 'dashboards',
      owner: 'analytics',
      storage: 'external',
      // A table no asset writes (the reconciliation results, written by every mart's check) has no edge.
      deps: martKeys.has(`mart.${dataset.table}`) ? [`mart.${dataset.table}`] : [],
    });
  });
  const dashboards = [...sources.dashboards].map(([name, dashboard]) =>
    defineAsset<WarehouseResources>({
      key: `dashboard.${name}`,
      description: `«${dashboard.title}»: ${dashboard.description}`,
      group: 'dashboards',
      owner: 'analytics',
      storage: 'external',
      deps: chartsOfDashboard(dashboard).map((chart) => `chart.${chart}`),
      tags: { superset: `${supersetUrl.replace(/\/$/, '')}/superset/dashboard/${dashboard.slug}/` },
    }),
  );
  return [...charts, ...dashboards];
}
