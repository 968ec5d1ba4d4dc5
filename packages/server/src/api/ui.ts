import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';

/** Where `pnpm --filter @vitrina/ui build` puts the UI. */
export const uiDist = resolve(import.meta.dirname, '../../../ui/dist');

/**
 * Serves the built UI at `/`, with every non-API path falling back to index.html so the UI's own
 * routes survive a reload. Without a build, `/` says how to make one.
 */
export async function serveUi(app: FastifyInstance, dir = uiDist): Promise<void> {
  if (!existsSync(resolve(dir, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html')
        .send(
          '<p>The UI is not built. Run <code>pnpm --filter @vitrina/ui build</code>, or start with <code>pnpm vitrina dev</code>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, { root: dir, wildcard: false });
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/api/')) {
      return reply
        .code(404)
        .send({ error: 'not_found', message: `no route ${request.method} ${request.url}` });
    }
    return reply.sendFile('index.html');
  });
}
