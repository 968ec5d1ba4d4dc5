import { startServer } from '../../server.ts';
import type { Workspace } from '../../workspace.ts';
import { colour } from '../format.ts';

/** Serves the HTTP API until interrupted. */
export async function serveCommand(workspace: Workspace): Promise<number> {
  const server = await startServer(workspace);
  console.log(
    `${colour.bold('vitrina')} on ${server.url} (UI at /, OpenAPI at /api/openapi.json) — Ctrl-C stops it`,
  );
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  console.log('stopping: cancelling running runs…');
  await server.close();
  return 0;
}
