import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraph, addDays, daily, defineAsset, execute, planRun } from '../src/index.ts';
import { openTestStorage, type TestStorage } from '../src/testing/index.ts';

/**
 * An incremental load that re-reads its lookback window reports the earlier partitions it rewrote;
 * whatever reads them is planned again only when their data changed.
 */
interface Source {
  /** The data version each day of the source has now. */
  versions: Map<string, string>;
  lookback: number;
}

const days = daily('2026-01-01', 'UTC');
const source = defineAsset<Source>({
  key: 'stage.events',
  description: 'events, re-reading the days before for late rows',
  group: 'stage',
  storage: 'postgres',
  partitions: days,
  codeVersion: 'v1',
  materialize: async ({ partition, resources }) => {
    const day = Number(partition.slice(-2));
    const rewrote = [];
    for (let d = Math.max(1, day - resources.lookback); d < day; d++) {
      const key = `2026-01-0${d}`;
      rewrote.push({ partition: key, rows: 1, dataVersion: resources.versions.get(key) ?? 'none' });
    }
    return { rows: 1, dataVersion: resources.versions.get(partition) ?? 'none', rewrote };
  },
});
const downstream = defineAsset<Source>({
  key: 'bi.events',
  description: 'reads stage.events day by day',
  group: 'bi',
  storage: 'postgres',
  partitions: days,
  deps: ['stage.events'],
  codeVersion: 'v1',
  materialize: async () => ({ rows: 1 }),
});
const graph = new AssetGraph<Source>([source, downstream]);

describe('partitions rewritten by a lookback', () => {
  let test: TestStorage;
  const resources: Source = { versions: new Map(), lookback: 2 };
  beforeAll(async () => {
    test = await openTestStorage('pglite');
  });
  afterAll(async () => test?.dispose());

  const run = async (selection: string, from: string, to: string) => {
    const plan = await planRun(graph, test.storage, { selection, from, to });
    const outcome = await execute({
      graph,
      plan,
      storage: test.storage,
      resources,
      pools: {},
      maxParallel: 1,
    });
    expect(outcome.run.status).toBe('success');
    return plan;
  };
  const stalePartitions = async (selection: string, from: string, to: string) =>
    (await planRun(graph, test.storage, { selection, from, to })).steps.map((step) => step.partition);

  it('re-plans the downstream of a rewritten day whose data changed, and only that day', async () => {
    for (const d of [1, 2, 3]) resources.versions.set(`2026-01-0${d}`, `a${d}`);
    await run('*', '2026-01-01', '2026-01-03');
    expect(await stalePartitions('bi.events', '2026-01-01', '2026-01-03')).toEqual([]);

    // Day 4 arrives with a late row for day 3; day 2 is re-read unchanged.
    resources.versions.set('2026-01-03', 'b3');
    resources.versions.set('2026-01-04', 'a4');
    await run('stage.events', '2026-01-04', '2026-01-04');

    const history = await test.storage.materializations('stage.events');
    const day3 = history.find((m) => m.partition === '2026-01-03' && m.dataVersion === 'b3');
    expect(day3?.metadata).toMatchObject({ rewrittenBy: '2026-01-04' });
    expect(await stalePartitions('bi.events', '2026-01-01', '2026-01-04')).toEqual([
      '2026-01-03',
      '2026-01-04',
    ]);
  });

  it('brings what reads a rewritten day up to date in the same run, when it is selected', async () => {
    await run('*', '2026-01-03', '2026-01-04');
    // Day 5 arrives with a late row for day 4: the run planned for day 5 also rebuilds bi.events[day 4].
    resources.versions.set('2026-01-04', 'b4');
    resources.versions.set('2026-01-05', 'a5');
    const plan = await planRun(graph, test.storage, { selection: '*', from: '2026-01-05', to: '2026-01-05' });
    expect(plan.steps.map((step) => `${step.assetKey}[${step.partition}]`)).toEqual([
      'stage.events[2026-01-05]',
      'bi.events[2026-01-05]',
    ]);
    const outcome = await execute({
      graph,
      plan,
      storage: test.storage,
      resources,
      pools: {},
      maxParallel: 2,
    });
    expect(outcome.run.status).toBe('success');
    expect(outcome.steps.map((step) => `${step.assetKey}[${step.partition}] ${step.status}`).sort()).toEqual([
      'bi.events[2026-01-04] success',
      'bi.events[2026-01-05] success',
      'stage.events[2026-01-05] success',
    ]);
    expect(outcome.steps.find((step) => step.partition === '2026-01-04')?.reason).toMatch(
      /upstream stage\.events\[2026-01-04\] was rewritten with new data/,
    );
    expect((await test.storage.getRun(outcome.run.id))?.stepCount).toBe(3);
    expect(await stalePartitions('*', '2026-01-01', '2026-01-05')).toEqual([]);
  });
});

describe('a rewritten day read by a window', () => {
  // The newest complete day in UTC, and the one before it, which its load rewrites.
  const today = new Date().toISOString().slice(0, 10);
  const newest = addDays(today, -1);
  const before = addDays(today, -2);
  const recent = daily(addDays(today, -5), 'UTC');
  const load = defineAsset<Source>({
    key: 'stage.recent',
    description: 'events, re-reading the day before',
    group: 'stage',
    storage: 'postgres',
    partitions: recent,
    codeVersion: 'v1',
    materialize: async ({ partition, resources }) => ({
      rows: 1,
      dataVersion: resources.versions.get(partition) ?? 'none',
      rewrote:
        partition === newest
          ? [{ partition: before, rows: 1, dataVersion: resources.versions.get(before) ?? 'none' }]
          : [],
    }),
  });
  const rolling = defineAsset<Source>({
    key: 'bi.rolling',
    description: 'three days up to its own',
    group: 'bi',
    storage: 'postgres',
    partitions: recent,
    deps: [{ key: 'stage.recent', mapping: { kind: 'window', startOffset: -2, endOffset: 0 } }],
    codeVersion: 'v1',
    materialize: async () => ({ rows: 1 }),
  });
  const windowed = new AssetGraph<Source>([load, rolling]);
  let test: TestStorage;
  beforeAll(async () => {
    test = await openTestStorage('pglite');
  });
  afterAll(async () => test?.dispose());

  it('adds the days of the window that have ended, not the days after the newest', async () => {
    const resources: Source = { versions: new Map([[before, 'a']]), lookback: 1 };
    const first = await planRun(windowed, test.storage, { selection: '*', to: before });
    await execute({
      graph: windowed,
      plan: first,
      storage: test.storage,
      resources,
      pools: {},
      maxParallel: 2,
    });
    resources.versions.set(before, 'b'); // the newest day's load brings a late row for the day before
    resources.versions.set(newest, 'a');
    const plan = await planRun(windowed, test.storage, { selection: '*', from: newest, to: newest });
    const outcome = await execute({
      graph: windowed,
      plan,
      storage: test.storage,
      resources,
      pools: {},
      maxParallel: 1,
    });
    expect(outcome.run.status).toBe('success');
    const days = outcome.steps.filter((step) => step.assetKey === 'bi.rolling').map((step) => step.partition);
    expect(days.sort()).toEqual([before, newest]);
    expect(days.every((day) => day < today)).toBe(true);
  });
});
