import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssetGraph,
  type AssetSpec,
  defineAsset,
  execute,
  newRunId,
  planRerun,
  planRun,
  type RunEvent,
  RunEventBus,
} from '../src/index.ts';
import { openTestStorage, storageKinds, type TestStorage, tempDatabase } from '../src/testing/index.ts';

/**
 * The executor against real PostgreSQL: every test asset does its work in a database and logs
 * when it ran into `work.log`, so concurrency is measured from the recorded intervals.
 */
interface Resources {
  db: pg.Pool;
  url: string;
  /** Asset keys that fail on purpose until removed. */
  broken: Set<string>;
}

async function logRun(
  db: pg.Pool,
  key: string,
  partition: string,
  runId: string,
  work: () => Promise<unknown>,
) {
  const started = Date.now();
  await work();
  await db.query(
    'insert into work.log (asset, partition, run_id, started_ms, finished_ms) values ($1, $2, $3, $4, $5)',
    [key, partition, runId, started, Date.now()],
  );
}

const sleepInDb =
  (seconds: number): AssetSpec<Resources>['materialize'] =>
  async ({ resources, key, partition, runId }) => {
    await logRun(resources.db, key, partition, runId, () =>
      resources.db.query('select pg_sleep($1)', [seconds]),
    );
    return { rows: 1 };
  };

const unless =
  (key: string): AssetSpec<Resources>['materialize'] =>
  async ({ resources, partition, runId }) => {
    if (resources.broken.has(key)) throw new Error(`${key} is broken`);
    await logRun(resources.db, key, partition, runId, async () => {});
    return { rows: 1 };
  };

const a = (key: string, spec: Partial<AssetSpec<Resources>>) =>
  defineAsset<Resources>({
    key,
    description: key,
    group: key.split('.')[0]!,
    storage: 'postgres',
    materialize: unless(key),
    ...spec,
  });

const graph = new AssetGraph<Resources>([
  ...[1, 2, 3, 4, 5, 6].map((n) => a(`narrow.a${n}`, { pool: 'narrow', materialize: sleepInDb(0.1) })),
  ...[1, 2, 3, 4, 5, 6, 7, 8].map((n) => a(`wide.a${n}`, { materialize: sleepInDb(0.1) })),
  a('flaky.connect', {
    retry: { maxRetries: 3, initialDelayMs: 20, factor: 2 },
    materialize: async ({ attempt, resources }) => {
      // Two attempts reach a port where nothing listens: a real ECONNREFUSED.
      const url = attempt < 3 ? 'postgres://postgres@127.0.0.1:1/none' : resources.url;
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.end();
      return { rows: attempt };
    },
  }),
  a('bad.data', {
    retry: { maxRetries: 3, initialDelayMs: 20 },
    materialize: async ({ resources }) => {
      await resources.db.query('select 1 / 0');
      return {};
    },
  }),
  a('slow.timeout', { timeoutMs: 100, materialize: sleepInDb(2) }),
  a('chk.source', {}),
  a('chk.checked', {
    deps: ['chk.source'],
    checks: [
      {
        name: 'rows_positive',
        severity: 'error',
        run: async ({ resources }) => ({
          passed: !resources.broken.has('chk.checked.check'),
          message: 'no rows',
        }),
      },
      { name: 'looks_odd', severity: 'warn', run: async () => ({ passed: false, message: 'odd but fine' }) },
    ],
  }),
  a('chk.down1', { deps: ['chk.checked'] }),
  a('chk.down2', { deps: ['chk.down1'] }),
  a('chk.warned', {
    deps: ['chk.source'],
    checks: [{ name: 'always_warns', severity: 'warn', run: async () => ({ passed: false }) }],
  }),
  a('cancel.a', { materialize: sleepInDb(1) }),
  a('cancel.b', { deps: ['cancel.a'] }),
  a('rr.a', {}),
  a('rr.b', { deps: ['rr.a'] }),
  a('rr.c', { deps: ['rr.b'] }),
  a('rr.d', { deps: ['rr.a'] }),
]);

/** The largest number of intervals open at one moment. */
function maxOverlap(intervals: Array<{ started_ms: string; finished_ms: string }>): number {
  const points = intervals.flatMap((i) => [
    { at: Number(i.started_ms), delta: 1 },
    { at: Number(i.finished_ms), delta: -1 },
  ]);
  points.sort((x, y) => x.at - y.at || x.delta - y.delta);
  let open = 0;
  let max = 0;
  for (const point of points) {
    open += point.delta;
    max = Math.max(max, open);
  }
  return max;
}

describe.each(storageKinds)('executor with %s run storage', (kind) => {
  let test: TestStorage;
  let work: { url: string; drop: () => Promise<void> };
  let resources: Resources;

  beforeAll(async () => {
    test = await openTestStorage(kind);
    work = await tempDatabase('vitrina_work');
    const db = new pg.Pool({ connectionString: work.url, max: 12 });
    await db.query(
      'create schema work; create table work.log (asset text, partition text, run_id text, started_ms bigint, finished_ms bigint)',
    );
    resources = { db, url: work.url, broken: new Set() };
  });
  afterAll(async () => {
    await resources?.db.end();
    await test?.dispose();
    await work?.drop();
  });

  async function run(
    selection: string,
    options: {
      maxParallel?: number;
      signal?: AbortSignal;
      plan?: Awaited<ReturnType<typeof planRun>>;
      parentRunId?: string;
    } = {},
  ) {
    const plan = options.plan ?? (await planRun(graph, test.storage, { selection, force: true }));
    const bus = new RunEventBus();
    const events: RunEvent[] = [];
    const runId = newRunId();
    bus.subscribe(runId, (event) => events.push(event));
    const outcome = await execute({
      graph,
      plan,
      storage: test.storage,
      resources,
      pools: { narrow: 2 },
      maxParallel: options.maxParallel ?? 16,
      runId,
      bus,
      signal: options.signal,
      parentRunId: options.parentRunId ?? null,
    });
    const step = (key: string) => outcome.steps.find((s) => s.assetKey === key)!;
    return { ...outcome, events, step };
  }

  const intervals = async (runId: string, prefix: string) =>
    (
      await resources.db.query<{ started_ms: string; finished_ms: string }>(
        'select started_ms, finished_ms from work.log where run_id = $1 and asset like $2',
        [runId, `${prefix}%`],
      )
    ).rows;

  it('keeps a named pool within its size', async () => {
    const { run: r } = await run('narrow.*');
    expect(r.status).toBe('success');
    const ran = await intervals(r.id, 'narrow.');
    expect(ran).toHaveLength(6);
    expect(maxOverlap(ran)).toBe(2);
  });

  it('keeps the whole run within the global cap', async () => {
    const { run: r } = await run('wide.*', { maxParallel: 3 });
    const ran = await intervals(r.id, 'wide.');
    expect(ran).toHaveLength(8);
    expect(maxOverlap(ran)).toBe(3);
  });

  it('retries a refused connection with exponential backoff, then succeeds', async () => {
    const { step, events } = await run('flaky.connect');
    expect(step('flaky.connect')).toMatchObject({ status: 'success', attempts: 3, rowCount: 3 });
    const retries = events.filter((e) => e.type === 'step_retry');
    expect(retries.map((e) => e.data.delayMs)).toEqual([20, 40]);
    expect(String(retries[0]!.data.error)).toMatch(/ECONNREFUSED/);
  });

  it('does not retry a data error', async () => {
    const { step, events, run: r } = await run('bad.data');
    expect(r.status).toBe('failed');
    expect(step('bad.data')).toMatchObject({ status: 'failed', attempts: 1, error: 'division by zero' });
    expect(events.some((e) => e.type === 'step_retry')).toBe(false);
  });

  it('fails a step that runs past its timeout', async () => {
    const started = Date.now();
    const { step } = await run('slow.timeout');
    expect(step('slow.timeout')).toMatchObject({ status: 'failed', error: 'timed out after 100 ms' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  it('fails an asset whose error check fails and blocks everything downstream, naming the check', async () => {
    resources.broken.add('chk.checked.check');
    try {
      const { run: r, step, events } = await run('chk.*');
      expect(r.status).toBe('failed');
      expect(step('chk.source').status).toBe('success');
      expect(step('chk.checked')).toMatchObject({
        status: 'failed',
        error: 'check rows_positive failed: no rows',
      });
      for (const key of ['chk.down1', 'chk.down2']) {
        expect(step(key).status).toBe('blocked');
        expect(step(key).error).toContain('check rows_positive failed');
      }
      expect(step('chk.warned').status).toBe('success');
      expect((await intervals(r.id, 'chk.down')).length).toBe(0);
      const checks = await test.storage.checkResults({ runId: r.id });
      expect(checks.map((c) => `${c.assetKey}:${c.checkName}:${c.passed}`).sort()).toEqual([
        'chk.checked:looks_odd:false',
        'chk.checked:rows_positive:false',
        'chk.warned:always_warns:false',
      ]);
      expect(events.filter((e) => e.type === 'step_blocked')).toHaveLength(2);
      const state = await test.storage.assetPartitions(['chk.checked']);
      expect(state[0]).toMatchObject({ status: 'failed', failure: 'check rows_positive failed: no rows' });
    } finally {
      resources.broken.delete('chk.checked.check');
    }
  });

  it('cancels a running step and everything queued when the signal aborts', async () => {
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error('stop')), 150);
    const started = Date.now();
    const { run: r, step } = await run('cancel.*', { signal: abort.signal });
    expect(Date.now() - started).toBeLessThan(900);
    expect(r.status).toBe('cancelled');
    expect(step('cancel.a').status).toBe('cancelled');
    expect(step('cancel.b').status).toBe('cancelled');
    expect((await test.storage.getRun(r.id))?.status).toBe('cancelled');
  });

  it('re-runs only what did not succeed', async () => {
    resources.broken.add('rr.b');
    const first = await run('rr.*');
    expect(first.run.status).toBe('failed');
    expect(first.steps.map((s) => `${s.assetKey}:${s.status}`).sort()).toEqual([
      'rr.a:success',
      'rr.b:failed',
      'rr.c:blocked',
      'rr.d:success',
    ]);
    resources.broken.delete('rr.b');
    const { parent, plan } = await planRerun(graph, test.storage, first.run.id.slice(0, 8));
    expect(parent.id).toBe(first.run.id);
    const second = await run('rr.*', { plan, parentRunId: parent.id });
    expect(second.run.status).toBe('success');
    expect(second.steps.map((s) => s.assetKey)).toEqual(['rr.b', 'rr.c']);
    const ran = await resources.db.query<{ asset: string }>(
      'select asset from work.log where run_id = $1 order by asset',
      [second.run.id],
    );
    expect(ran.rows.map((row) => row.asset)).toEqual(['rr.b', 'rr.c']);
    expect((await test.storage.getRun(second.run.id))?.parentRunId).toBe(first.run.id);
    // rr.c consumed the new rr.b, so a normal plan now finds nothing stale.
    expect((await planRun(graph, test.storage, { selection: 'rr.*' })).steps).toEqual([]);
  });

  it('emits events in order, live and stored alike', async () => {
    const { run: r, events } = await run('chk.source+');
    const stored = await test.storage.listEvents(r.id);
    expect(stored.map((e) => [e.seq, e.type, e.assetKey])).toEqual(
      events.map((e) => [e.seq, e.type, e.assetKey]),
    );
    expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
    expect(events[0]!.type).toBe('run_started');
    expect(events.at(-1)!.type).toBe('run_finished');
    const order = (key: string) => events.filter((e) => e.assetKey === key).map((e) => e.type);
    expect(order('chk.checked')).toEqual([
      'step_queued',
      'step_started',
      'materialized',
      'check_result',
      'check_result',
      'step_succeeded',
    ]);
    // A downstream step starts only after its upstream succeeded.
    const seqOf = (type: string, key: string) =>
      events.find((e) => e.type === type && e.assetKey === key)!.seq;
    expect(seqOf('step_started', 'chk.down1')).toBeGreaterThan(seqOf('step_succeeded', 'chk.checked'));
  });
});
