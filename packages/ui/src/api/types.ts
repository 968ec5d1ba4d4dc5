import {
  assetColumnsSchema,
  assetDetailSchema,
  eventSchema,
  graphSchema,
  launchedSchema,
  planSchema,
  quarantinePageSchema,
  quarantineSummarySchema,
  runSchema,
  runStatusEnum,
  stepSchema,
} from '@vitrina/server/api-schemas';
import { z } from 'zod';

/**
 * The API's shapes, taken from the server's own zod schemas (the ones its OpenAPI document is built
 * from), so the UI and the server cannot drift apart silently: a response that does not parse is an
 * error the UI shows, not a crash three components later.
 */
export const schemas = {
  graph: graphSchema,
  assetDetail: assetDetailSchema,
  assetColumns: assetColumnsSchema,
  runs: z.object({ runs: z.array(runSchema) }),
  runDetail: z.object({ run: runSchema, steps: z.array(stepSchema) }),
  events: z.object({ events: z.array(eventSchema) }),
  event: eventSchema,
  launched: launchedSchema,
  plan: planSchema,
  quarantine: quarantinePageSchema,
  quarantineSummary: quarantineSummarySchema,
  cancelled: z.object({ cancelled: z.literal(true) }),
};

/** Every event type a run's stream sends (EventSource needs a listener per named event). */
export const runEventTypes = eventSchema.shape.type.options;
/** Every status a run can have, in the server's order. */
export const runStatuses = runStatusEnum.options;

export type Graph = z.infer<typeof graphSchema>;
export type AssetNode = Graph['nodes'][number];
export type AssetHealth = AssetNode['health'];
export type AssetDetail = z.infer<typeof assetDetailSchema>;
export type AssetColumns = z.infer<typeof assetColumnsSchema>;
export type AssetColumn = AssetColumns['columns'][number];
export type ColumnRef = AssetColumn['from'][number];
export type Run = z.infer<typeof runSchema>;
export type Step = z.infer<typeof stepSchema>;
export type RunEvent = z.infer<typeof eventSchema>;
export type Launched = z.infer<typeof launchedSchema>;
export type Plan = z.infer<typeof planSchema>;
export type QuarantinePage = z.infer<typeof quarantinePageSchema>;
export type QuarantineRow = QuarantinePage['rows'][number];
export type QuarantineSummary = z.infer<typeof quarantineSummarySchema>;
