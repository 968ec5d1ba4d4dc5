import { TransientError } from '@vitrina/core';
import type { z } from 'zod';
import { DEFAULT_QUERY_TIMEOUT_MS, duration } from './sources/failures.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

/** A failure worth retrying later (429, 5xx, network, timeout): the executor's retry policy sees it. */
export class TransientHttpError extends TransientError {
  override name = 'TransientHttpError';
  /** From Retry-After, when the server said how long to wait. */
  retryAfterMs: number | undefined = undefined;
  constructor(
    message: string,
    readonly status: number | null,
  ) {
    super(message);
  }
}

export interface FetchJsonOptions {
  /** One attempt, from connecting to the last byte of the answer. Default 10 s. */
  timeoutMs?: number;
  /** Every attempt and the waits between them together: no retry starts past it. Default 10 min. */
  totalTimeoutMs?: number;
  /** Attempts after the first, for 429, 5xx, network errors and timeouts. */
  retries?: number;
  initialDelayMs?: number;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /** False where 429 means a quota for the day rather than a moment's overload: fail at once. */
  retryTooManyRequests?: boolean;
}

/** Query parameters whose values are secrets and never appear in a message. */
const secretParams = /([?&](?:apikey|api_key|key|token|access_token)=)[^&#]*/gi;

export function redactUrl(url: string): string {
  return url.replace(secretParams, '$1***').replace(/(\/\/[^:/@\s]+:)[^@\s]+@/, '$1***@');
}

/**
 * GETs JSON and validates it with a zod schema. Retries 429 (honouring Retry-After), 5xx, network
 * errors and timeouts with exponential backoff, each attempt within `timeoutMs` and all of them
 * within `totalTimeoutMs`; the last failure says how many attempts it made in how long. Other
 * statuses, non-JSON bodies and bodies that do not match the schema fail at once with a message
 * that names the URL (secrets redacted) and the field.
 */
export async function fetchJson<T>(
  url: string,
  schema: z.ZodType<T>,
  options: FetchJsonOptions = {},
): Promise<T> {
  const retries = options.retries ?? 3;
  const perAttempt = options.timeoutMs ?? 10_000;
  const total = options.totalTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const where = redactUrl(url);
  const started = Date.now();
  const deadline = started + total;
  let delay = options.initialDelayMs ?? 500;
  for (let attempt = 0; ; attempt++) {
    let failure: TransientHttpError;
    try {
      return await fetchOnce(
        url,
        where,
        schema,
        options,
        Math.max(1, Math.min(perAttempt, deadline - Date.now())),
      );
    } catch (error) {
      if (!(error instanceof TransientHttpError)) throw error;
      failure = error;
    }
    const wait = failure.retryAfterMs ?? delay;
    const last =
      attempt >= retries ||
      (failure.status === 429 && options.retryTooManyRequests === false) ||
      Date.now() + wait >= deadline;
    if (last) {
      const attempts = `${attempt + 1} attempt${attempt === 0 ? '' : 's'}`;
      const summary = new TransientHttpError(
        `${failure.message}; gave up after ${attempts} in ${duration(Date.now() - started)} (at most ${perAttempt} ms per attempt, ${duration(total)} in all)`,
        failure.status,
      );
      summary.retryAfterMs = failure.retryAfterMs;
      throw summary;
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
    delay *= 2;
  }
}

async function fetchOnce<T>(
  url: string,
  where: string,
  schema: z.ZodType<T>,
  options: FetchJsonOptions,
  timeoutMs: number,
): Promise<T> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const signal = options.signal ? AbortSignal.any([options.signal, timeout]) : timeout;
  let response: Response;
  try {
    response = await fetch(url, { headers: { accept: 'application/json', ...options.headers }, signal });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const why = timeout.aborted ? `timed out after ${timeoutMs} ms` : describeNetworkError(error);
    throw new TransientHttpError(`GET ${where}: ${why}`, null);
  }
  if (response.status === 429 || response.status >= 500) {
    const transient = new TransientHttpError(`GET ${where}: HTTP ${response.status}`, response.status);
    transient.retryAfterMs = retryAfter(response.headers.get('retry-after'));
    await response.body?.cancel();
    throw transient;
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    if (options.signal?.aborted) throw error;
    const why = timeout.aborted
      ? `timed out after ${timeoutMs} ms reading the answer`
      : describeNetworkError(error);
    throw new TransientHttpError(`GET ${where}: ${why}`, response.status);
  }
  if (!response.ok)
    throw new HttpError(`GET ${where}: HTTP ${response.status}: ${text.slice(0, 200)}`, response.status);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HttpError(`GET ${where}: the response is not JSON: ${text.slice(0, 80)}`, response.status);
  }
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new HttpError(
      `GET ${where}: unexpected response at ${issue.path.join('.') || 'the top level'}: ${issue.message}`,
      response.status,
    );
  }
  return parsed.data;
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  return Number.isFinite(seconds) ? Math.min(seconds * 1000, 60_000) : undefined;
}

/** fetch says "fetch failed" and keeps the reason (ECONNREFUSED, a reset) in its cause. */
function describeNetworkError(error: unknown): string {
  const failure = error as Error & { cause?: { code?: string; message?: string } };
  const cause = failure.cause;
  if (cause && (cause.code || cause.message)) return `${failure.message}: ${cause.code ?? cause.message}`;
  return failure.message;
}
