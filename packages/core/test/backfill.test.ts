import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Asset,
  AssetGraph,
  type BackfillPolicy,
  daily,
  defineAsset,
  execute,
  planRun,
} from '../src/index.ts';
import { openTestStorage, type TestStorage } from '../src/testing/index.ts';

/**
 * Backfill policies: the planned days of an asset materialised in one step (`range`, in batches of
 * consecutive days) or one build for all of them (`latest`), each day still recorded on its own.
 */
interface World {
  /** Every materialize call: asset, partition, partitions. */
  calls: Array<{ key: string; partition: string; partitions: readonly string[] }>;
  /** Check calls: asset and partition. */
  checked: Array<{ key: string; partition: string }>;
  broken: Set<string>;
}

const days = daily('2026-01-01', 'UTC');
const DAYS = ['2026-01-01', '2026-01-02', '2026-01-03', '2026-01-04', '2026-01-05'];

function dailyAsset(key: string, deps: string[], backfill?: BackfillPolicy): Asset<World> {
  return defineAsset<World>({
    key,
    description: `test asset ${key}`,
    group: key.split('.')[0]!,
    storage: 'postgres',
    partitions: days,
    deps,
    codeVersion: 'v1',
    ...(backfill ? { backfill } : {}),
    checks: [
      {
        name: 'not_broken',
        severity: 'error',
        run: async ({ key: asset, partition, resources }) => {
          resources.checked.push({ key: asset, partition });
          return { passed: !resources.broken.has(`${asset} check`) };
        },
      },
    ],
    materialize: async ({ key: asset, partition, partitions, resources }) => {
      resources.calls.push({ key: asset, partition, partitions: partitions ?? [partition] });
      if (resources.broken.has(asset) || resources.broken.has(`${asset}[${partition}]`))
        throw new Error(`${asset} is broken`);
      const byPartition = Object.fromEntries(
        (partitions ?? [partition]).map((day) => [day, { rows: Number(day.slice(-2)) }]),
      );
      return backfill?.kind === 'range' ? { rows: 0, byPartition } : { rows: 100 };
    },
  });
}

function graphOf(policy: BackfillPolicy) {
  return new AssetGraph<World>([
    dailyAsset('stage.events', []),
    dailyAsset('dimension.state', ['stage.events'], policy),
    dailyAsset('bi.facts', ['dimension.state']),
  ]);
}

describe('backfill policies', () => {
  let test: TestStorage;
  beforeAll(async () => {
    test = await openTestStorage('pglite');
  });
  afterAll(async () => test?.dispose());

  const world = (): World => ({ calls: [], checked: [], broken: new Set() });
  const run = async (graph: AssetGraph<World>, resources: World, options: { force?: boolean } = {}) => {
    const plan = await planRun(graph, test.storage, {
      selection: '*',
      from: DAYS[0],
      to: DAYS.at(-1),
      ...options,
    });
    return {
      plan,
      outcome: await execute({ graph, plan, storage: test.storage, resources, pools: {}, maxParallel: 4 }),
    };
  };
  const callsOf = (resources: World, key: string) =>
    resources.calls.filter((call) => call.key === key).map((call) => call.partitions.join(','));

  it('latest: one build stands for every planned day, recorded day by day, its checks once', async () => {
    const graph = graphOf({ kind: 'latest' });
    const resources = world();
    const { plan, outcome } = await run(graph, resources, { force: true });
    expect(plan.steps).toHaveLength(15);
    expect(outcome.run.status).toBe('success');
    // The state is built once, as the newest day, after every day of what it reads.
    expect(callsOf(resources, 'dimension.state')).toEqual([DAYS.join(',')]);
    expect(resources.calls.find((call) => call.key === 'dimension.state')?.partition).toBe('2026-01-05');
    const stateAt = resources.calls.findIndex((call) => call.key === 'dimension.state');
    expect(resources.calls.slice(0, stateAt).filter((call) => call.key === 'stage.events')).toHaveLength(5);
    expect(callsOf(resources, 'bi.facts')).toEqual(expect.arrayContaining(DAYS));
    expect(resources.checked.filter((check) => check.key === 'dimension.state')).toEqual([
      { key: 'dimension.state', partition: '2026-01-05' },
    ]);
    // Every day is its own step and its own partition state, all with the one build's version.
    const steps = outcome.steps.filter((step) => step.assetKey === 'dimension.state');
    expect(steps.map((step) => [step.partition, step.status, step.rowCount])).toEqual(
      DAYS.map((day) => [day, 'success', 100]),
    );
    const states = (await test.storage.assetPartitions(['dimension.state'])).sort((a, b) =>
      a.partition < b.partition ? -1 : 1,
    );
    expect(states.map((state) => state.partition)).toEqual(DAYS);
    expect(new Set(states.map((state) => state.dataVersion)).size).toBe(1);
    expect(states.every((state) => state.status === 'materialized')).toBe(true);
    // Each day consumed its own upstream day: staleness stays exact.
    expect(states.map((state) => Object.keys(state.consumed['stage.events'] ?? {}))).toEqual(
      DAYS.map((day) => [day]),
    );
    expect(
      (await planRun(graph, test.storage, { selection: '*', from: DAYS[0], to: DAYS[4] })).steps,
    ).toEqual([]);
  });

  it('range: consecutive days in batches of at most maxPartitions, rows per day', async () => {
    const graph = graphOf({ kind: 'range', maxPartitions: 2 });
    const resources = world();
    const { outcome } = await run(graph, resources, { force: true });
    expect(outcome.run.status).toBe('success');
    expect(callsOf(resources, 'dimension.state')).toEqual([
      '2026-01-01,2026-01-02',
      '2026-01-03,2026-01-04',
      '2026-01-05',
    ]);
    // Checks run per day written.
    expect(
      resources.checked
        .filter((check) => check.key === 'dimension.state')
        .map((check) => check.partition)
        .sort(),
    ).toEqual(DAYS);
    const steps = outcome.steps.filter((step) => step.assetKey === 'dimension.state');
    expect(steps.map((step) => step.rowCount)).toEqual([1, 2, 3, 4, 5]);
  });

  it('runs a batch without the days whose upstream failed, and blocks only what reads those', async () => {
    const graph = graphOf({ kind: 'latest' });
    const resources = world();
    resources.broken.add('stage.events[2026-01-03]');
    const { outcome } = await run(graph, resources, { force: true });
    expect(outcome.run.status).toBe('failed');
    expect(callsOf(resources, 'dimension.state')).toEqual(['2026-01-01,2026-01-02,2026-01-04,2026-01-05']);
    const status = (key: string) =>
      outcome.steps.filter((step) => step.assetKey === key).map((step) => `${step.partition} ${step.status}`);
    expect(status('dimension.state')).toEqual([
      '2026-01-01 success',
      '2026-01-02 success',
      '2026-01-03 blocked',
      '2026-01-04 success',
      '2026-01-05 success',
    ]);
    expect(status('bi.facts')).toContain('2026-01-03 blocked');
    expect(status('bi.facts').filter((line) => line.endsWith('success'))).toHaveLength(4);

    // Fixed, the next plan holds just that day; its batch is the one day.
    resources.broken.clear();
    resources.calls.length = 0;
    const { plan, outcome: again } = await run(graph, resources);
    expect(plan.steps.map((step) => `${step.assetKey} ${step.partition}`)).toEqual([
      'stage.events 2026-01-03',
      'dimension.state 2026-01-03',
      'bi.facts 2026-01-03',
    ]);
    expect(again.run.status).toBe('success');
    expect(callsOf(resources, 'dimension.state')).toEqual(['2026-01-03']);
  });

  it('fails every day of a batch that fails, or whose error check fails, and blocks what reads them', async () => {
    const graph = graphOf({ kind: 'latest' });
    const resources = world();
    resources.broken.add('dimension.state');
    const { outcome } = await run(graph, resources, { force: true });
    const of = (key: string) => outcome.steps.filter((step) => step.assetKey === key);
    expect(of('dimension.state').map((step) => step.status)).toEqual(DAYS.map(() => 'failed'));
    expect(of('dimension.state')[0]!.error).toBe('dimension.state is broken');
    expect(of('bi.facts').map((step) => step.status)).toEqual(DAYS.map(() => 'blocked'));

    resources.broken = new Set(['dimension.state check']);
    const checked = await run(graph, resources, { force: true });
    const failed = checked.outcome.steps.filter((step) => step.assetKey === 'dimension.state');
    expect(failed.map((step) => step.status)).toEqual(DAYS.map(() => 'failed'));
    expect(failed[4]!.error).toBe('check not_broken failed');
    const states = await test.storage.assetPartitions(['dimension.state']);
    expect(states.map((state) => state.status)).toEqual(DAYS.map(() => 'failed'));
  });

  it('is for daily assets only', () => {
    expect(() =>
      defineAsset({
        key: 'bi.table',
        description: 'one table',
        group: 'bi',
        storage: 'postgres',
        backfill: { kind: 'latest' },
        materialize: async () => ({}),
      }),
    ).toThrow(/backfill: a backfill policy is for a daily asset/);
  });
});
