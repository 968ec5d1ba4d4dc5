import type { AddressInfo } from 'node:net';
import { networkInterfaces } from 'node:os';
import { ConfigError, parseEnv, RunLauncher, Scheduler } from '@vitrina/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { buildApi } from './api/app.ts';
import { normaliseHosts } from './api/guard.ts';
import { type ApiToken, resolveApiToken } from './api/token.ts';
import { serveUi } from './api/ui.ts';
import type { Workspace } from './workspace.ts';

export const serverConfigSchema = z.object({
  VITRINA_HOST: z.string().min(1).default('127.0.0.1'),
  VITRINA_PORT: z.coerce.number().int().min(0).max(65_535).default(3030),
  VITRINA_API_TOKEN: z
    .string()
    .min(16, 'use at least 16 characters')
    .regex(/^[\x21-\x7e]+$/, 'use printable ASCII without spaces')
    .optional(),
  /** Host names besides loopback's (and the bound address) the server answers to, comma-separated. */
  VITRINA_ALLOWED_HOSTS: z
    .string()
    .default('')
    .transform((text, ctx) => {
      const names = text
        .split(',')
        .map((name) => name.trim())
        .filter(Boolean);
      const bad = names.find((name) => normaliseHosts([name]).size === 0);
      if (bad !== undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `"${bad}" is not a host name (give names without port or scheme)`,
        });
        return z.NEVER;
      }
      return names;
    }),
  VITRINA_SCHEDULER: z.enum(['on', 'off']).default('on'),
  VITRINA_SCHEDULER_INTERVAL_SECONDS: z.coerce.number().int().min(1).max(3600).default(30),
});

/** The scheduler daemon over a launcher: the one in the server, or alone (`vitrina daemon`). */
export function startScheduler(
  workspace: Workspace,
  launcher: RunLauncher,
  intervalSeconds: number,
): Scheduler {
  const scheduler = new Scheduler({
    location: workspace.location,
    storage: workspace.storage,
    launcher,
    leadership: workspace.storage.leadership('scheduler'),
    intervalMs: intervalSeconds * 1000,
  });
  scheduler.start();
  return scheduler;
}

export function newLauncher(workspace: Workspace): RunLauncher {
  return new RunLauncher({
    location: workspace.location,
    storage: workspace.storage,
    pools: workspace.pools,
    maxParallel: workspace.config.maxParallel,
  });
}

const loopback = new Set(['127.0.0.1', '::1', 'localhost']);
const wildcard = new Set(['0.0.0.0', '::']);

export interface RunningServer {
  app: FastifyInstance;
  /** Where this machine reaches it: the bound address, or loopback when bound to every interface. */
  url: string;
  /** The address actually bound (`server.address()`), e.g. `http://0.0.0.0:3030`. */
  address: string;
  token: ApiToken;
  /** Bound beyond loopback: every route but /api/health needs the token. */
  exposed: boolean;
  /** Starts and tracks this server's runs (the API's and the scheduler's). */
  launcher: RunLauncher;
  close: () => Promise<void>;
}

const urlOf = (host: string, port: number) => `http://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** The names a server bound to `host` is reached by, besides loopback's and VITRINA_ALLOWED_HOSTS. */
function ownHosts(host: string): string[] {
  if (!wildcard.has(host)) return [host];
  return Object.values(networkInterfaces()).flatMap((entries) =>
    (entries ?? []).map((entry) => entry.address),
  );
}

/**
 * Starts the HTTP API. It listens on loopback unless told otherwise, and refuses a non-loopback
 * address without VITRINA_API_TOKEN: the token must then be one the operator chose and handed out.
 */
export async function startServer(
  workspace: Workspace,
  env: NodeJS.ProcessEnv = process.env,
  options: { uiDir?: string } = {},
): Promise<RunningServer> {
  const config = parseEnv(serverConfigSchema, env);
  const exposed = !loopback.has(config.VITRINA_HOST);
  if (exposed && !config.VITRINA_API_TOKEN) {
    throw new ConfigError(
      `VITRINA_HOST: ${config.VITRINA_HOST} is not a loopback address; set VITRINA_API_TOKEN to expose the API`,
    );
  }
  const token = resolveApiToken(workspace.config.home, config.VITRINA_API_TOKEN);
  const launcher = newLauncher(workspace);
  const app = await buildApi({
    workspace,
    launcher,
    token: token.token,
    exposed,
    allowedHosts: [...ownHosts(config.VITRINA_HOST), ...config.VITRINA_ALLOWED_HOSTS],
  });
  await serveUi(app, { token: token.token, ...(options.uiDir ? { dir: options.uiDir } : {}) });
  const scheduler =
    config.VITRINA_SCHEDULER === 'on'
      ? startScheduler(workspace, launcher, config.VITRINA_SCHEDULER_INTERVAL_SECONDS)
      : null;
  await app.listen({ host: config.VITRINA_HOST, port: config.VITRINA_PORT });
  const bound = app.server.address() as AddressInfo;
  const address = urlOf(bound.address, bound.port);
  return {
    app,
    url: wildcard.has(bound.address) ? urlOf('127.0.0.1', bound.port) : address,
    address,
    token,
    exposed,
    launcher,
    close: async () => {
      await scheduler?.stop();
      await app.close();
      await launcher.close();
    },
  };
}
