import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((entry) => newest(join(path, entry))));
}

/**
 * The end-to-end tests drive the built UI, as the server serves it. Under turbo the package's build
 * runs first; run directly (`pnpm --filter @vitrina/ui test`), a missing or stale build is redone here.
 */
export function ensureBuilt(): void {
  const built = join(root, 'dist/index.html');
  const sources = Math.max(
    newest(join(root, 'src')),
    newest(join(root, 'index.html')),
    newest(join(root, 'vite.config.ts')),
  );
  if (existsSync(built) && statSync(built).mtimeMs >= sources) return;
  const result = spawnSync('pnpm', ['exec', 'vite', 'build', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (result.status !== 0) throw new Error('the UI build failed (see above)');
}
