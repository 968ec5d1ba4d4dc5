import { z } from 'zod';
import type { Bundle } from './bundle.ts';

/** A Superset REST API call that did not answer as expected, with what Superset said. */
export class SupersetApiError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly status: number,
    readonly body: string,
  ) {
    super(`Superset ${method} ${path} answered ${status}: ${body.slice(0, 2000)}`);
  }
}

const loginSchema = z.object({ access_token: z.string().min(1) });
const csrfSchema = z.object({ result: z.string().min(1) });
const healthSchema = z.string();

const chartListSchema = z.object({
  count: z.number(),
  result: z.array(z.object({ id: z.number(), slice_name: z.string(), viz_type: z.string() })),
});
const dashboardListSchema = z.object({
  count: z.number(),
  result: z.array(z.object({ id: z.number(), dashboard_title: z.string(), slug: z.string().nullable() })),
});
const datasetListSchema = z.object({
  count: z.number(),
  result: z.array(z.object({ id: z.number(), table_name: z.string() })),
});
const chartDetailSchema = z.object({
  result: z.object({ id: z.number(), slice_name: z.string(), query_context: z.string().nullable() }),
});
const dashboardChartsSchema = z.object({
  result: z.array(z.object({ id: z.number(), slice_name: z.string() })),
});

const chartDataSchema = z.object({
  result: z.array(
    z.object({
      data: z.array(z.record(z.string(), z.unknown())),
      rowcount: z.number(),
      colnames: z.array(z.string()).optional(),
      error: z.string().nullable().optional(),
    }),
  ),
});

export type ChartSummary = z.infer<typeof chartListSchema>['result'][number];
export type DashboardSummary = z.infer<typeof dashboardListSchema>['result'][number];
export type DatasetSummary = z.infer<typeof datasetListSchema>['result'][number];
export type ChartData = z.infer<typeof chartDataSchema>['result'][number];

export interface Credentials {
  username: string;
  password: string;
}

/** Everything listed in one page: the bundles here hold far fewer objects than this. */
const LIST_QUERY = '(page:0,page_size:1000)';

/** A logged-in session with a Superset's REST API (JWT for the API, session cookie + CSRF token for writes). */
export class SupersetClient {
  private cookies = new Map<string, string>();

  private constructor(
    readonly url: string,
    private readonly accessToken: string,
  ) {}

  static async health(url: string): Promise<boolean> {
    try {
      const response = await fetch(new URL('/health', url), { signal: AbortSignal.timeout(5_000) });
      return response.ok && healthSchema.parse(await response.text()).trim() === 'OK';
    } catch {
      return false;
    }
  }

  static async login(url: string, credentials: Credentials): Promise<SupersetClient> {
    const path = '/api/v1/security/login';
    const response = await fetch(new URL(path, url), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ...credentials, provider: 'db', refresh: false }),
    });
    const body = await response.text();
    if (!response.ok) throw new SupersetApiError('POST', path, response.status, body);
    return new SupersetClient(url, loginSchema.parse(JSON.parse(body)).access_token);
  }

  private rememberCookies(response: Response): void {
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const separator = pair!.indexOf('=');
      if (separator > 0) this.cookies.set(pair!.slice(0, separator), pair!.slice(separator + 1));
    }
  }

  private async request(
    method: string,
    path: string,
    body?: FormData,
  ): Promise<{ status: number; text: string }> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.accessToken}` };
    if (method !== 'GET') {
      headers['x-csrftoken'] = await this.csrfToken();
      headers.referer = this.url;
    }
    // After the CSRF token: its answer sets the session cookie the token belongs to.
    if (this.cookies.size > 0)
      headers.cookie = [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
    // Superset answers a CSRF failure with a redirect; followed, it would look like success.
    const response = await fetch(new URL(path, this.url), {
      method,
      headers,
      body: body ?? null,
      redirect: 'manual',
    });
    this.rememberCookies(response);
    return { status: response.status, text: await response.text() };
  }

  private async getJson<T>(path: string, schema: z.ZodType<T>): Promise<T> {
    const { status, text } = await this.request('GET', path);
    if (status !== 200) throw new SupersetApiError('GET', path, status, text);
    return schema.parse(JSON.parse(text));
  }

  private csrf: string | null = null;

  /** Flask-WTF ties the token to the session cookie, so the cookie from this answer goes with every write. */
  private async csrfToken(): Promise<string> {
    if (this.csrf) return this.csrf;
    const path = '/api/v1/security/csrf_token/';
    const response = await fetch(new URL(path, this.url), {
      headers: { authorization: `Bearer ${this.accessToken}` },
    });
    this.rememberCookies(response);
    const text = await response.text();
    if (!response.ok) throw new SupersetApiError('GET', path, response.status, text);
    this.csrf = csrfSchema.parse(JSON.parse(text)).result;
    return this.csrf;
  }

  /** POST /api/v1/assets/import/: creates or overwrites every object of the bundle, matched by UUID. */
  async importBundle(bundle: Bundle): Promise<void> {
    const form = new FormData();
    form.append('bundle', new Blob([new Uint8Array(bundle.zip)], { type: 'application/zip' }), 'bundle.zip');
    if (Object.keys(bundle.passwords).length > 0) form.append('passwords', JSON.stringify(bundle.passwords));
    const path = '/api/v1/assets/import/';
    const { status, text } = await this.request('POST', path, form);
    if (status !== 200) throw new SupersetApiError('POST', path, status, text);
  }

  async charts(): Promise<ChartSummary[]> {
    return (await this.getJson(`/api/v1/chart/?q=${LIST_QUERY}`, chartListSchema)).result;
  }

  async dashboards(): Promise<DashboardSummary[]> {
    return (await this.getJson(`/api/v1/dashboard/?q=${LIST_QUERY}`, dashboardListSchema)).result;
  }

  async datasets(): Promise<DatasetSummary[]> {
    return (await this.getJson(`/api/v1/dataset/?q=${LIST_QUERY}`, datasetListSchema)).result;
  }

  async chart(id: number) {
    return (await this.getJson(`/api/v1/chart/${id}`, chartDetailSchema)).result;
  }

  async dashboardCharts(idOrSlug: number | string) {
    return (await this.getJson(`/api/v1/dashboard/${idOrSlug}/charts`, dashboardChartsSchema)).result;
  }

  /** Runs a chart's saved query_context: GET /api/v1/chart/{id}/data/. */
  async chartData(id: number): Promise<{ status: number; results: ChartData[]; error: string | null }> {
    const { status, text } = await this.request('GET', `/api/v1/chart/${id}/data/`);
    if (status !== 200) return { status, results: [], error: text.slice(0, 2000) };
    return { status, results: chartDataSchema.parse(JSON.parse(text)).result, error: null };
  }
}
