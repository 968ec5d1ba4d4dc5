import { loadSources, SupersetClient } from '/work/main/packages/superset/src/index.ts';
const url = 'http://127.0.0.1:8088';
const client = await SupersetClient.login(url, { username: 'admin', password: 'admin' });
const sources = await loadSources('/work/main/superset');
const rows: Array<[string, number, number, number]> = [];
for (const d of sources.dashboards.values()) {
  const charts = await client.dashboardCharts(d.slug);
  const started = performance.now();
  const answers = await Promise.all(charts.map((c) => client.chartData(c.id)));
  const ms = Math.round(performance.now() - started);
  const bad = answers.filter((a) => a.status !== 200 || a.error || a.results.every((r) => r.rowcount === 0)).length;
  rows.push([d.slug, charts.length, ms, bad]);
}
rows.sort((a, b) => b[2] - a[2]);
for (const r of rows) console.log(r.join('\t'));
