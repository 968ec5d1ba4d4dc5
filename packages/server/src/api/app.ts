import { randomUUID } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import type { RunLauncher } from '@vitrina/core';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Workspace } from '../workspace.ts';
import type { ApiContext } from './context.ts';
import { installErrorHandler, logFailure } from './failures.ts';
import { installGuard, LOOPBACK_HOSTS, normaliseHosts, TOKEN_COOKIE } from './guard.ts';
import { assetRoutes } from './routes/assets.ts';
import { runRoutes } from './routes/runs.ts';
import { sourceRoutes } from './routes/sources.ts';
import { WarehouseReader } from './warehouse.ts';

export interface ApiOptions {
  workspace: Workspace;
  launcher: RunLauncher;
  /** Every mutating request must carry it (`Authorization: Bearer <token>` or the UI's cookie). */
  token: string;
  /** Host names besides loopback's that requests may name (`Host`). */
  allowedHosts?: Iterable<string>;
  /** Bound beyond loopback: reads need the token too. */
  exposed?: boolean;
  logger?: boolean;
}

/** The HTTP API: typed routes (zod in, zod out), OpenAPI at /api/openapi.json, errors as JSON. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const logging = options.logger ?? false;
  const app = Fastify({ logger: logging, genReqId: () => randomUUID() }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Vitrina API',
        description: 'Assets, runs and materialisation of the Vitrina warehouse.',
        version: '0.1.0',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'VITRINA_API_TOKEN or $VITRINA_HOME/api-token',
          },
          cookie: { type: 'apiKey', in: 'cookie', name: TOKEN_COOKIE, description: 'set by the UI page' },
        },
      },
    },
    transform: jsonSchemaTransform,
  });

  installErrorHandler(app, logging);
  installGuard(app, {
    token: options.token,
    allowedHosts: normaliseHosts([...LOOPBACK_HOSTS, ...(options.allowedHosts ?? [])]),
    exposed: options.exposed ?? false,
  });

  const warehouse = new WarehouseReader(options.workspace.location.warehouseUrl);
  app.addHook('onClose', async () => warehouse.close());
  const context: ApiContext = {
    workspace: options.workspace,
    launcher: options.launcher,
    warehouse,
    logFailure: (message, error, fields = {}) => logFailure(app, logging, { ...fields, message }, error),
  };
  app.get('/api/health', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(assetRoutes(context));
  await app.register(runRoutes(context));
  await app.register(sourceRoutes(context));
  return app;
}
