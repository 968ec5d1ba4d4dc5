// From `@vitrina/core/contract`, not core's index: the UI bundles this file for the browser.
import {
  assetHealths,
  assetStorages,
  checkSeverities,
  materializationStatuses,
  partitionStatuses,
  runEventTypes,
  runStatuses,
  runTriggers,
  stepStatuses,
} from '@vitrina/core/contract';
import { z } from 'zod';

/** Response and request shapes of the HTTP API; the OpenAPI document is generated from them. */
const timestamp = z.string().describe('ISO 8601 timestamp');
const json: z.ZodType<unknown> = z.unknown();

export const errorSchema = z.object({
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
  /** On a 500: the id the server log names the failure by. */
  requestId: z.string().optional(),
});

/**
 * The refusals any route may answer with: 401 without the token where it is needed, 421 for a Host
 * that is not this server's, 500 with the request id the server log names.
 */
export const refusals = { 401: errorSchema, 421: errorSchema, 500: errorSchema } as const;

/** A mutating route's: also 400 for bad input and 403 for a request from another site. */
export const mutationRefusals = { ...refusals, 400: errorSchema, 403: errorSchema } as const;

/** How a mutating route is authorised, for the OpenAPI document. */
export const tokenSecurity: { [scheme: string]: string[] }[] = [{ bearer: [] }, { cookie: [] }];

/** What a PostgreSQL `int4` holds: parameters compared with such columns stay within it. */
export const INT4_MAX = 2_147_483_647;

/** A text parameter as PostgreSQL's `text` takes it: no NUL byte, and bounded. */
export const text = (max: number) =>
  z
    .string()
    .max(max)
    // biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the one character PostgreSQL's text refuses.
    .regex(/^[^\u0000]*$/, 'must not contain NUL bytes');

/** A non-negative integer query parameter within `int4`. */
export const count = (min: number, max = INT4_MAX) => z.coerce.number().int().min(min).max(max);

export const healthEnum = z.enum(assetHealths);

const severityEnum = z.enum(checkSeverities);

export const freshnessSchema = z.object({
  tick: timestamp,
  requiredDataTime: timestamp,
  dataTime: timestamp.nullable(),
  overdue: z.boolean(),
  nextTick: timestamp,
});

export const assetNodeSchema = z.object({
  key: z.string(),
  group: z.string(),
  description: z.string(),
  storage: z.enum(assetStorages),
  partitioned: z.boolean(),
  health: healthEnum,
  reason: z.string().nullable(),
  lastMaterializedAt: timestamp.nullable(),
  partitions: z.object({
    total: z.number(),
    materialized: z.number(),
    failed: z.number(),
    stale: z.number(),
  }),
  freshness: freshnessSchema.nullable(),
});

export const graphSchema = z.object({
  nodes: z.array(assetNodeSchema),
  edges: z.array(z.object({ from: z.string(), to: z.string() })),
  /** Systems replaced by a stand-in in this deployment, to be labelled as such. */
  standIns: z.array(z.string()),
});

const mappingSchema = z.union([
  z.object({ kind: z.literal('identity') }),
  z.object({ kind: z.literal('window'), startOffset: z.number(), endOffset: z.number() }),
  z.object({ kind: z.literal('all') }),
]);

export const partitionStateSchema = z.object({
  partition: z.string(),
  status: z.enum(partitionStatuses),
  dataVersion: z.string().nullable(),
  codeVersion: z.string().nullable(),
  materializedAt: timestamp.nullable(),
  rowCount: z.number().nullable(),
  runId: z.string(),
  failure: z.string().nullable(),
  updatedAt: timestamp,
});

export const materializationSchema = z.object({
  runId: z.string(),
  partition: z.string(),
  status: z.enum(materializationStatuses),
  startedAt: timestamp,
  finishedAt: timestamp,
  rowCount: z.number().nullable(),
  dataVersion: z.string().nullable(),
  codeVersion: z.string(),
  metadata: z.record(z.string(), json),
  error: z.string().nullable(),
});

export const checkResultSchema = z.object({
  runId: z.string(),
  assetKey: z.string(),
  partition: z.string(),
  checkName: z.string(),
  severity: severityEnum,
  passed: z.boolean(),
  message: z.string().nullable(),
  metadata: z.record(z.string(), json),
  at: timestamp,
});

/** Where the API learnt of a column: the asset's declaration, its warehouse table, or both. */
export const columnSources = ['declared', 'database', 'both'] as const;

/** Whether the asset's warehouse table was read for its columns. */
export const tableStates = ['found', 'absent', 'not_read'] as const;

const columnRefSchema = z.object({ asset: z.string(), column: z.string() });

export const columnSchema = z.object({
  name: z.string(),
  type: z
    .string()
    .nullable()
    .describe("the table's type when the table has the column, else the declared one"),
  nullable: z.boolean().nullable().describe('null when the table does not have the column'),
  description: z.string().nullable().describe("the declared description, else the column's comment"),
  from: z.array(columnRefSchema).describe('the upstream columns it is declared to be computed from'),
  readBy: z.array(columnRefSchema).describe('the downstream columns declared to be computed from it'),
  source: z.enum(columnSources),
  missing: z.boolean().describe('declared, but the table in the warehouse has no such column'),
});

export const assetColumnsSchema = z.object({
  key: z.string(),
  table: z
    .enum(tableStates)
    .describe(
      'found: the PostgreSQL table was read; absent: it does not exist yet; not_read: the asset does not live in the PostgreSQL warehouse of the location',
    ),
  columns: z.array(columnSchema),
});

export const assetDetailSchema = z.object({
  asset: assetNodeSchema.extend({
    owner: z.string().nullable(),
    pool: z.string(),
    codeVersion: z.string(),
    sql: z.array(z.string()),
    tags: z.record(z.string(), z.string()),
    deps: z.array(z.object({ key: z.string(), mapping: mappingSchema })),
    downstream: z.array(z.string()),
    retry: z.object({
      maxRetries: z.number(),
      initialDelayMs: z.number(),
      maxDelayMs: z.number(),
      factor: z.number(),
    }),
    timeoutMs: z.number().nullable(),
    backfill: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('range'), maxPartitions: z.number() }),
        z.object({ kind: z.literal('latest') }),
      ])
      .nullable()
      .describe('How a run of many days materialises them (backfill policy); null: a step per day'),
    freshnessPolicy: z
      .object({ cron: z.string(), maximumLagMinutes: z.number(), timezone: z.string() })
      .nullable(),
    partitionsDefinition: z
      .object({
        kind: z.literal('daily'),
        timezone: z.string(),
        start: z.string(),
        endOffsetDays: z.number(),
      })
      .nullable(),
    checks: z.array(
      z.object({ name: z.string(), severity: severityEnum, description: z.string().nullable() }),
    ),
  }),
  partitions: z.array(partitionStateSchema),
  materializations: z.array(materializationSchema),
  checkResults: z.array(checkResultSchema),
});

export const runStatusEnum = z.enum(runStatuses);

export const runSchema = z.object({
  id: z.string(),
  status: runStatusEnum,
  trigger: z.enum(runTriggers),
  selection: z.string(),
  partitionFrom: z.string().nullable(),
  partitionTo: z.string().nullable(),
  force: z.boolean(),
  parentRunId: z.string().nullable(),
  stepCount: z.number(),
  createdAt: timestamp,
  finishedAt: timestamp.nullable(),
  error: z.string().nullable(),
});

export const stepSchema = z.object({
  assetKey: z.string(),
  partition: z.string(),
  status: z.enum(stepStatuses),
  reason: z.string(),
  attempts: z.number(),
  startedAt: timestamp.nullable(),
  finishedAt: timestamp.nullable(),
  rowCount: z.number().nullable(),
  error: z.string().nullable(),
});

export const eventSchema = z.object({
  runId: z.string(),
  seq: z.number(),
  type: z.enum(runEventTypes),
  assetKey: z.string().nullable(),
  partition: z.string().nullable(),
  at: timestamp,
  message: z.string().nullable(),
  data: z.record(z.string(), json),
});

/** A calendar day PostgreSQL's `date` takes: 2026-02-30 and year 0 are refused here, not there. */
const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD')
  .refine((value) => {
    const [year, month, date] = value.split('-').map(Number) as [number, number, number];
    const parsed = new Date(Date.UTC(year, month - 1, date));
    return year >= 1 && parsed.getUTCMonth() === month - 1 && parsed.getUTCDate() === date;
  }, 'expected a day that exists, as YYYY-MM-DD');

export const materializeRequestSchema = z
  .object({
    selection: text(10_000).trim().min(1, 'give asset keys, group:<name> or *'),
    partition: day.optional(),
    from: day.optional(),
    to: day.optional(),
    force: z.boolean().default(false),
  })
  .strict();

/** POST /api/materialize: a selection to materialise, or with `checksOnly` to test (`vitrina test`). */
export const launchRequestSchema = materializeRequestSchema
  .extend({
    checksOnly: z
      .boolean()
      .default(false)
      .describe('run the checks of the materialised partitions on the data they hold, materialising nothing'),
  })
  .refine((request) => !(request.checksOnly && request.force), {
    path: ['force'],
    message: 'a check-only run materialises nothing: give checksOnly or force, not both',
  });

export const launchedSchema = z.object({
  runId: z.string().nullable(),
  steps: z.number(),
  message: z.string(),
});

export const planSchema = z.object({
  steps: z.array(
    z.object({
      assetKey: z.string(),
      partition: z.string(),
      reasons: z.array(z.object({ kind: z.string(), message: z.string() })),
    }),
  ),
  assets: z.array(z.object({ key: z.string(), partitions: z.number(), stale: z.number() })),
});

export const cursorSchema = z.object({
  source: z.string(),
  name: z.string(),
  value: z.string(),
  runId: z.string().nullable(),
  updatedAt: timestamp,
});

export const quarantineQuerySchema = z.object({
  source: text(200).min(1).optional(),
  asset: text(200).min(1).optional(),
  partition: text(200).optional(),
  limit: count(1, 500).default(50),
  offset: count(0).default(0),
});

export const quarantinePageSchema = z.object({
  total: z.number(),
  rows: z.array(
    z.object({
      id: z.string(),
      source: z.string(),
      asset: z.string(),
      partition: z.string(),
      runId: z.string(),
      reason: z.string(),
      raw: json,
      quarantinedAt: timestamp,
    }),
  ),
});

export const quarantineSummaryQuerySchema = z.object({
  source: text(200).min(1).optional(),
  from: day.optional(),
  to: day.optional(),
});

export const quarantineSummarySchema = z.object({
  groups: z.array(
    z.object({
      source: z.string(),
      asset: z.string(),
      partition: z.string(),
      rows: z.number(),
      lastQuarantinedAt: timestamp,
    }),
  ),
});

export const runIdParams = z.object({ id: text(64).min(1) });

export const assetKeyParams = z.object({ key: text(200).min(1) });

export const eventsQuerySchema = z.object({
  after: count(0).default(0),
  limit: count(1, 10_000).default(1000),
});

export const runsQuerySchema = z.object({
  limit: count(1, 500).default(50),
  offset: count(0).default(0),
  status: runStatusEnum.optional(),
});

/** `Last-Event-ID`: the seq of the last event a reconnecting client has seen. */
export const streamHeadersSchema = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d{1,10}$/, 'expected an event seq')
    .refine((value) => Number(value) <= INT4_MAX, 'expected an event seq')
    .optional(),
});
