import { TransientError } from '../errors.ts';

/** Network and server-availability failures worth retrying; data errors are not among them. */
const transientCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'PROTOCOL_CONNECTION_LOST',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
]);

export function isTransient(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    if (current instanceof TransientError) return true;
    if (typeof current !== 'object') return false;
    const { code, name, message, cause } = current as {
      code?: unknown;
      name?: unknown;
      message?: unknown;
      cause?: unknown;
    };
    if (typeof code === 'string' && transientCodes.has(code)) return true;
    if (name === 'TimeoutError') return true;
    if (typeof message === 'string' && /Connection terminated unexpectedly|socket hang up/i.test(message))
      return true;
    current = cause;
  }
  return false;
}

export function backoffDelay(
  policy: { initialDelayMs: number; maxDelayMs: number; factor: number },
  retry: number,
): number {
  return Math.min(policy.maxDelayMs, policy.initialDelayMs * policy.factor ** (retry - 1));
}
