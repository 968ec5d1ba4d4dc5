import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { DefinitionError, describeIssues } from '@vitrina/core';
import type { TextEncoding } from '@vitrina/io/text';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

/** The optional sidecar `<name>.yml` next to `<name>.csv`. */
export interface SeedConfig {
  description?: string;
  encoding?: TextEncoding;
  delimiter?: string;
  columns?: Record<string, SeedColumnConfig>;
}

export interface SeedColumnConfig {
  /** A PostgreSQL type: text, integer, bigint, numeric, numeric(12,2), date, timestamp, timestamptz, boolean… */
  type?: string;
  description?: string;
}

// The type is spliced into DDL, so only the shape of a type name passes: PostgreSQL judges the rest.
const typeName =
  /^[a-z_][a-z0-9_]*( [a-z_][a-z0-9_]*)*(\s*\(\s*\d+\s*(,\s*-?\d+\s*)?\))?( [a-z ]+)?(\[\])?$/i;

const columnSchema = z.strictObject({
  type: z
    .string()
    .trim()
    .regex(typeName, 'expected a PostgreSQL type such as text, bigint, numeric(12,2), date or timestamptz')
    .optional(),
  description: z.string().trim().min(1).optional(),
});

const configSchema: z.ZodType<SeedConfig> = z.strictObject({
  description: z.string().trim().min(1).optional(),
  encoding: z.enum(['utf-8', 'windows-1251']).optional(),
  delimiter: z
    .string()
    .length(1, 'expected one character')
    .refine((char) => !['"', '\n', '\r'].includes(char), 'a quote or a line ending cannot separate fields')
    .optional(),
  columns: z.record(z.string(), columnSchema).optional(),
});

/** A path as messages show it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const shown = relative(process.cwd(), file);
  return shown === '' || shown.startsWith('..') || shown.startsWith('/') ? file : shown;
}

/** Where the sidecar of `<name>.csv` is: `<name>.yml` beside it. */
export function sidecarPath(csvPath: string): string {
  if (!/\.csv$/i.test(csvPath))
    throw new DefinitionError(`seed ${displayPath(csvPath)}: expected a .csv file`);
  return csvPath.replace(/\.csv$/i, '.yml');
}

/** The seed's sidecar, validated; `{}` when there is none. Errors name the file. */
export async function readSeedConfig(csvPath: string): Promise<SeedConfig> {
  const path = sidecarPath(csvPath);
  const misnamed = path.replace(/\.yml$/, '.yaml');
  if (!existsSync(path)) {
    // A sidecar under the other extension would otherwise be ignored without a word.
    if (existsSync(misnamed))
      throw new DefinitionError(`${displayPath(misnamed)}: a seed's sidecar is read as ${displayPath(path)}`);
    return {};
  }
  const shown = displayPath(path);
  let parsed: unknown;
  try {
    parsed = parseYaml(await readFile(path, 'utf8'));
  } catch (error) {
    throw new DefinitionError(`${shown}: not valid YAML: ${(error as Error).message}`, { cause: error });
  }
  const result = configSchema.safeParse(parsed ?? {});
  if (!result.success) throw new DefinitionError(describeIssues(shown, result.error));
  return result.data;
}
