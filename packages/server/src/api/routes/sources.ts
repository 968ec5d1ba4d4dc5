import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { ApiContext } from '../context.ts';
import { jsonify } from '../json.ts';
import {
  cursorSchema,
  errorSchema,
  quarantinePageSchema,
  quarantineQuerySchema,
  quarantineSummaryQuerySchema,
  quarantineSummarySchema,
  refusals,
} from '../schemas.ts';

export function sourceRoutes({ workspace, warehouse }: ApiContext): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/cursors',
      {
        schema: {
          summary: 'Source watermarks: how far each incremental extraction has read',
          response: { ...refusals, 200: z.object({ cursors: z.array(cursorSchema) }) },
        },
      },
      async () => jsonify({ cursors: await workspace.storage.listCursors() }),
    );

    app.get(
      '/api/quarantine',
      {
        schema: {
          summary: 'Rows that failed validation, newest first, by source, asset and partition',
          querystring: quarantineQuerySchema,
          response: { ...refusals, 200: quarantinePageSchema, 400: errorSchema },
        },
      },
      async (request) => jsonify(await warehouse.quarantine(request.query)),
    );

    app.get(
      '/api/quarantine/summary',
      {
        schema: {
          summary: 'Quarantined rows counted per source, asset and day, newest days first',
          querystring: quarantineSummaryQuerySchema,
          response: { ...refusals, 200: quarantineSummarySchema, 400: errorSchema },
        },
      },
      async (request) => jsonify(await warehouse.quarantineSummary(request.query)),
    );
  };
}
