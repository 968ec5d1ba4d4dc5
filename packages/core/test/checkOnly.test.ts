import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AssetGraph,
  type AssetSpec,
  defineAsset,
  endRun,
  execute,
  type Metadata,
  newRunId,
  type Plan,
  planChecks,
  planRerun,
  planRun,
  type RunEvent,
  RunEventBus,
  type RunTrigger,
} from '../src/index.ts';
import { openTestStorage, storageKinds, type TestStorage } from '../src/testing/index.ts';
import { days } from './helpers.ts';

/** Check-only runs (`vitrina test`): the checks of what is stored, and nothing written but their results. */
interface Resources {
  /** What the next materialisation of `t.daily` reports. */
  rows: number;
  failMaterialize: boolean;
  /** The error check passes from this many rows. */
  minRows: number;
  warnFails: boolean;
  /** What the checks were given, per asset partition. */
  seen: Array<{ key: string; partition: string; rows?: number; metadata?: Metadata; dataVersion?: string }>;
}

const checks: AssetSpec<Resources>['checks'] = [
  {
    name: 'enough_rows',
    severity: 'error',
    run: async ({ key, partition, resources, materialization }) => {
      resources.seen.push({ key, partition, ...materialization });
      const rows = materialization.rows ?? 0;
      return { passed: rows >= resources.minRows, message: `${rows} rows` };
    },
  },
  {
    name: 'looks_usual',
    severity: 'warn',
    run: async ({ resources }) => ({ passed: !resources.warnFails, message: 'unusual' }),
  },
];

const a = (key: string, spec: Partial<AssetSpec<Resources>>) =>
  defineAsset<Resources>({
    key,
    description: key,
    group: 't',
    storage: 'postgres',
    partitions: days,
    materialize: async ({ partition, resources }) => {
      if (resources.failMaterialize) throw new Error('the source is down');
      return {
        rows: resources.rows,
        metadata: { day: partition },
        dataVersion: `v${resources.rows}-${partition}`,
      };
    },
    ...spec,
  });

const graph = new AssetGraph<Resources>([
  a('t.daily', { checks }),
  a('t.down', { deps: ['t.daily'], checks }),
  a('t.unchecked', {}),
  a('t.never', { checks }),
  a('t.whole', { partitions: undefined, checks }),
]);

const range = { from: '2026-01-01', to: '2026-01-03' };

describe.each(storageKinds)('check-only runs with %s run storage', (kind) => {
  let test: TestStorage;
  const resources: Resources = { rows: 5, failMaterialize: false, minRows: 0, warnFails: false, seen: [] };

  async function run(plan: Plan, options: { trigger?: RunTrigger; parentRunId?: string } = {}) {
    const bus = new RunEventBus();
    const events: RunEvent[] = [];
    const runId = newRunId();
    bus.subscribe(runId, (event) => events.push(event));
    const outcome = await execute({
      graph,
      plan,
      storage: test.storage,
      resources,
      pools: {},
      maxParallel: 4,
      runId,
      bus,
      trigger: options.trigger,
      parentRunId: options.parentRunId ?? null,
    });
    const step = (key: string, partition = '') =>
      outcome.steps.find((s) => s.assetKey === key && s.partition === partition)!;
    return { ...outcome, events, step };
  }

  /** Everything a check-only run must leave as it was: the partitions' states, the history, the plan. */
  async function unchanged() {
    const keys = graph.order;
    const states = (await test.storage.assetPartitions(keys)).sort((x, y) =>
      `${x.assetKey}${x.partition}`.localeCompare(`${y.assetKey}${y.partition}`),
    );
    const history = await Promise.all(keys.map((key) => test.storage.materializations(key, { limit: 1000 })));
    const plan = await planRun(graph, test.storage, { selection: 't.*', ...range });
    return { states, materializations: history.flat().length, stale: plan.steps };
  }
  let before: Awaited<ReturnType<typeof unchanged>>;

  beforeAll(async () => {
    test = await openTestStorage(kind);
    const all = await planRun(graph, test.storage, {
      selection: 't.daily t.down t.unchecked t.whole',
      ...range,
    });
    expect((await run(all)).run.status).toBe('success');
    // The second day materialised again with more rows: its latest materialisation is what counts.
    resources.rows = 7;
    const again = await planRun(graph, test.storage, {
      selection: 't.daily',
      from: '2026-01-02',
      to: '2026-01-02',
      force: true,
    });
    expect((await run(again)).run.status).toBe('success');
    // A failed attempt on the third day leaves its earlier data in place, and that is what is tested.
    resources.failMaterialize = true;
    const failing = await planRun(graph, test.storage, {
      selection: 't.daily',
      from: '2026-01-03',
      to: '2026-01-03',
      force: true,
    });
    expect((await run(failing)).run.status).toBe('failed');
    resources.failMaterialize = false;
    before = await unchanged();
  });
  afterAll(async () => {
    await test?.dispose();
  });

  it("gives each check its partition's stored materialisation, and records a check-only run", async () => {
    resources.seen = [];
    const plan = await planChecks(graph, test.storage, { selection: 't.daily t.whole', ...range });
    expect(plan.steps.map((s) => `${s.assetKey}[${s.partition}]`)).toEqual([
      't.daily[2026-01-01]',
      't.daily[2026-01-02]',
      't.daily[2026-01-03]',
      't.whole[]',
    ]);
    const { run: r, events, step } = await run(plan);
    expect(r).toMatchObject({ status: 'success', trigger: 'checks' });
    expect(await test.storage.getRun(r.id)).toMatchObject({ status: 'success', trigger: 'checks' });
    const seen = (partition: string) => resources.seen.find((s) => s.partition === partition);
    expect(seen('2026-01-01')).toMatchObject({
      rows: 5,
      metadata: { day: '2026-01-01' },
      dataVersion: 'v5-2026-01-01',
    });
    expect(seen('2026-01-02')).toMatchObject({
      rows: 7,
      metadata: { day: '2026-01-02' },
      dataVersion: 'v7-2026-01-02',
    });
    expect(seen('2026-01-03')).toMatchObject({ rows: 5, dataVersion: 'v5-2026-01-03' });
    expect(step('t.daily', '2026-01-02')).toMatchObject({ status: 'success', rowCount: 7 });
    expect(events.some((e) => e.type === 'materialized')).toBe(false);
    expect(events.filter((e) => e.type === 'check_result')).toHaveLength(8);
    const results = await test.storage.checkResults({ runId: r.id });
    expect(results).toHaveLength(8);
    expect(await unchanged()).toEqual(before);
  });

  it('fails the step and the run on a failed error check, without blocking the other checks', async () => {
    resources.minRows = 6;
    try {
      const plan = await planChecks(graph, test.storage, { selection: 't.daily t.down', ...range });
      const { run: r, step } = await run(plan);
      expect(r.status).toBe('failed');
      expect(step('t.daily', '2026-01-01')).toMatchObject({
        status: 'failed',
        error: 'check enough_rows failed: 5 rows',
      });
      expect(step('t.daily', '2026-01-02').status).toBe('success');
      // Downstream data is already there: its checks run although an upstream one failed.
      expect(step('t.down', '2026-01-01')).toMatchObject({
        status: 'failed',
        error: 'check enough_rows failed: 5 rows',
      });
      const failed = await test.storage.checkResults({ runId: r.id, passed: false });
      expect(failed.map((c) => `${c.assetKey}[${c.partition}] ${c.checkName}`).sort()).toEqual([
        't.daily[2026-01-01] enough_rows',
        't.daily[2026-01-03] enough_rows',
        't.down[2026-01-01] enough_rows',
        't.down[2026-01-02] enough_rows',
        't.down[2026-01-03] enough_rows',
      ]);
      expect(await unchanged()).toEqual(before);

      // Re-running it checks again what failed, and still materialises nothing.
      resources.minRows = 0;
      const { parent, plan: rerun } = await planRerun(graph, test.storage, r.id);
      expect(rerun.mode).toBe('checks');
      const second = await run(rerun, { trigger: 'rerun', parentRunId: parent.id });
      expect(second.run).toMatchObject({ status: 'success', trigger: 'checks', parentRunId: r.id });
      expect(second.steps).toHaveLength(5);
      expect(await unchanged()).toEqual(before);
    } finally {
      resources.minRows = 0;
    }
  });

  it('records a failed warn check without failing the run', async () => {
    resources.warnFails = true;
    try {
      const plan = await planChecks(graph, test.storage, { selection: 't.daily', ...range });
      const { run: r } = await run(plan);
      expect(r.status).toBe('success');
      const failed = await test.storage.checkResults({ runId: r.id, passed: false });
      expect(failed).toHaveLength(3);
      expect(failed.every((c) => c.checkName === 'looks_usual' && c.severity === 'warn')).toBe(true);
      expect(await unchanged()).toEqual(before);
    } finally {
      resources.warnFails = false;
    }
  });

  it('has nothing to test where nothing was materialised or nothing is checked', async () => {
    const plan = await planChecks(graph, test.storage, { selection: 't.never t.unchecked', ...range });
    expect(plan.steps).toEqual([]);
    expect(plan.untested.map((u) => u.reason)).toEqual([
      't.unchecked has no checks',
      't.never was never materialised',
    ]);
    const elsewhere = await planChecks(graph, test.storage, {
      selection: 't.daily',
      from: '2026-01-05',
      to: '2026-01-05',
    });
    expect(elsewhere.steps).toEqual([]);
    expect(elsewhere.untested).toEqual([
      { key: 't.daily', reason: 't.daily was never materialised in 2026-01-05' },
    ]);
  });

  it('leaves the partitions alone when a dead check-only run is ended', async () => {
    const plan = await planChecks(graph, test.storage, { selection: 't.whole' });
    const id = newRunId();
    const now = new Date();
    await test.storage.createRun(
      {
        id,
        status: 'running',
        trigger: 'checks',
        selection: 't.whole',
        partitionFrom: null,
        partitionTo: null,
        force: false,
        parentRunId: null,
        stepCount: plan.steps.length,
        createdAt: now,
        finishedAt: null,
        error: null,
        host: 'elsewhere',
        pid: 1,
        heartbeatAt: now,
      },
      [
        {
          runId: id,
          assetKey: 't.whole',
          partition: '',
          status: 'running',
          reason: 'test',
          attempts: 1,
          startedAt: now,
          finishedAt: null,
          rowCount: null,
          error: null,
        },
      ],
    );
    await endRun(test.storage, { id }, { status: 'failed', why: 'process died' });
    expect((await test.storage.listSteps(id))[0]).toMatchObject({ status: 'failed', error: 'process died' });
    expect(await unchanged()).toEqual(before);
  });

  it('refuses to record a materialising run as a check-only one', async () => {
    const plan = await planRun(graph, test.storage, { selection: 't.unchecked', ...range, force: true });
    await expect(run(plan, { trigger: 'checks' })).rejects.toThrow(/for check-only plans/);
  });
});
