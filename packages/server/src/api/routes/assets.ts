import { type AssetStatus, assetStatuses, indexStates } from '@vitrina/core';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { mergeColumns } from '../columns.ts';
import type { ApiContext } from '../context.ts';
import { NotFoundError } from '../errors.ts';
import { jsonify } from '../json.ts';
import {
  assetColumnsSchema,
  assetDetailSchema,
  assetKeyParams,
  count,
  errorSchema,
  graphSchema,
  refusals,
} from '../schemas.ts';

export function assetRoutes({ workspace, warehouse }: ApiContext): FastifyPluginAsyncZod {
  const { graph } = workspace.location;

  const node = (status: AssetStatus) => {
    const asset = graph.get(status.key);
    return {
      key: asset.key,
      group: asset.group,
      description: asset.description,
      storage: asset.storage,
      partitioned: asset.partitions !== null,
      health: status.health,
      reason: status.reason,
      lastMaterializedAt: status.lastMaterializedAt,
      partitions: status.partitions,
      freshness: status.freshness,
    };
  };

  const statuses = async (keys?: string[]) =>
    assetStatuses(graph, indexStates(await workspace.storage.assetPartitions(keys)), new Date());

  return async (app) => {
    app.get(
      '/api/assets',
      {
        schema: {
          summary: 'The asset graph: every asset with its state, and the edges between them',
          response: { ...refusals, 200: graphSchema },
        },
      },
      async () => {
        const nodes = (await statuses()).map(node);
        const edges = graph
          .assets()
          .flatMap((asset) => asset.deps.map((dep) => ({ from: dep.key, to: asset.key })));
        return jsonify({ nodes, edges, standIns: [...workspace.location.standIns] });
      },
    );

    app.get(
      '/api/assets/:key',
      {
        schema: {
          summary: 'One asset: definition, SQL, partitions, materialisation history, check results',
          params: assetKeyParams,
          querystring: z.object({ limit: count(1, 1000).default(100) }),
          response: { ...refusals, 200: assetDetailSchema, 400: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const { key } = request.params;
        if (!graph.has(key)) throw new NotFoundError(`no asset "${key}"`);
        const asset = graph.get(key);
        const status = (await statuses()).find((entry) => entry.key === key)!;
        const [partitions, materializations, checkResults] = await Promise.all([
          workspace.storage.assetPartitions([key]),
          workspace.storage.materializations(key, { limit: request.query.limit }),
          workspace.storage.checkResults({ assetKey: key, limit: request.query.limit }),
        ]);
        return jsonify({
          asset: {
            ...node(status),
            owner: asset.owner,
            pool: asset.pool,
            codeVersion: asset.codeVersion,
            sql: asset.sql,
            tags: asset.tags,
            deps: asset.deps.map((dep) => ({ key: dep.key, mapping: dep.mapping })),
            downstream: graph.downstreamKeys(key),
            retry: asset.retry,
            timeoutMs: asset.timeoutMs,
            backfill: asset.backfill,
            freshnessPolicy: asset.freshness,
            partitionsDefinition: asset.partitions,
            checks: asset.checks.map((check) => ({
              name: check.name,
              severity: check.severity,
              description: check.description ?? null,
            })),
          },
          partitions: partitions.sort((a, b) => a.partition.localeCompare(b.partition)),
          materializations,
          checkResults,
        });
      },
    );

    // Apart from the asset itself: reading the warehouse may be slow or fail, and must not take the
    // rest of the asset page with it.
    app.get(
      '/api/assets/:key/columns',
      {
        schema: {
          summary:
            "One asset's columns: its warehouse table's merged with the declared ones, with column lineage",
          params: assetKeyParams,
          response: { ...refusals, 200: assetColumnsSchema, 400: errorSchema, 404: errorSchema },
        },
      },
      async (request) => {
        const { key } = request.params;
        if (!graph.has(key)) throw new NotFoundError(`no asset "${key}"`);
        const readable = graph.get(key).storage === 'postgres' && workspace.location.warehouseUrl !== null;
        const table = readable ? await warehouse.columns(key) : null;
        return {
          key,
          table: !readable ? ('not_read' as const) : table ? ('found' as const) : ('absent' as const),
          columns: mergeColumns(graph, key, table),
        };
      },
    );
  };
}
