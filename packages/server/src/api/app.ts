import { timingSafeEqual } from 'node:crypto';
import fastifySwagger from '@fastify/swagger';
import type { RunLauncher } from '@vitrina/core';
import { UserError } from '@vitrina/core';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  hasZodFastifySchemaValidationErrors,
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Workspace } from '../workspace.ts';
import type { ApiContext } from './context.ts';
import { ConflictError, NotFoundError } from './errors.ts';
import { assetRoutes } from './routes/assets.ts';
import { runRoutes } from './routes/runs.ts';
import { sourceRoutes } from './routes/sources.ts';
import { WarehouseReader } from './warehouse.ts';

export interface ApiOptions {
  workspace: Workspace;
  launcher: RunLauncher;
  /** When set, every mutating request must carry `Authorization: Bearer <token>`. */
  token?: string | undefined;
  logger?: boolean;
}

/** The HTTP API: typed routes (zod in, zod out), OpenAPI at /api/openapi.json, errors as JSON. */
export async function buildApi(options: ApiOptions): Promise<FastifyInstance> {
  const app = Fastify({ logger: options.logger ?? false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);

  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'Vitrina API',
        description: 'Assets, runs and materialisation of the Vitrina warehouse.',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });

  app.setErrorHandler((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      const issue = error.validation[0];
      const field = [error.validationContext, ...(issue?.instancePath.split('/').filter(Boolean) ?? [])].join(
        '.',
      );
      return reply
        .code(400)
        .send({ error: 'bad_request', field, message: issue?.message ?? 'invalid request' });
    }
    if (error instanceof UserError)
      return reply.code(400).send({ error: 'bad_request', message: error.message });
    if (error instanceof NotFoundError)
      return reply.code(404).send({ error: 'not_found', message: error.message });
    if (error instanceof ConflictError)
      return reply.code(409).send({ error: 'conflict', message: error.message });
    const status = (error as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) {
      return reply.code(status).send({ error: 'bad_request', message: (error as Error).message });
    }
    request.log.error(error);
    return reply.code(500).send({ error: 'internal', message: 'internal error; see the server log' });
  });

  const token = options.token;
  if (token) {
    app.addHook('onRequest', async (request, reply) => {
      if (['GET', 'HEAD', 'OPTIONS'].includes(request.method)) return;
      if (!tokenMatches(request.headers.authorization, token)) {
        return reply.code(401).send({
          error: 'unauthorized',
          message: 'this route needs Authorization: Bearer <VITRINA_API_TOKEN>',
        });
      }
    });
  }

  const warehouse = new WarehouseReader(options.workspace.location.warehouseUrl);
  app.addHook('onClose', async () => warehouse.close());
  const context: ApiContext = { workspace: options.workspace, launcher: options.launcher, warehouse };
  app.get('/api/health', { schema: { hide: true } }, async () => ({ ok: true }));
  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());
  await app.register(assetRoutes(context));
  await app.register(runRoutes(context));
  await app.register(sourceRoutes(context));
  return app;
}

function tokenMatches(header: string | undefined, token: string): boolean {
  const given = Buffer.from(header?.replace(/^Bearer\s+/i, '') ?? '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
