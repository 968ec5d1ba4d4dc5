import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { tokenCookie } from './guard.ts';

/** Where `pnpm --filter @vitrina/ui build` puts the UI. */
export const uiDist = resolve(import.meta.dirname, '../../../ui/dist');

export interface UiOptions {
  /**
   * Handed to the UI in an HttpOnly, SameSite=Strict cookie with its index page. Bound beyond
   * loopback, the guard lets the page reach only a browser that already showed the token.
   */
  token: string;
  dir?: string;
}

/**
 * Serves the built UI at `/`, with every non-API path falling back to index.html so the UI's own
 * routes survive a reload. Without a build, `/` says how to make one.
 */
export async function serveUi(app: FastifyInstance, options: UiOptions): Promise<void> {
  const dir = options.dir ?? uiDist;
  const cookie = tokenCookie(options.token);
  if (!existsSync(resolve(dir, 'index.html'))) {
    app.get('/', { schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/html')
        .send(
          '<p>The UI is not built. Run <code>pnpm --filter @vitrina/ui build</code>, or start with <code>vitrina dev</code>.</p>',
        ),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root: dir,
    wildcard: false,
    setHeaders: (reply, path) => {
      if (resolve(path) !== resolve(dir, 'index.html')) return;
      reply.header('set-cookie', cookie);
      reply.header('cache-control', 'no-store');
    },
  });
  app.setNotFoundHandler(async (request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/api/')) {
      return reply
        .code(404)
        .send({ error: 'not_found', message: `no route ${request.method} ${request.url}` });
    }
    return reply.sendFile('index.html');
  });
}
