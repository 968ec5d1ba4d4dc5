import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { isProcessAlive } from '../storage/processes.ts';
import { RunStorage, type StorageKind } from '../storage/runStorage.ts';

/** The server the test suite uses; `scripts/services.sh env` exports it. */
export const testPostgresUrl =
  process.env.VITRINA_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh, uniquely named database on the test server, dropped by `drop()`. */
export async function tempDatabase(
  prefix = 'vitrina_test',
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `${prefix}_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const url = new URL(testPostgresUrl);
  url.pathname = `/${name}`;
  const admin = new pg.Client({ connectionString: testPostgresUrl });
  await admin.connect();
  try {
    await sweepLeftovers(admin, prefix);
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  return {
    url: url.toString(),
    drop: () => dropDatabase(name),
  };
}

/**
 * Drops a test database without failing on a loaded machine: it waits a bounded time for its own
 * clients to go, forces the rest off, and never waits longer than a few seconds on a lock another
 * program holds (e.g. a `create database` copying template1); after the last try it warns and
 * leaves the database, which the next run's sweep removes.
 */
async function dropDatabase(name: string): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const admin = new pg.Client({ connectionString: testPostgresUrl, connectionTimeoutMillis: 10_000 });
    try {
      await admin.connect();
      await admin.query("set lock_timeout = '3s'");
      // Give clients that are closing a moment to go, so forcing the drop does not kill them mid-goodbye.
      for (let i = 0; i < 40; i++) {
        const { rows } = await admin.query<{ n: number }>(
          'select count(*)::int as n from pg_stat_activity where datname = $1',
          [name],
        );
        if (rows[0]?.n === 0) break;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      await admin.query(`drop database if exists ${name} with (force)`);
      return;
    } catch (error) {
      if (attempt >= 5) {
        console.warn(
          `warning: could not drop test database ${name} (${(error as Error).message}); left for the next sweep`,
        );
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
    } finally {
      await admin.end().catch(() => {});
    }
  }
}

/** Drops test databases left by test processes that are gone (killed, or a drop that gave up). */
async function sweepLeftovers(admin: pg.Client, prefix: string): Promise<void> {
  const { rows } = await admin.query<{ datname: string }>(
    "select datname from pg_database where datname like $1 || '\\_%'",
    [prefix],
  );
  for (const { datname } of rows) {
    const pid = Number(datname.slice(prefix.length + 1).split('_')[0]);
    if (pid && pid !== process.pid && !isProcessAlive(pid)) await dropDatabase(datname);
  }
}

export interface TestStorage {
  storage: RunStorage;
  /** Closes the storage and deletes what it stored. */
  dispose: () => Promise<void>;
}

/** Opens an empty run storage of the given kind: PGlite in a temp folder, or a temp PostgreSQL database. */
export async function openTestStorage(kind: StorageKind): Promise<TestStorage> {
  if (kind === 'pglite') {
    const home = mkdtempSync(join(tmpdir(), 'vitrina-pglite-'));
    const storage = await RunStorage.open({ home });
    return {
      storage,
      dispose: async () => {
        await storage.close();
        rmSync(home, { recursive: true, force: true });
      },
    };
  }
  const database = await tempDatabase('vitrina_runs');
  const storage = await RunStorage.open({ databaseUrl: database.url, home: tmpdir() });
  return {
    storage,
    dispose: async () => {
      await storage.close();
      await database.drop();
    },
  };
}

export const storageKinds: StorageKind[] = ['pglite', 'postgres'];

/**
 * How the browser tests and benchmarks start Debian's Chromium through playwright-core: headless,
 * no sandbox (root in CI), no GPU, nothing fetched in the background.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  headless: true,
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
