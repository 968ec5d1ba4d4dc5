import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { uiDist } from '../../api/ui.ts';
import type { Workspace } from '../../workspace.ts';
import { serveCommand } from './serve.ts';

const uiRoot = resolve(uiDist, '..');

/** The newest modification time of the UI's sources. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Builds the UI when its sources are newer than the build, then serves API, UI and scheduler together. */
export async function devCommand(workspace: Workspace): Promise<number> {
  const built = join(uiDist, 'index.html');
  if (!existsSync(built) || statSync(built).mtimeMs < newestSource(join(uiRoot, 'src'))) {
    console.log('building the UI…');
    const result = spawnSync('pnpm', ['--filter', '@vitrina/ui', 'build'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('the UI build failed (see above)');
  }
  return serveCommand(workspace);
}
