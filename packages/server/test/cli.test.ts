import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { tempDatabase } from '@vitrina/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const main = resolve(import.meta.dirname, '../src/cli/main.ts');
const failing = resolve(import.meta.dirname, 'fixtures/failing.ts');

let home: string;
let warehouse: { url: string; drop: () => Promise<void> };

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'vitrina-cli-'));
  warehouse = await tempDatabase('vitrina_cli');
});
afterAll(async () => {
  rmSync(home, { recursive: true, force: true });
  await warehouse?.drop();
});

/** Runs the CLI as a user would, with its own embedded storage and example database. */
function vitrina(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      VITRINA_HOME: home,
      VITRINA_DATABASE_URL: '',
      VITRINA_DEFINITIONS: 'examples/bikes/src/index.ts',
      VITRINA_EXAMPLE_DATABASE_URL: warehouse.url,
      VITRINA_EXAMPLE_START: '2026-11-01',
      ...env,
    },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('vitrina CLI', () => {
  it.each([
    [['plan', 'clean.trip'], /^vitrina: unknown asset "clean.trip" \(did you mean "clean.trips"\?\)$/],
    [
      ['plan', '*', '--partition', '2026-11-02', '--from', '2026-11-01'],
      /^vitrina: give either --partition or --from\/--to/,
    ],
    [['plan', '*', '--from', '2026-02-30'], /^vitrina: --from "2026-02-30": not a calendar date$/],
    [['plan', '*', '--from', '2026-11-05', '--to', '2026-11-01'], /is after --to/],
    [['runs', '--limit', '0'], /argument '0' is invalid/],
    [['materialise'], /missing required argument 'selection'/],
    [
      ['frobnicate'],
      /^vitrina: this location \(bikes, VITRINA_DEFINITIONS=\S+\) has no `frobnicate` command$/,
    ],
    [['seed'], /^vitrina: this location \(bikes, .*\) has no `seed` command$/],
    [['matrialize', '*'], /has no `matrialize` command; did you mean `materialize`/],
    [['run', 'nope'], /^vitrina: no run "nope"/],
  ])('refuses %j with one line and exit code 2', (args, message) => {
    const { code, stderr } = vitrina(args);
    expect(code).toBe(2);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
  });

  it.each([
    [{ VITRINA_MAX_PARALLEL: 'many' }, /^vitrina: VITRINA_MAX_PARALLEL: /],
    [{ VITRINA_POOLS: 'source=0' }, /^vitrina: VITRINA_POOLS: "source=0" is not name=size/],
    [{ VITRINA_POOLS: 'crm=2' }, /^vitrina: VITRINA_POOLS: unknown pool "crm" \(pools of bikes: source\)/],
    [{ VITRINA_DATABASE_URL: 'mysql://x' }, /^vitrina: VITRINA_DATABASE_URL: expected a postgres:\/\/ URL$/],
    [{ VITRINA_DEFINITIONS: 'nowhere.ts' }, /^vitrina: VITRINA_DEFINITIONS: no module at .*nowhere\.ts$/],
    [{ VITRINA_EXAMPLE_START: 'yesterday' }, /^vitrina: VITRINA_EXAMPLE_START: expected YYYY-MM-DD$/],
  ])('refuses bad configuration %j with exit code 2', (env, message) => {
    const { code, stderr } = vitrina(['assets'], env);
    expect(code).toBe(2);
    expect(stderr.trim()).toMatch(message);
  });

  it('refuses a store locked by a vitrina that cannot share it, with one line naming it', () => {
    const own = mkdtempSync(join(tmpdir(), 'vitrina-locked-'));
    try {
      // This test process stands for the first one: alive, holding the store, in the lock's old form.
      writeFileSync(join(own, 'pglite.lock'), String(process.pid));
      const { code, stderr } = vitrina(['runs'], { VITRINA_HOME: own });
      expect(code).toBe(2);
      expect(stderr.trim().split('\n')).toHaveLength(1);
      expect(stderr.trim()).toMatch(
        new RegExp(
          `^vitrina: the embedded run storage in .+ is open in process ${process.pid} \\(an older vitrina\\); .*VITRINA_DATABASE_URL`,
        ),
      );
    } finally {
      rmSync(own, { recursive: true, force: true });
    }
  });

  it('runs a command the code location contributes, and lists it in the help', () => {
    const env = { VITRINA_DEFINITIONS: failing };
    const greeted = vitrina(['greet', '--name', 'Minsk', '--loud'], env);
    expect(greeted.stderr).toBe('');
    expect(greeted.stdout.trim()).toBe('HELLO, MINSK');
    expect(greeted.code).toBe(3);
    const help = vitrina(['--help'], env);
    expect(help.stdout).toMatch(/greet \[options\]\s+say hello \[location failing\]/);
    expect(vitrina(['greet', '--nmae', 'x'], env).stderr).toMatch(/unknown option '--nmae'/);
  });

  it('plans, materialises with progress, then has nothing left to do', () => {
    const plan = vitrina(['plan', 'raw.trips+', '--from', '2026-11-01', '--to', '2026-11-03']);
    expect(plan.code).toBe(0);
    expect(plan.stdout).toMatch(/raw\.trips\[2026-11-02\]\s+never materialised/);
    expect(plan.stdout).not.toContain('raw.stations');
    expect(plan.stdout).not.toContain('2026-11-04');

    const run = vitrina(['materialize', '*', '--from', '2026-11-01', '--to', '2026-11-03']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // raw.trips, clean.trips, station_daily, district_weekly × 3 days, the stations and the ranking.
    // Without a terminal: a summary line, not a line per step.
    expect(run.stdout).toMatch(/run \S{8} · 14\/14 done · 0 running · 0 failed · \d+/);
    expect(run.stdout).not.toMatch(/clean\.trips\[2026-11-03\]/);
    expect(run.stdout).toMatch(/run \S+ success in .*: 14 succeeded, 0 failed, 0 blocked, 0 cancelled/);

    const again = vitrina(['plan', '*', '--from', '2026-11-01', '--to', '2026-11-03']);
    expect(again.stdout).toMatch(/^Nothing to materialise/);
    expect(again.stdout).not.toMatch(/holds no day/);
    const before = vitrina(['plan', '*', '--from', '2026-10-01', '--to', '2026-10-05']);
    expect(before.stdout).toMatch(/^Nothing to materialise/);
    expect(before.stdout).toMatch(
      /The range 2026-10-01…2026-10-05 holds no day of \d+ selected daily assets: their days run from 2026-11-01 to \d{4}-\d{2}-\d{2}\./,
    );

    const assets = vitrina(['assets', 'raw.trips']);
    expect(assets.stdout).toMatch(/raw\.trips\s+raw\s+stale\s+3\/\d+/);
    // Through the day the run went to, every daily asset is current; the days after are left, not failed.
    const through = vitrina(['assets', 'raw.trips+', '--to', '2026-11-03']);
    expect(through.stdout).toMatch(/raw\.trips\s+raw\s+fresh\s+3\/3/);
    expect(through.stdout).toMatch(/^\d+ assets through 2026-11-03: \d+ fresh$/m);
    expect(through.stdout).toMatch(
      /^Left for later, not failed: 2026-11-04 … \d{4}-\d{2}-\d{2} \(\d+ days\), \d+ partitions of \d+ assets/m,
    );
    expect(vitrina(['assets', '--to', '2026-11-31']).stderr.trim()).toBe(
      'vitrina: --to: expected a calendar day YYYY-MM-DD, got "2026-11-31"',
    );
  });

  it('tests what is materialised without materialising, and exits 1 only when an error check fails', async () => {
    const range = ['--from', '2026-11-01', '--to', '2026-11-03'];
    const ambiguous = vitrina(['test', 'trips', ...range]);
    expect(ambiguous.code).toBe(2);
    expect(ambiguous.stderr).toMatch(/"trips" is the name of several assets: "clean.trips", "raw.trips"/);
    const clean = vitrina(['test', 'clean.trips raw.trips', ...range]);
    expect(clean.stderr).toBe('');
    expect(clean.code).toBe(0);
    expect(clean.stdout).toMatch(/nothing to test: raw\.trips has no checks/);
    expect(clean.stdout).toMatch(/run \S+ success in .*: 3 succeeded, 0 failed/);

    // Bad data written behind the engine's back: only the checks of the current data can see it.
    const warehouseDb = new pg.Client({ connectionString: warehouse.url });
    await warehouseDb.connect();
    try {
      await warehouseDb.query(
        "insert into clean.trips (day, trip_id, from_station, district, minutes) values ('2026-11-02', -1, 1, 'x', 0)",
      );
    } finally {
      await warehouseDb.end();
    }
    const failed = vitrina(['test', 'clean.trips', ...range]);
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(
      /clean\.trips\[2026-11-02\]\s+failed\s+check positive_minutes failed: 1 trips with minutes <= 0/,
    );
    expect(failed.stdout).toMatch(
      /positive_minutes\s+clean\.trips\[2026-11-02\]\s+error\s+1 trips with minutes <= 0/,
    );
    expect(failed.stdout).toMatch(/run \S+ failed in .*: 2 succeeded, 1 failed/);
    // Nothing was materialised, so nothing turned stale or failed.
    expect(vitrina(['plan', '*', ...range]).stdout).toMatch(/^Nothing to materialise/);
    expect(vitrina(['runs']).stdout).toMatch(/failed .* checks\s+clean\.trips/);

    const never = vitrina(['test', 'clean.trips', '--partition', '2026-11-04']);
    expect(never.code).toBe(0);
    expect(never.stdout).toMatch(/nothing to test: clean\.trips was never materialised in 2026-11-04/);
    expect(vitrina(['--help']).stdout).toMatch(/test \[options\] \[selection\]\s+run the checks/);
  });

  it('lists materialisable assets, counting the external ones it leaves out unless asked', () => {
    const env = { VITRINA_DEFINITIONS: failing };
    const listed = vitrina(['assets'], env);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/demo\.first\s+demo\s+never/);
    expect(listed.stdout).not.toMatch(/demo\.source/);
    expect(listed.stdout).toMatch(
      /1 external asset \(sources, charts, dashboards.*\) not listed; --external lists them/,
    );
    const all = vitrina(['assets', '--external'], env);
    expect(all.stdout).toMatch(/demo\.source\s+demo\s+external/);
    expect(all.stdout).not.toMatch(/not listed/);
    const only = vitrina(['assets', 'demo.source'], env);
    expect(only.stdout.trim()).toMatch(/^1 external asset .* not listed/);
  });

  it('exits non-zero when a step fails, shows the run, and re-runs only what did not succeed', () => {
    const env = { VITRINA_DEFINITIONS: failing };
    const failed = vitrina(['materialize', '*'], { ...env, FAIL_MIDDLE: '1' });
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^failed\s+demo\.middle\s+\S+\s+the middle is broken$/m);
    expect(failed.stdout).not.toMatch(/^blocked\s+demo\.last/m);
    expect(failed.stdout).toMatch(/demo\.middle\s+failed\s+the middle is broken/);
    expect(failed.stdout).toMatch(
      /demo\.last\s+blocked\s+upstream demo\.middle failed: the middle is broken/,
    );
    const runId = /re-run what did not succeed: vitrina rerun (\S+)/.exec(failed.stdout)?.[1];
    expect(runId).toBeDefined();

    const shown = vitrina(['run', runId!], env);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/step_failed\s+demo\.middle\s+the middle is broken/);
    expect(shown.stdout.indexOf('run_started')).toBeLessThan(shown.stdout.indexOf('run_finished'));

    const rerun = vitrina(['rerun', runId!], env);
    expect(rerun.code).toBe(0);
    expect(rerun.stdout).toMatch(/2 succeeded, 0 failed/);
    expect(rerun.stdout).not.toContain('demo.first');

    const runs = vitrina(['runs'], env);
    expect(runs.stdout).toMatch(/success .* rerun/);
    expect(runs.stdout).toMatch(/failed .* manual/);

    // A failed warn check is printed, and does not fail the test.
    const warned = vitrina(['test', '*'], { ...env, WARN_FIRST: '1' });
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/nothing to test: demo\.middle has no checks/);
    expect(warned.stdout).toMatch(/looks_usual\s+demo\.first\s+warn\s+fewer rows than usual/);
    expect(warned.stdout).toMatch(/run \S+ success in .*: 1 succeeded, 0 failed/);
  });
});
