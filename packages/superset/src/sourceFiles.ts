import { readdir, readFile } from 'node:fs/promises';
import { basename, join, relative } from 'node:path';
import { UserError } from '@vitrina/core';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { key } from './schema.ts';

/* Reading the YAML files under superset/ and collecting every problem, named by file and field. */

/** One problem in one source file, with the path of the field at fault. */
export interface SourceProblem {
  file: string;
  field: string;
  message: string;
}

export class SourceError extends UserError {
  constructor(readonly problems: SourceProblem[]) {
    super(
      `superset sources are invalid:\n${problems.map((problem) => `  ${problem.file}: ${problem.field || '(file)'}: ${problem.message}`).join('\n')}`,
    );
  }
}

export const fieldPath = (path: readonly PropertyKey[]) =>
  path
    .map((part) => (typeof part === 'number' ? `[${part}]` : `.${String(part)}`))
    .join('')
    .replace(/^\./, '');

export async function readYaml(file: string, root: string, problems: SourceProblem[]): Promise<unknown> {
  try {
    return parseYaml(await readFile(file, 'utf8'));
  } catch (error) {
    problems.push({
      file: relative(root, file),
      field: '',
      message: (error as Error).message.split('\n')[0]!,
    });
    return undefined;
  }
}

/** Parses `raw` with `schema`; every issue becomes a problem of `file`. */
export function parseWith<T>(
  schema: z.ZodType<T>,
  raw: unknown,
  file: string,
  problems: SourceProblem[],
): T | undefined {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues)
    problems.push({ file, field: fieldPath(issue.path), message: issue.message });
  return undefined;
}

/** The YAML files of a folder, sorted, as (key, file label, parsed content). */
export async function readFolder(
  root: string,
  folder: string,
  problems: SourceProblem[],
): Promise<Array<{ key: string; label: string; raw: unknown }>> {
  const directory = join(root, folder);
  const names = (await readdir(directory).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.yaml'))
    .sort();
  const files: Array<{ key: string; label: string; raw: unknown }> = [];
  for (const name of names) {
    const file = join(directory, name);
    const fileKey = basename(name, '.yaml');
    const label = relative(root, file);
    if (!key.safeParse(fileKey).success)
      problems.push({
        file: label,
        field: '',
        message: 'file name must be a key: lower-case letters, digits and _',
      });
    const raw = await readYaml(file, root, problems);
    if (raw !== undefined) files.push({ key: fileKey, label, raw });
  }
  return files;
}
