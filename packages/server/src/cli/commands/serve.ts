import { type RunningServer, startServer } from '../../server.ts';
import type { Workspace } from '../../workspace.ts';
import { colour } from '../format.ts';
import { handleShutdown } from '../shutdown.ts';

/** Serves the HTTP API until interrupted. */
export async function serveCommand(workspace: Workspace): Promise<number> {
  const server = await startServer(workspace);
  for (const line of startupLines(server)) console.log(line);
  const stopped = new Promise<void>((resolve) => {
    const shutdown = handleShutdown({
      storage: workspace.storage,
      runIds: () => server.launcher.activeRunIds(),
      stop: async () => {
        console.log('stopping: cancelling running runs…');
        await server.close();
        shutdown.dispose();
        resolve();
      },
    });
  });
  await stopped;
  return 0;
}

/** What the person who started the server needs: where it listens, the token, the UI's address. */
export function startupLines(server: RunningServer): string[] {
  const { token, source, file } = server.token;
  const shown = source === 'env' ? '$VITRINA_API_TOKEN' : token;
  return [
    `${colour.bold('vitrina')} listening on ${server.address} (UI at /, OpenAPI at /api/openapi.json) — Ctrl-C stops it`,
    source === 'env'
      ? 'API token: VITRINA_API_TOKEN (send Authorization: Bearer <token>)'
      : `API token: ${token} (${source === 'generated' ? 'new, saved in' : 'from'} ${file}; send Authorization: Bearer <token>)`,
    `UI: ${server.exposed ? `${server.url}/?token=${shown}` : server.url}`,
  ];
}
