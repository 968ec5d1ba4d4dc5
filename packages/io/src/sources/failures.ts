import { isTransient, TransientError } from '@vitrina/core';

/** How long reaching a source and reading from it may take. */
export interface SourceTimeouts {
  /** Connecting and logging in (per connection). Default 10 s. */
  connectTimeoutMs?: number;
  /** A whole query, request or transfer, first byte to last. Default 10 min. */
  queryTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 10 * 60_000;

export function timeoutsOf(options: SourceTimeouts = {}): Required<SourceTimeouts> {
  return {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
  };
}

/** "250 ms", "1.5 s", "10 min". */
export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  return ms < 60_000 ? `${Math.round(ms / 100) / 10} s` : `${Math.round(ms / 1000)} s`;
}

/** A connection URL as a message may show it: user, host, port and path; no password, no query. */
export function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const user = parsed.username ? `${decodeURIComponent(parsed.username)}@` : '';
    return `${user}${parsed.host}${parsed.pathname === '/' ? '' : parsed.pathname}`;
  } catch {
    return 'an unparsable URL';
  }
}

/** The password of a URL, to redact wherever a driver repeats it. */
export function secretsOf(url: string): string[] {
  try {
    const password = decodeURIComponent(new URL(url).password);
    return password ? [password] : [];
  } catch {
    return [];
  }
}

function redact(text: string, secrets: readonly string[]): string {
  let result = text;
  for (const secret of secrets) if (secret.length >= 3) result = result.split(secret).join('***');
  return result.replace(/(\/\/[^:/@\s]+:)[^@\s]+@/g, '$1***@');
}

/**
 * A source's failure as the executor should see it, its message naming the source and the reason
 * with secrets redacted. What isTransient recognises (a refused or dropped connection, a timeout
 * while connecting) stays retryable; everything else — a rejected login, an unknown database, a
 * missing grant — becomes a plain Error, so it fails at once instead of being retried.
 */
export function sourceFailure(source: string, error: unknown, secrets: readonly string[] = []): Error {
  const original = error instanceof Error ? error : new Error(String(error));
  const code = (original as { code?: unknown }).code;
  const shownCode = typeof code === 'string' && !original.message.includes(code) ? ` (${code})` : '';
  const message = redact(`${source}: ${original.message || String(code ?? 'failed')}${shownCode}`, secrets);
  if (isTransient(original)) return new TransientError(message, { cause: original });
  return new Error(message);
}

/** A connection not made within the connect timeout: retryable, the server may be restarting. */
export function connectTimeout(source: string, ms: number): TransientError {
  return new TransientError(`${source}: no connection within ${duration(ms)} (connect timeout)`);
}

/** A query over its total time: not retried, the same query would take as long again. */
export function queryTimeout(source: string, ms: number, what = 'the query'): Error {
  return new Error(`${source}: ${what} did not finish within ${duration(ms)} (query timeout)`);
}

/** `promise`, or `onTimeout()` thrown once `ms` have passed; `onLate` gets what arrives after that. */
export async function within<T>(
  promise: Promise<T>,
  ms: number,
  onTimeout: () => Error,
  onLate?: (value: T) => void,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  let late = false;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      late = true;
      reject(onTimeout());
    }, ms);
  });
  try {
    return await Promise.race([
      promise.then((value) => {
        if (late) onLate?.(value);
        return value;
      }),
      deadline,
    ]);
  } finally {
    clearTimeout(timer);
  }
}
