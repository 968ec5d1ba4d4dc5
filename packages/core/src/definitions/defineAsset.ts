import { z } from 'zod';
import { DefinitionError } from '../errors.ts';
import { dailyPartitionsSchema } from '../partitions/daily.ts';
import { assetCodeVersion, type CodeInputs } from './codeVersion.ts';
import { cronSchema } from './cron.ts';
import {
  type Asset,
  type AssetSpec,
  assetStorages,
  type BackfillPolicy,
  checkSeverities,
  type PartitionMapping,
} from './types.ts';

export const assetKeySchema = z
  .string()
  .regex(
    /^[a-z][a-z0-9_]*(\.[a-z0-9_]+)+$/,
    'expected dotted lower-case names such as stage.payments or source.crm.b_crm_deal',
  );

const mappingSchema: z.ZodType<PartitionMapping> = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('identity') }),
  z.object({ kind: z.literal('window'), startOffset: z.number().int(), endOffset: z.number().int() }),
  z.object({ kind: z.literal('all') }),
]);

const identifier = z.string().regex(/^[a-z_][a-z0-9_]*$/, 'expected a lower-case SQL identifier');

/** The first value that occurs twice, or undefined. */
const repeatedIn = (values: readonly string[]) =>
  values.find((value, index) => values.indexOf(value) !== index);

const columnSchema = z
  .object({
    name: identifier,
    type: z.string().trim().min(1).optional(),
    description: z.string().trim().min(1).optional(),
    from: z.array(z.object({ asset: assetKeySchema, column: identifier })).default([]),
  })
  .superRefine((column, ctx) => {
    const repeated = repeatedIn(column.from.map((ref) => `${ref.asset}.${ref.column}`));
    if (repeated) ctx.addIssue({ code: 'custom', path: ['from'], message: `"${repeated}" is named twice` });
  });

const fn = <T>(what: string) => z.custom<T>((value) => typeof value === 'function', `expected ${what}`);

const specSchema = z
  .object({
    key: assetKeySchema,
    description: z.string().trim().min(1, 'describe what the asset holds'),
    group: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case name'),
    owner: z.string().min(1).optional(),
    deps: z
      .array(z.union([assetKeySchema, z.object({ key: assetKeySchema, mapping: mappingSchema })]))
      .default([]),
    storage: z.enum(assetStorages),
    partitions: dailyPartitionsSchema.nullable().default(null),
    freshness: z
      .object({
        cron: cronSchema,
        maximumLagMinutes: z.number().int().positive(),
        timezone: z.string().default('Europe/Minsk'),
      })
      .optional(),
    pool: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case pool name')
      .default('default'),
    retry: z
      .object({
        maxRetries: z.number().int().min(0).max(20).default(0),
        initialDelayMs: z.number().int().min(0).default(500),
        maxDelayMs: z.number().int().min(0).default(30_000),
        factor: z.number().min(1).default(2),
      })
      .default({ maxRetries: 0, initialDelayMs: 500, maxDelayMs: 30_000, factor: 2 }),
    timeoutMs: z.number().int().positive().optional(),
    backfill: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('range'), maxPartitions: z.number().int().min(1).max(10_000) }),
        z.object({ kind: z.literal('latest') }),
      ])
      .optional() satisfies z.ZodType<BackfillPolicy | undefined>,
    checks: z
      .array(
        z.object({
          name: z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected a lower-case check name'),
          severity: z.enum(checkSeverities),
          description: z.string().optional(),
          run: fn('run to be a function'),
        }),
      )
      .default([]),
    sql: z.union([z.string().min(1), z.array(z.string().min(1))]).optional(),
    files: z.array(z.string().min(1)).optional(),
    codeVersion: z.string().min(1).optional(),
    tags: z.record(z.string(), z.string()).default({}),
    columns: z.array(columnSchema).default([]),
    materialize: fn('materialize to be a function').optional(),
  })
  .superRefine((spec, ctx) => {
    if (spec.storage === 'external' && spec.materialize) {
      ctx.addIssue({
        code: 'custom',
        path: ['materialize'],
        message: 'an external asset is observed, not materialised',
      });
    }
    if (spec.storage !== 'external' && !spec.materialize) {
      ctx.addIssue({
        code: 'custom',
        path: ['materialize'],
        message: 'a materialisable asset needs materialize()',
      });
    }
    if (spec.backfill && !spec.partitions) {
      ctx.addIssue({
        code: 'custom',
        path: ['backfill'],
        message: 'a backfill policy is for a daily asset: an unpartitioned one is one step already',
      });
    }
    const repeated = repeatedIn(spec.checks.map((check) => check.name));
    if (repeated)
      ctx.addIssue({ code: 'custom', path: ['checks'], message: `check "${repeated}" is declared twice` });
    const repeatedColumn = repeatedIn(spec.columns.map((column) => column.name));
    if (repeatedColumn)
      ctx.addIssue({
        code: 'custom',
        path: ['columns'],
        message: `column "${repeatedColumn}" is declared twice`,
      });
  });

/** Formats zod issues as `where: what` lines, where names the asset and the field. */
export function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .map((issue) => `${where}${issue.path.length ? `: ${issue.path.join('.')}` : ''}: ${issue.message}`)
    .join('; ');
}

/** Validates and normalises an asset definition; throws a DefinitionError naming the asset and field. */
export function defineAsset<R>(spec: AssetSpec<R>): Asset<R> {
  const parsed = specSchema.safeParse(spec);
  const where = `asset ${typeof spec?.key === 'string' ? `"${spec.key}"` : '(without a key)'}`;
  if (!parsed.success) throw new DefinitionError(describeIssues(where, parsed.error));
  const value = parsed.data;
  const sql = value.sql === undefined ? [] : Array.isArray(value.sql) ? value.sql : [value.sql];
  const files = value.files ?? [];
  const deps = value.deps.map((dep) =>
    typeof dep === 'string'
      ? { key: dep, mapping: { kind: 'identity' as const }, declared: false }
      : { key: dep.key, mapping: dep.mapping, declared: true },
  );
  const checks = spec.checks ?? [];
  // Columns are documentation: they stay out of the code version, so documenting one stales nothing.
  const codeVersion =
    value.codeVersion ??
    versionOf(where, {
      sql,
      definition: {
        storage: value.storage,
        partitions: value.partitions,
        deps: deps.map(({ key, mapping }) => ({ key, mapping })),
        checks: checks.map(({ name, severity }) => ({ name, severity })),
      },
      functions: [spec.materialize, ...checks.map((check) => check.run)],
      files,
    });
  return {
    key: value.key,
    description: value.description,
    group: value.group,
    owner: value.owner ?? null,
    deps,
    storage: value.storage,
    partitions: value.partitions,
    freshness: value.freshness ?? null,
    pool: value.pool,
    retry: value.retry,
    timeoutMs: value.timeoutMs ?? null,
    backfill: value.backfill ?? null,
    checks,
    sql,
    files,
    codeVersion,
    tags: value.tags,
    columns: value.columns,
    materialize: spec.materialize ?? null,
  };
}

/** The code version, or a DefinitionError naming the asset when one of its files cannot be read. */
function versionOf(where: string, inputs: CodeInputs): string {
  try {
    return assetCodeVersion(inputs);
  } catch (error) {
    throw new DefinitionError(`${where}: files: ${(error as Error).message}`);
  }
}
