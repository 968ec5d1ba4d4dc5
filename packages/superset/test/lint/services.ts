/**
 * The lint's own access to the real Superset (its REST API, read only, with a JWT) and to ClickHouse
 * (its HTTP interface), independent of src/client.ts, the code under test.
 */
import type { ChartResult } from './checks.ts';

export interface SupersetChart {
  id: number;
  slice_name: string;
  params: Record<string, unknown>;
  query_context: { queries?: Array<{ extras?: { where?: string }; row_limit?: number }> } | null;
}

/** A read-only session with Superset's REST API (JWT), independent of src/client.ts. */
export async function superset(url: string, credentials: { username: string; password: string }) {
  const login = await fetch(new URL('/api/v1/security/login', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...credentials, provider: 'db', refresh: false }),
  });
  if (!login.ok) throw new Error(`Superset login answered ${login.status}: ${await login.text()}`);
  const { access_token } = (await login.json()) as { access_token: string };
  const get = async (path: string) => {
    const response = await fetch(new URL(path, url), {
      headers: { authorization: `Bearer ${access_token}` },
    });
    const text = await response.text();
    return { status: response.status, body: text };
  };
  return {
    async dashboardCharts(slug: string): Promise<Array<{ id: number; slice_name: string }>> {
      const { status, body } = await get(`/api/v1/dashboard/${slug}/charts`);
      if (status !== 200) throw new Error(`GET /api/v1/dashboard/${slug}/charts answered ${status}: ${body}`);
      return (JSON.parse(body) as { result: Array<{ id: number; slice_name: string }> }).result;
    },
    async chart(id: number): Promise<SupersetChart> {
      const { status, body } = await get(`/api/v1/chart/${id}`);
      if (status !== 200) throw new Error(`GET /api/v1/chart/${id} answered ${status}: ${body}`);
      const result = (
        JSON.parse(body) as {
          result: { slice_name: string; params: string | null; query_context: string | null };
        }
      ).result;
      return {
        id,
        slice_name: result.slice_name,
        params: result.params ? JSON.parse(result.params) : {},
        query_context: result.query_context ? JSON.parse(result.query_context) : null,
      };
    },
    async data(id: number): Promise<{ status: number; results: ChartResult[]; error: string | null }> {
      const { status, body } = await get(`/api/v1/chart/${id}/data/`);
      if (status !== 200) return { status, results: [], error: body.slice(0, 500) };
      return { status, results: (JSON.parse(body) as { result: ChartResult[] }).result, error: null };
    },
  };
}

/** ClickHouse's HTTP interface, straight: the first and last day of a column of a table. */
export function clickhouse(httpUrl: string) {
  const url = new URL(httpUrl);
  const database = url.pathname.replace(/^\//, '') || 'default';
  const auth = url.username
    ? `Basic ${Buffer.from(`${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`).toString('base64')}`
    : undefined;
  const spans = new Map<string, Promise<{ oldest: string; newest: string } | null>>();
  return (from: string, column: string) => {
    const key = `${from}\u0000${column}`;
    if (!spans.has(key))
      spans.set(
        key,
        (async () => {
          const query = `SELECT toString(min(toDate(\`${column}\`))) AS oldest, toString(max(toDate(\`${column}\`))) AS newest, count() AS rows FROM ${from} FORMAT JSON`;
          const response = await fetch(`${url.origin}/?database=${encodeURIComponent(database)}`, {
            method: 'POST',
            body: query,
            headers: auth ? { authorization: auth } : {},
          });
          const text = await response.text();
          if (!response.ok) throw new Error(`ClickHouse answered ${response.status} to ${query}: ${text}`);
          const row = (
            JSON.parse(text) as { data: Array<{ oldest: string; newest: string; rows: string | number }> }
          ).data[0];
          return row && Number(row.rows) > 0 ? { oldest: row.oldest, newest: row.newest } : null;
        })(),
      );
    return spans.get(key)!;
  };
}
