import { DefinitionError, describeIssues, partitionDateSchema } from '@vitrina/core';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { checkSpecSchema, columnCheckSchema } from './checks/index.ts';
import { columnName, tableName } from './identifiers.ts';

export const modelKinds = ['view', 'table', 'daily', 'incremental'] as const;
export type ModelKind = (typeof modelKinds)[number];

/** A group or pool name: lower case, as the engine's own names are. */
const name = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case name (letters, digits and _)');

const columnSchema = z.strictObject({
  description: z.string().trim().min(1).optional(),
  checks: z.array(columnCheckSchema).default([]),
});

/** How a model reads an upstream's days, when not the same day (or, for an unpartitioned one, all). */
const dependencySchema = z.union([
  z.literal('all'),
  z.strictObject({ window: z.tuple([z.number().int(), z.number().int()]) }),
]);

/**
 * The `model:` block of a model file's leading comment, in YAML. Everything is optional: a bare
 * SELECT is a view named after its file.
 */
export const modelHeaderSchema = z
  .strictObject({
    key: tableName.optional(),
    kind: z.enum(modelKinds).default('view'),
    description: z.string().trim().min(1).optional(),
    group: name.optional(),
    owner: z.string().min(1).optional(),
    /** daily: the date column that holds each row's day. */
    time_column: columnName.optional(),
    /** daily: the first day (the location's default otherwise). */
    start: partitionDateSchema.optional(),
    timezone: z.string().optional(),
    /** incremental: the columns that identify a row; a row arriving again replaces the old one. */
    unique_key: z.union([columnName, z.array(columnName).min(1)]).optional(),
    /** incremental: a row replaces the stored one only when this column is not older (so days built out of order keep the newest). */
    newest_by: columnName.optional(),
    freshness: z
      .strictObject({
        cron: z.string(),
        maximum_lag_minutes: z.number().int().positive(),
        timezone: z.string().optional(),
      })
      .optional(),
    pool: name.optional(),
    deps: z.record(tableName, dependencySchema).default({}),
    columns: z.record(columnName, columnSchema).default({}),
    checks: z.array(checkSpecSchema).default([]),
  })
  .superRefine((header, ctx) => {
    if (header.kind === 'daily' && !header.time_column)
      ctx.addIssue({ code: 'custom', path: ['time_column'], message: 'a daily model names its date column' });
    if (header.kind === 'incremental' && !header.unique_key)
      ctx.addIssue({
        code: 'custom',
        path: ['unique_key'],
        message: 'an incremental model names the columns that identify a row',
      });
    if (header.kind !== 'incremental' && header.newest_by)
      ctx.addIssue({
        code: 'custom',
        path: ['newest_by'],
        message: 'only an incremental model has newest_by',
      });
    if (header.kind !== 'daily' && header.time_column)
      ctx.addIssue({
        code: 'custom',
        path: ['time_column'],
        message: 'only a daily model has a time column',
      });
  });
export type ModelHeader = z.infer<typeof modelHeaderSchema>;

/** A model file: its header and its query (the text after the header). */
export interface ModelSource {
  header: ModelHeader;
  query: string;
}

const LEADING_COMMENT = /^\s*\/\*([\s\S]*?)\*\//;

/**
 * Reads a model file: the leading block comment is its header when it is YAML with a `model:` key
 * (any other leading comment is left in the query). `file` names it in errors.
 */
export function readModel(file: string, text: string): ModelSource {
  const comment = LEADING_COMMENT.exec(text);
  let yaml: unknown;
  if (comment) {
    try {
      yaml = parseYaml(comment[1]!);
    } catch {
      yaml = undefined; // prose, not a header
    }
  }
  const isHeader = typeof yaml === 'object' && yaml !== null && 'model' in yaml;
  const parsed = modelHeaderSchema.safeParse(isHeader ? ((yaml as { model: unknown }).model ?? {}) : {});
  if (!parsed.success) throw new DefinitionError(describeIssues(`${file}: model`, parsed.error));
  const query = (isHeader ? text.slice(comment![0].length) : text).trim().replace(/;\s*$/, '');
  if (!query) throw new DefinitionError(`${file}: the model has no query after its header`);
  return { header: parsed.data, query };
}
