import { parseEnv } from '@vitrina/core';
import { newLauncher, serverConfigSchema, startScheduler } from '../../server.ts';
import type { Workspace } from '../../workspace.ts';
import { colour } from '../format.ts';
import { handleShutdown } from '../shutdown.ts';

/** Runs the scheduler alone (no HTTP API) until interrupted. */
export async function daemonCommand(workspace: Workspace): Promise<number> {
  const config = parseEnv(serverConfigSchema);
  const launcher = newLauncher(workspace);
  const scheduler = startScheduler(workspace, launcher, config.VITRINA_SCHEDULER_INTERVAL_SECONDS);
  const schedules =
    workspace.location.schedules.map((s) => `${s.name} (${s.cron} ${s.timezone})`).join(', ') || 'none';
  console.log(
    `${colour.bold('vitrina daemon')}: schedules ${schedules}; freshness policies every ${config.VITRINA_SCHEDULER_INTERVAL_SECONDS}s — Ctrl-C stops it`,
  );
  await new Promise<void>((resolve) => {
    const shutdown = handleShutdown({
      storage: workspace.storage,
      runIds: () => launcher.activeRunIds(),
      stop: async () => {
        await scheduler.stop();
        await launcher.close();
        shutdown.dispose();
        resolve();
      },
    });
  });
  return 0;
}
