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
});

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

export const columnSchema = z.object({ name: z.string(), type: z.string(), nullable: z.boolean() });

export const assetDetailSchema = z.object({
  asset: assetNodeSchema.extend({
    columns: z.array(columnSchema),
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

const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'expected a day as YYYY-MM-DD');

export const materializeRequestSchema = z
  .object({
    selection: z.string().trim().min(1, 'give asset keys, group:<name> or *'),
    partition: day.optional(),
    from: day.optional(),
    to: day.optional(),
    force: z.boolean().default(false),
  })
  .strict();

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
  source: z.string().min(1).optional(),
  asset: z.string().min(1).optional(),
  partition: z.string().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
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
  source: z.string().min(1).optional(),
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

export const runIdParams = z.object({ id: z.string().min(1).max(64) });
