import { createHash } from 'node:crypto';

/**
 * A short hash of the code an asset runs. SQL is normalised (comments dropped, whitespace collapsed)
 * so reformatting a statement does not make everything downstream stale.
 */
export function codeVersionOf(parts: string[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(normaliseSql(part)).update('\u0000');
  return hash.digest('hex').slice(0, 12);
}

export function normaliseSql(sql: string): string {
  return sql
    .replace(/--[^\n]*/g, ' ')
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}
