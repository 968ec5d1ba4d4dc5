import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineLocation, previousTick, RunLauncher, Scheduler } from '../src/index.ts';
import { openTestStorage, storageKinds, type TestStorage, testPostgresUrl } from '../src/testing/index.ts';
import { asset } from './helpers.ts';

const location = defineLocation<null>({
  name: 'scheduler-test',
  assets: [
    asset('stage.source'),
    asset('mart.report', { deps: ['stage.source'], freshness: { cron: '0 * * * *', maximumLagMinutes: 60 } }),
    asset('mart.nightly'),
  ],
  schedules: [{ name: 'nightly', cron: '30 0 * * *', timezone: 'Europe/Minsk', selection: 'mart.nightly' }],
  resources: { open: async () => null, close: async () => {} },
});

// The test clock starts ten minutes before the latest 00:30 in Minsk.
const tick = previousTick('30 0 * * *', 'Europe/Minsk', new Date());
const at = (minutes: number) => new Date(tick.getTime() + minutes * 60_000);

describe.each(storageKinds)('scheduler with %s run storage', (kind) => {
  let test: TestStorage;
  let launcher: RunLauncher<null>;
  let clock = at(-10);
  let scheduler: Scheduler<null>;

  beforeAll(async () => {
    test = await openTestStorage(kind);
    launcher = new RunLauncher({ location, storage: test.storage, pools: {}, maxParallel: 4 });
    scheduler = new Scheduler({
      location,
      storage: test.storage,
      launcher,
      leadership: test.storage.leadership('scheduler'),
      now: () => clock,
    });
  });
  afterAll(async () => {
    await scheduler?.stop();
    await launcher?.close();
    await test?.dispose();
  });

  it('materialises an asset whose freshness policy is violated, with its stale upstreams', async () => {
    const decisions = await scheduler.tick();
    expect(decisions.map((d) => [d.schedule, d.decision])).toEqual([['freshness:mart.report', 'run']]);
    const outcome = await launcher.done(decisions[0]!.runId!);
    expect(outcome?.run.trigger).toBe('freshness');
    expect(outcome?.steps.map((s) => s.assetKey)).toEqual(['stage.source', 'mart.report']);
  });

  it('tries an overdue asset once per tick of its policy: a failed attempt is not launched again at once', async () => {
    const overdue = defineLocation<null>({
      name: 'freshness-once',
      assets: [
        asset('stage.late', {
          freshness: { cron: '0 * * * *', maximumLagMinutes: 60 },
          materialize: async () => {
            throw new Error('the source has not delivered the day yet');
          },
        }),
      ],
      resources: { open: async () => null, close: async () => {} },
    });
    const runs = new RunLauncher({ location: overdue, storage: test.storage, pools: {}, maxParallel: 2 });
    const once = new Scheduler({
      location: overdue,
      storage: test.storage,
      launcher: runs,
      leadership: test.storage.leadership('freshness-once'),
      now: () => clock,
    });
    try {
      const [first] = await once.tick();
      expect(first).toMatchObject({ schedule: 'freshness:stage.late', decision: 'run' });
      expect((await runs.done(first!.runId!))?.run.status).toBe('failed');
      expect(await once.tick()).toEqual([]);
      // The policy's next tick tries again.
      const saved = clock;
      clock = new Date(clock.getTime() + 60 * 60_000);
      const [next] = await once.tick();
      expect(next).toMatchObject({ schedule: 'freshness:stage.late', decision: 'run' });
      await runs.done(next!.runId!);
      clock = saved;
    } finally {
      await once.stop();
      await runs.close();
    }
  });

  it('does not fire a schedule for a tick that fell before it started, nor refresh what is fresh', async () => {
    clock = at(-1);
    expect(await scheduler.tick()).toEqual([]);
  });

  it('fires a cron schedule once its tick passes, and only once', async () => {
    clock = at(1);
    const [fired] = await scheduler.tick();
    expect(fired).toMatchObject({ schedule: 'nightly', decision: 'run', tickAt: tick });
    expect(fired!.reason).toMatch(
      /^cron 30 0 \* \* \* \(Europe\/Minsk\): 1 stale partitions in mart.nightly$/,
    );
    await launcher.done(fired!.runId!);
    clock = at(5);
    expect(await scheduler.tick()).toEqual([]);
    const stored = await test.storage.listTicks({ schedule: 'nightly' });
    expect(stored).toHaveLength(1);
    expect(stored[0]).toMatchObject({ decision: 'run', runId: fired!.runId });
  });

  it('records a skip when the schedule fires with nothing stale', async () => {
    clock = at(24 * 60 + 1); // the next night
    const [skipped] = await scheduler.tick();
    expect(skipped).toMatchObject({ schedule: 'nightly', decision: 'skip', runId: null });
    expect(skipped!.reason).toMatch(/nothing is stale in mart.nightly/);
  });
});

describe('scheduler leadership across replicas', () => {
  let test: TestStorage;
  beforeAll(async () => {
    test = await openTestStorage('postgres');
  });
  afterAll(async () => test?.dispose());

  it('lets one replica lead; another takes over when the leader dies', async () => {
    const replica = (name: string) => {
      const launcher = new RunLauncher({ location, storage: test.storage, pools: {}, maxParallel: 1 });
      return new Scheduler({
        location,
        storage: test.storage,
        launcher,
        leadership: test.storage.leadership(name),
      });
    };
    const first = replica('leader-test');
    const second = replica('leader-test');
    await first.tick();
    await second.tick();
    expect([first.leading, second.leading]).toEqual([true, false]);

    // The leader's session dies (as when its process is killed): its advisory lock goes with it.
    const { default: pg } = await import('pg');
    const admin = new pg.Client({ connectionString: testPostgresUrl });
    await admin.connect();
    await admin.query(
      "select pg_terminate_backend(pid) from pg_stat_activity where application_name = 'vitrina leader-test' and pid in (select pid from pg_locks where locktype = 'advisory' and granted)",
    );
    await admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));

    await second.tick();
    expect(second.leading).toBe(true);
    await first.tick();
    expect(first.leading).toBe(false);
    await first.stop();
    await second.stop();
  });
});
