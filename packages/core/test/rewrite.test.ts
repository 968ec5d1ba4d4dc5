import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AssetGraph, daily, defineAsset, execute, planRun } from '../src/index.ts';
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
