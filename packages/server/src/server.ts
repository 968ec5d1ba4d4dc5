import { ConfigError, parseEnv, RunLauncher, Scheduler } from '@vitrina/core';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { buildApi } from './api/app.ts';
import { serveUi } from './api/ui.ts';
import type { Workspace } from './workspace.ts';

export const serverConfigSchema = z.object({
  VITRINA_HOST: z.string().min(1).default('127.0.0.1'),
  VITRINA_PORT: z.coerce.number().int().min(0).max(65_535).default(3030),
  VITRINA_API_TOKEN: z.string().min(16, 'use at least 16 characters').optional(),
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

export interface RunningServer {
  app: FastifyInstance;
  url: string;
  close: () => Promise<void>;
}

/**
 * Starts the HTTP API. It listens on loopback unless told otherwise, and refuses a non-loopback
 * address without VITRINA_API_TOKEN: mutating routes would be open to the network.
 */
export async function startServer(
  workspace: Workspace,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RunningServer> {
  const config = parseEnv(serverConfigSchema, env);
  if (!loopback.has(config.VITRINA_HOST) && !config.VITRINA_API_TOKEN) {
    throw new ConfigError(
      `VITRINA_HOST: ${config.VITRINA_HOST} is not a loopback address; set VITRINA_API_TOKEN to expose the API`,
    );
  }
  const launcher = newLauncher(workspace);
  const app = await buildApi({ workspace, launcher, token: config.VITRINA_API_TOKEN });
  await serveUi(app);
  const scheduler =
    config.VITRINA_SCHEDULER === 'on'
      ? startScheduler(workspace, launcher, config.VITRINA_SCHEDULER_INTERVAL_SECONDS)
      : null;
  const address = await app.listen({ host: config.VITRINA_HOST, port: config.VITRINA_PORT });
  return {
    app,
    url: address,
    close: async () => {
      await scheduler?.stop();
      await app.close();
      await launcher.close();
    },
  };
}
