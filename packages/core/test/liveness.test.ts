import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssetGraph,
  defineAsset,
  execute,
  planRerun,
  planRun,
  RunStorage,
  recoverDeadRuns,
  STALE_AFTER_MS,
} from '../src/index.ts';
import { tempDatabase } from '../src/testing/index.ts';

type Storage = {
  kind: 'pglite' | 'postgres';
  env: Record<string, string>;
  open: () => Promise<RunStorage>;
  dispose: () => Promise<void>;
};

async function storageFor(kind: Storage['kind']): Promise<Storage> {
  const home = mkdtempSync(join(tmpdir(), 'vitrina-liveness-'));
  if (kind === 'pglite') {
    return {
      kind,
      env: { VITRINA_HOME: home },
      open: () => RunStorage.open({ home }),
      dispose: async () => rmSync(home, { recursive: true, force: true }),
    };
  }
  const database = await tempDatabase('vitrina_liveness');
  return {
    kind,
    env: { VITRINA_HOME: home, VITRINA_DATABASE_URL: database.url },
    open: () => RunStorage.open({ databaseUrl: database.url, home }),
    dispose: async () => {
      await database.drop();
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** Starts the dying-run fixture, waits until its first step is materialising, and kills it with SIGKILL. */
async function killMidRun(env: Record<string, string>): Promise<string> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'fixtures/dyingRun.ts')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let runId = '';
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for await (const line of createInterface({ input: child.stdout! })) {
    if (line.startsWith('recorded ')) runId = line.slice('recorded '.length);
    if (line === 'materialising') break;
  }
  // Let the write buffer store the running step (it flushes every 25 ms).
  await new Promise((resolve) => setTimeout(resolve, 300));
  child.kill('SIGKILL');
  await exited;
  return runId;
}

describe.each(['pglite', 'postgres'] as const)('run liveness with %s run storage', (kind) => {
  let store: Storage;
  beforeAll(async () => {
    store = await storageFor(kind);
  });
  afterAll(async () => store?.dispose());

  it('ends a run whose process was killed, so its steps and partitions say so and it can be re-run', async () => {
    const runId = await killMidRun(store.env);
    expect(runId).not.toBe('');
    const storage = await store.open();
    try {
      expect((await storage.getRun(runId))?.status).toBe('running');
      const ended = await recoverDeadRuns(storage);
      expect(ended.map((run) => run.runId)).toEqual([runId]);
      const run = await storage.getRun(runId);
      expect(run).toMatchObject({ status: 'failed' });
      expect(run?.error).toMatch(/^process died: process \d+ on .+ is gone \(last heartbeat 20/);
      expect(run?.finishedAt).not.toBeNull();
      const steps = Object.fromEntries((await storage.listSteps(runId)).map((s) => [s.assetKey, s]));
      expect(steps['dying.stuck']).toMatchObject({ status: 'failed', error: run?.error });
      expect(steps['dying.after']?.status).toBe('cancelled');
      const [partition] = await storage.assetPartitions(['dying.stuck']);
      expect(partition).toMatchObject({ status: 'failed', runId, failure: run?.error });
      const events = await storage.listEvents(runId);
      expect(events.at(-1)).toMatchObject({
        type: 'run_finished',
        data: { status: 'failed', failed: 1, cancelled: 1 },
      });
      expect(new Set(events.map((e) => e.seq)).size).toBe(events.length);
      expect(await storage.db.selectFrom('leases').selectAll().execute()).toEqual([]);
      // A second look finds nothing more to end, and the run can be re-run at once.
      expect(await recoverDeadRuns(storage)).toEqual([]);
      const graph = new AssetGraph<null>([
        defineAsset<null>({
          key: 'dying.stuck',
          description: 'a test asset',
          group: 'dying',
          storage: 'postgres',
          materialize: async () => ({}),
        }),
        defineAsset<null>({
          key: 'dying.after',
          description: 'a test asset',
          group: 'dying',
          storage: 'postgres',
          deps: ['dying.stuck'],
          materialize: async () => ({}),
        }),
      ]);
      const { plan } = await planRerun(graph, storage, runId);
      expect(plan.steps.map((s) => s.assetKey).sort()).toEqual(['dying.after', 'dying.stuck']);
    } finally {
      await storage.close();
    }
  }, 60_000);

  it('leaves a live run alone, and ends one on another host only after its heartbeat goes stale', async () => {
    const storage = await store.open();
    try {
      const base = {
        trigger: 'manual',
        selection: '*',
        partitionFrom: null,
        partitionTo: null,
        force: false,
        parentRunId: null,
        stepCount: 0,
        finishedAt: null,
        error: null,
      } as const;
      const now = new Date();
      const recent = new Date(now.getTime() - STALE_AFTER_MS / 2);
      const old = new Date(now.getTime() - STALE_AFTER_MS * 2);
      await storage.createRun(
        {
          ...base,
          id: 'other-host-live',
          status: 'running',
          createdAt: old,
          host: 'elsewhere',
          pid: 1,
          heartbeatAt: recent,
        },
        [],
      );
      await storage.createRun(
        {
          ...base,
          id: 'other-host-silent',
          status: 'running',
          createdAt: old,
          host: 'elsewhere',
          pid: 1,
          heartbeatAt: old,
        },
        [],
      );
      await storage.createRun(
        {
          ...base,
          id: 'this-process',
          status: 'running',
          createdAt: now,
          host: null,
          pid: null,
          heartbeatAt: now,
        },
        [],
      );
      // A live process of this machine that missed its beats (a blocked event loop) is left alone.
      await storage.createRun(
        {
          ...base,
          id: 'this-host-live-silent',
          status: 'running',
          createdAt: old,
          host: hostname(),
          pid: process.pid,
          heartbeatAt: old,
        },
        [],
      );
      const ended = await recoverDeadRuns(storage, { now });
      expect(ended.map((run) => run.runId)).toEqual(['other-host-silent']);
      expect((await storage.getRun('other-host-silent'))?.error).toMatch(
        /process 1 on elsewhere has not beaten for 120 s/,
      );
      expect((await storage.getRun('other-host-live'))?.status).toBe('running');
      expect((await storage.getRun('this-host-live-silent'))?.status).toBe('running');
    } finally {
      await storage.close();
    }
  });

  it('lets one run at a time materialise a partition: the second waits, then skips what the first did', async () => {
    const storage = await store.open();
    const intervals: Array<[number, number]> = [];
    const graph = new AssetGraph<null>([
      defineAsset<null>({
        key: 'shared.table',
        description: 'a test asset',
        group: 'shared',
        storage: 'postgres',
        materialize: async () => {
          const started = Date.now();
          await new Promise((resolve) => setTimeout(resolve, 400));
          intervals.push([started, Date.now()]);
          return { rows: 7 };
        },
      }),
    ]);
    try {
      const plan = await planRun(graph, storage, { selection: 'shared.*' });
      const go = () => execute({ graph, plan, storage, resources: null, pools: {}, maxParallel: 2 });
      const first = go();
      await new Promise((resolve) => setTimeout(resolve, 100));
      const [a, b] = await Promise.all([first, go()]);
      expect([a.run.status, b.run.status]).toEqual(['success', 'success']);
      expect(intervals).toHaveLength(1);
      const events = await storage.listEvents(b.run.id);
      const logs = events.filter((e) => e.type === 'log').map((e) => e.message);
      expect(logs).toEqual([
        `waiting: run ${a.run.id.slice(0, 8)} is materialising shared.table`,
        `skipped: run ${a.run.id.slice(0, 8)} materialised it from the same inputs`,
      ]);
      expect(b.steps[0]?.rowCount).toBe(7);
      expect(await storage.db.selectFrom('leases').selectAll().execute()).toEqual([]);
    } finally {
      await storage.close();
    }
  });

  it('records a run whose error carries NUL bytes and unpaired surrogates', async () => {
    const storage = await store.open();
    const graph = new AssetGraph<null>([
      defineAsset<null>({
        key: 'bytes.bad',
        description: 'a test asset',
        group: 'bytes',
        storage: 'postgres',
        materialize: async ({ log }) => {
          log('partner said a\u0000b');
          throw new Error('answer was "x\u0000y\uD800"');
        },
      }),
    ]);
    try {
      const plan = await planRun(graph, storage, { selection: 'bytes.*' });
      const { run } = await execute({ graph, plan, storage, resources: null, pools: {}, maxParallel: 1 });
      expect((await storage.getRun(run.id))?.status).toBe('failed');
      const [step] = await storage.listSteps(run.id);
      expect(step?.error).toBe('answer was "x\\x00y\\uD800"');
      const events = await storage.listEvents(run.id);
      expect(events.find((e) => e.type === 'log')?.message).toBe('partner said a\\x00b');
    } finally {
      await storage.close();
    }
  });
});
