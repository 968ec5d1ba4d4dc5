import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

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

/** What an asset's code version is derived from. */
export interface CodeInputs {
  sql: readonly string[];
  /** The definition's data that decides the output (partitions, dependencies, mappings, checks). */
  definition: unknown;
  /** Functions whose source decides the output: `materialize` and the checks. */
  functions: ReadonlyArray<((...args: never[]) => unknown) | null | undefined>;
  files: readonly string[];
}

/**
 * The code version of an asset: a change to its SQL, its definition, the source of its functions or
 * the bytes of its files makes it (and what reads it) stale. SQL and function sources are compared
 * without layout, so reformatting changes nothing.
 */
export function assetCodeVersion(inputs: CodeInputs): string {
  const hash = createHash('sha256');
  for (const part of inputs.sql) hash.update(normaliseSql(part)).update('\u0000');
  hash.update(JSON.stringify(inputs.definition)).update('\u0000');
  for (const fn of inputs.functions) hash.update(fn ? String(fn).replace(/\s+/g, ' ') : '-').update('\u0000');
  for (const file of inputs.files) {
    hash.update(file).update('\u0000').update(readFileSync(file)).update('\u0000');
  }
  return hash.digest('hex').slice(0, 12);
}
