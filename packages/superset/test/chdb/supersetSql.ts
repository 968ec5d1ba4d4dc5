/**
 * The SQL Superset generates, as its chart-data API returns it with `result_type: "query"`: for
 * every chart on the dashboards (its saved query context, `GET /api/v1/chart/{id}/data/?type=query`)
 * and for every dataset of the bundle (all its columns, and all its metrics, through
 * `POST /api/v1/chart/data`), plus a virtual dataset's own SQL as it is.
 */
import { z } from 'zod';
import type { Credentials, Sources } from '../../src/index.ts';
import { fetchRetrying, type SupersetQuery, volatileColumns } from './compat.ts';

const login = z.object({ access_token: z.string() });
const csrf = z.object({ result: z.string() });
const dashboardCharts = z.object({ result: z.array(z.object({ id: z.number(), slice_name: z.string() })) });
const queries = z.object({ result: z.array(z.object({ query: z.string().nullable().optional() })) });
const datasetList = z.object({ result: z.array(z.object({ id: z.number() })) });
const dataset = z.object({
  result: z.object({
    id: z.number(),
    uuid: z.string(),
    table_name: z.string(),
    sql: z.string().nullable().optional(),
    columns: z.array(z.object({ column_name: z.string() })),
    metrics: z.array(z.object({ metric_name: z.string() })),
  }),
});

class Api {
  private cookies = new Map<string, string>();
  private csrfToken: string | null = null;

  private constructor(
    private readonly url: string,
    private readonly token: string,
  ) {}

  static async login(url: string, credentials: Credentials): Promise<Api> {
    const response = await fetchRetrying(new URL('/api/v1/security/login', url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...credentials, provider: 'db', refresh: false }),
    });
    if (!response.ok) throw new Error(`Superset login answered ${response.status}: ${await response.text()}`);
    return new Api(url, login.parse(await response.json()).access_token);
  }

  private remember(response: Response) {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';');
      const separator = pair.indexOf('=');
      if (separator > 0) this.cookies.set(pair.slice(0, separator), pair.slice(separator + 1));
    }
  }

  async get<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const response = await fetchRetrying(new URL(path, this.url), {
      headers: { authorization: `Bearer ${this.token}` },
    });
    this.remember(response);
    const text = await response.text();
    if (!response.ok)
      throw new Error(`Superset GET ${path} answered ${response.status}: ${text.slice(0, 2000)}`);
    return schema.parse(JSON.parse(text));
  }

  async post<T>(path: string, body: unknown, schema: z.ZodType<T>): Promise<T> {
    this.csrfToken ??= (await this.get('/api/v1/security/csrf_token/', csrf)).result;
    const response = await fetchRetrying(new URL(path, this.url), {
      method: 'POST',
      headers: {
        authorization: `Bearer ${this.token}`,
        'content-type': 'application/json',
        'x-csrftoken': this.csrfToken,
        referer: this.url,
        cookie: [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; '),
      },
      body: JSON.stringify(body),
      redirect: 'manual',
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`Superset POST ${path} answered ${response.status}: ${text.slice(0, 2000)}`);
    return schema.parse(JSON.parse(text));
  }
}

const sqlOf = (answer: z.infer<typeof queries>, what: string): string[] =>
  answer.result.map((result, index) => {
    if (!result.query) throw new Error(`Superset generated no SQL for ${what} (query ${index})`);
    return result.query;
  });

/** Every dashboard chart's SQL and every bundle dataset's SQL as Superset generates it. */
export async function supersetQueries(
  url: string,
  credentials: Credentials,
  sources: Sources,
): Promise<SupersetQuery[]> {
  const api = await Api.login(url, credentials);
  const out: SupersetQuery[] = [];
  const seen = new Set<number>();
  for (const dashboard of sources.dashboards.values()) {
    const charts = (await api.get(`/api/v1/dashboard/${dashboard.slug}/charts`, dashboardCharts)).result;
    for (const chart of charts) {
      if (seen.has(chart.id)) continue;
      seen.add(chart.id);
      const answer = await api.get(`/api/v1/chart/${chart.id}/data/?type=query`, queries);
      const sqls = sqlOf(answer, chart.slice_name);
      sqls.forEach((sql, index) => {
        const part = sqls.length > 1 ? ` (query ${index + 1})` : '';
        out.push({ kind: 'chart SQL', label: `${dashboard.slug}: ${chart.slice_name}${part}`, sql });
      });
    }
  }
  const ours = new Set([...sources.datasets.values()].map((source) => source.uuid));
  const volatile = volatileColumns();
  const list = await api.get('/api/v1/dataset/?q=(page:0,page_size:1000)', datasetList);
  for (const { id } of list.result) {
    const { result: found } = await api.get(`/api/v1/dataset/${id}`, dataset);
    if (!ours.has(found.uuid)) continue;
    const all = found.columns.map((column) => column.column_name);
    const written = volatile.get(found.table_name) ?? new Set<string>();
    // The virtual dataset's own SQL selects every column, those written by now() too: then it must only succeed.
    if (found.sql?.trim())
      out.push({
        kind: 'dataset SQL',
        label: `${found.table_name}: its SQL`,
        sql: found.sql,
        ...(written.size > 0 ? { compare: false } : {}),
      });
    const columns = all.filter((column) => !written.has(column));
    const metrics = found.metrics.map((metric) => metric.metric_name);
    const raw = (names: string[]) => ({ columns: names, metrics: [], orderby: [], row_limit: 100_000 });
    const answer = await api.post(
      '/api/v1/chart/data',
      {
        datasource: { id: found.id, type: 'table' },
        force: true,
        result_type: 'query',
        result_format: 'json',
        queries: [
          raw(columns),
          ...(metrics.length > 0 ? [{ columns: [], metrics, orderby: [], row_limit: 1_000 }] : []),
          ...(written.size > 0 ? [raw(all)] : []),
        ],
      },
      queries,
    );
    const [columnsSql, ...rest] = sqlOf(answer, found.table_name);
    const what = written.size > 0 ? `every column but ${[...written].join(', ')}` : 'every column';
    out.push({ kind: 'dataset SQL', label: `${found.table_name}: ${what}`, sql: columnsSql! });
    if (metrics.length > 0)
      out.push({ kind: 'dataset SQL', label: `${found.table_name}: every metric`, sql: rest.shift()! });
    // With the columns written by now(), which differ between the runs: it must only succeed.
    if (written.size > 0)
      out.push({
        kind: 'dataset SQL',
        label: `${found.table_name}: every column`,
        sql: rest.shift()!,
        compare: false,
      });
  }
  return out;
}
