import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Location, poolSizes, type RunStorage } from '@vitrina/core';
import { chromiumLaunchOptions } from '@vitrina/core/testing';
import { startServer } from '@vitrina/server';
import { chromium, type Page } from 'playwright-core';

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

/**
 * The real server on a free loopback port with the scheduler off, serving the built UI for
 * `location` over `storage`: what the browser tests and the lineage benchmark open.
 */
export async function serveForBrowser(
  location: Location,
  storage: RunStorage,
  maxParallel = 4,
): Promise<Awaited<ReturnType<typeof startServer>>> {
  ensureBuilt();
  return startServer(
    {
      config: {
        databaseUrl: undefined,
        home: mkdtempSync(join(tmpdir(), 'vitrina-ui-home-')),
        definitions: '',
        maxParallel,
        pools: {},
      },
      location,
      pools: poolSizes(location, {}),
      storage,
      close: async () => {},
    },
    { VITRINA_HOST: '127.0.0.1', VITRINA_PORT: '0', VITRINA_SCHEDULER: 'off' },
  );
}

/**
 * Debian's Chromium with a fresh profile at 1440×900, the page the tests drive; `close` removes
 * the profile again.
 */
export async function openBrowserPage(): Promise<{ page: Page; close: () => Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'vitrina-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    ...chromiumLaunchOptions,
    viewport: { width: 1440, height: 900 },
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(20_000);
  return {
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** VITRINA_SCREENSHOTS=1: the committed docs/screenshots/ (refreshed); otherwise a temporary folder. */
export function screenshotFolder(): { path: string; done: () => void } {
  if (process.env.VITRINA_SCREENSHOTS === '1') {
    const path = resolve(root, '../../docs/screenshots');
    mkdirSync(path, { recursive: true });
    return { path, done: () => {} };
  }
  const path = mkdtempSync(join(tmpdir(), 'vitrina-screenshots-'));
  return { path, done: () => rmSync(path, { recursive: true, force: true }) };
}

/** Where a point of the lineage's plane is on the page, from the canvas's box and its current view. */
export async function lineagePointOnPage(
  page: Page,
  x: number,
  y: number,
): Promise<{ x: number; y: number; k: number }> {
  const canvas = page.getByTestId('lineage-canvas');
  const box = (await canvas.boundingBox())!;
  const [vx, vy, k] = (await canvas.getAttribute('data-view'))!.split(' ').map(Number) as [
    number,
    number,
    number,
  ];
  return { x: box.x + vx + x * k, y: box.y + vy + y * k, k };
}
