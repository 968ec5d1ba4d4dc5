import type { launchRequestSchema } from '@vitrina/server/api-schemas';
import type { z } from 'zod';
import { type Launched, schemas } from './types.ts';

/** An API call that failed: HTTP status, the server's message and, for bad input, the field. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

const TOKEN_KEY = 'vitrina.apiToken';

/** The bearer token for mutating routes (VITRINA_API_TOKEN), kept in this browser only. */
export const apiToken = {
  get: (): string | null => globalThis.localStorage?.getItem(TOKEN_KEY) ?? null,
  set: (token: string | null) => {
    if (token) globalThis.localStorage?.setItem(TOKEN_KEY, token);
    else globalThis.localStorage?.removeItem(TOKEN_KEY);
  },
};

async function errorFrom(response: Response): Promise<ApiError> {
  let message = `${response.status} ${response.statusText}`;
  let field: string | undefined;
  try {
    const body = (await response.json()) as { message?: unknown; field?: unknown };
    if (typeof body.message === 'string') message = body.message;
    if (typeof body.field === 'string') field = body.field;
  } catch {
    // not JSON: keep the status line
  }
  return new ApiError(response.status, message, field);
}

/** Fetches a path of the API and validates the answer with its schema. */
export async function request<T extends z.ZodType>(
  schema: T,
  path: string,
  init: { method?: 'GET' | 'POST'; body?: unknown; signal?: AbortSignal } = {},
): Promise<z.infer<T>> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (init.body !== undefined) headers['content-type'] = 'application/json';
  const token = apiToken.get();
  if (init.method === 'POST' && token) headers.authorization = `Bearer ${token}`;
  let response: Response;
  try {
    response = await fetch(path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? null : JSON.stringify(init.body),
      signal: init.signal ?? null,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'The Vitrina server cannot be reached. Is `vitrina serve` running?');
  }
  if (!response.ok) throw await errorFrom(response);
  const parsed = schema.safeParse(await response.json());
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(
      response.status,
      `Unexpected answer from ${path}: ${issue ? `${issue.path.join('.')}: ${issue.message}` : 'invalid'}`,
    );
  }
  return parsed.data;
}

const encode = encodeURIComponent;

/** The body of POST /api/materialize, as the server's schema takes it. */
export type MaterializeRequest = z.input<typeof launchRequestSchema>;

export const api = {
  graph: (signal?: AbortSignal) => request(schemas.graph, '/api/assets', { signal }),
  asset: (key: string, signal?: AbortSignal) =>
    request(schemas.assetDetail, `/api/assets/${encode(key)}?limit=1000`, { signal }),
  assetColumns: (key: string, signal?: AbortSignal) =>
    request(schemas.assetColumns, `/api/assets/${encode(key)}/columns`, { signal }),
  plan: (selection: string, signal?: AbortSignal) =>
    request(schemas.plan, `/api/plan?selection=${encode(selection)}`, { signal }),
  runs: (options: { limit: number; status?: string | undefined }, signal?: AbortSignal) =>
    request(
      schemas.runs,
      `/api/runs?limit=${options.limit}${options.status ? `&status=${encode(options.status)}` : ''}`,
      { signal },
    ),
  run: (id: string, signal?: AbortSignal) =>
    request(schemas.runDetail, `/api/runs/${encode(id)}`, { signal }),
  events: (id: string, signal?: AbortSignal) =>
    request(schemas.events, `/api/runs/${encode(id)}/events?limit=10000`, { signal }),
  quarantine: (
    filter: { source?: string; partition?: string; asset?: string; limit: number; offset: number },
    signal?: AbortSignal,
  ) => {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(filter)) {
      if (value !== undefined && value !== '') params.set(name, String(value));
    }
    return request(schemas.quarantine, `/api/quarantine?${params}`, { signal });
  },
  quarantineSummary: (filter: { source?: string | undefined }, signal?: AbortSignal) =>
    request(
      schemas.quarantineSummary,
      `/api/quarantine/summary${filter.source ? `?source=${encode(filter.source)}` : ''}`,
      { signal },
    ),
  materialize: (body: MaterializeRequest): Promise<Launched> =>
    request(schemas.launched, '/api/materialize', { method: 'POST', body }),
  cancel: (id: string) => request(schemas.cancelled, `/api/runs/${encode(id)}/cancel`, { method: 'POST' }),
  rerun: (id: string): Promise<Launched> =>
    request(schemas.launched, `/api/runs/${encode(id)}/rerun`, { method: 'POST' }),
};
