import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { AssetGraph, type Location, loadLocation, resolveSelection } from '@vitrina/core';
import { tempDatabase } from '@vitrina/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { airflowDagFile } from '../src/airflow/dag.ts';
import { anyAsset } from './fixtures/anyAsset.ts';

/**
 * The exported DAG file in a real Apache Airflow (.venv-airflow, from scripts/setup.sh --test): loaded
 * by its DagBag, and run by `airflow dags test`, whose tasks materialise the bikes example.
 */
const root = resolve(import.meta.dirname, '../../..');
const main = resolve(root, 'packages/server/src/cli/main.ts');
const python = resolve(root, '.venv-airflow/bin/python');
const airflowBin = resolve(root, '.venv-airflow/bin/airflow');
const probe = resolve(import.meta.dirname, 'fixtures/airflow_dagbag.py');
const definitions = resolve(root, 'examples/bikes/src/index.ts');

let dir: string;
let airflowEnv: Record<string, string>;
let warehouse: { url: string; drop: () => Promise<void> };
let bikes: Location;
/** The bikes example's DAG file in Airflow's DAG folder, as the export wrote it. */
let exported: { file: string; stdout: string; text: string };

beforeAll(async () => {
  const setup = 'run scripts/setup.sh --test, which installs it';
  if (!existsSync(python)) throw new Error(`Apache Airflow is not installed: no ${python}; ${setup}`);
  const installed = spawnSync(
    python,
    ['-c', 'import importlib.metadata as m; print(m.version("apache-airflow"))'],
    {
      encoding: 'utf8',
    },
  );
  if (installed.status !== 0)
    throw new Error(
      `Apache Airflow is not installed in .venv-airflow (${installed.stderr.trim().split('\n').at(-1)}); ${setup}`,
    );
  dir = mkdtempSync(join(tmpdir(), 'vitrina-airflow-'));
  mkdirSync(join(dir, 'dags'));
  airflowEnv = {
    AIRFLOW_HOME: join(dir, 'airflow'),
    AIRFLOW__CORE__DAGS_FOLDER: join(dir, 'dags'),
    AIRFLOW__CORE__LOAD_EXAMPLES: 'False',
    AIRFLOW__LOGGING__LOGGING_LEVEL: 'ERROR',
  };
  warehouse = await tempDatabase('vitrina_airflow');
  bikes = await loadLocation(definitions);
  // `airflow dags test` needs Airflow's own database: SQLite in the temporary AIRFLOW_HOME.
  const migrated = airflow([airflowBin, 'db', 'migrate']);
  if (migrated.status !== 0) throw new Error(`airflow db migrate failed: ${migrated.stderr}`);
  exported = exportBikes(join(dir, 'dags', 'vitrina_bikes.py'));
}, 120_000);
afterAll(async () => {
  if (dir) rmSync(dir, { recursive: true, force: true });
  await warehouse?.drop();
});

/** `vitrina airflow export` as a user runs it, from the repository, for the bikes example. */
function exportBikes(out: string, env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, 'airflow', 'export', '--out', out], {
    cwd: root,
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      VITRINA_DEFINITIONS: 'examples/bikes/src/index.ts',
      VITRINA_HOME: join(dir, 'vitrina'),
      VITRINA_DATABASE_URL: '',
      ...env,
    },
  });
  if (result.status !== 0 || result.stderr !== '')
    throw new Error(`vitrina airflow export failed (${result.status}): ${result.stderr}`);
  return { file: out, stdout: result.stdout, text: readFileSync(out, 'utf8') };
}

function airflow(args: string[], env: Record<string, string> = {}) {
  return spawnSync(args[0]!, args.slice(1), {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, ...airflowEnv, ...env },
    timeout: 170_000,
  });
}

const taskSchema = z.object({
  type: z.string(),
  upstream: z.array(z.string()),
  retries: z.number(),
  execution_timeout: z.number().nullable(),
  template_fields: z.array(z.string()),
  bash_command: z.string(),
  argv: z.array(z.string()),
  cwd: z.string(),
  env: z.record(z.string(), z.string()),
  append_env: z.boolean(),
});
const bagSchema = z.object({
  import_errors: z.record(z.string(), z.string()),
  dags: z.record(
    z.string(),
    z.object({
      description: z.string(),
      schedule: z.object({ cron: z.string(), timezone: z.string() }).nullable(),
      catchup: z.boolean(),
      max_active_runs: z.number(),
      max_active_tasks: z.number(),
      tags: z.array(z.string()),
      tasks: z.record(z.string(), taskSchema),
    }),
  ),
});

/** What Airflow's DagBag makes of a DAG file. */
function dagBag(file: string) {
  const result = airflow([python, probe, file]);
  expect(result.status, result.stderr).toBe(0);
  const bag = bagSchema.parse(JSON.parse(result.stdout.trim().split('\n').at(-1)!));
  expect(bag.import_errors).toEqual({});
  return bag;
}

/** From the graph alone: each group of a selection's assets, with the groups its assets depend on. */
function expectedTasks(location: Location, selection: string) {
  const { graph } = location;
  const keys = [...resolveSelection(graph, selection)].filter((key) => graph.get(key).storage !== 'external');
  const groups = new Map<string, { keys: string[]; upstream: Set<string> }>();
  for (const key of keys) {
    const group = graph.get(key).group;
    const entry = groups.get(group) ?? { keys: [], upstream: new Set<string>() };
    groups.set(group, entry);
    entry.keys.push(key);
    for (const up of graph.upstreamKeys(key))
      if (keys.includes(up) && graph.get(up).group !== group) entry.upstream.add(graph.get(up).group);
  }
  return groups;
}

describe('vitrina airflow export, in Apache Airflow', () => {
  it('writes a file Airflow loads: a DAG per schedule, a task per group, the edges of the graph', () => {
    expect(exported.stdout).toMatch(/^Wrote .*vitrina_bikes\.py: 1 DAG, 3 tasks\./);
    const bag = dagBag(exported.file);
    expect(bikes.schedules.length).toBeGreaterThan(0);
    expect(Object.keys(bag.dags).sort()).toEqual(
      bikes.schedules.map((s) => `vitrina_bikes_${s.name}`).sort(),
    );
    for (const schedule of bikes.schedules) {
      const dag = bag.dags[`vitrina_bikes_${schedule.name}`]!;
      expect(dag).toMatchObject({
        description: schedule.description,
        schedule: { cron: schedule.cron, timezone: schedule.timezone },
        catchup: false,
        max_active_runs: 1,
        max_active_tasks: 1, // the storage is embedded: one process at a time
      });
      const expected = expectedTasks(bikes, schedule.selection);
      expect(Object.fromEntries(Object.entries(dag.tasks).map(([id, task]) => [id, task.upstream]))).toEqual(
        Object.fromEntries([...expected].map(([group, { upstream }]) => [group, [...upstream].sort()])),
      );
      for (const [group, task] of Object.entries(dag.tasks)) {
        expect(task).toMatchObject({
          type: 'VitrinaMaterialize',
          retries: 0,
          execution_timeout: 180 * 60,
          template_fields: [],
          cwd: root,
          env: { VITRINA_DEFINITIONS: definitions, VITRINA_HOME: join(dir, 'vitrina') },
          append_env: true,
        });
        const [node, ...args] = task.argv;
        expect(node).toBe(process.execPath);
        expect(args.slice(0, -2)).toEqual(['--import', 'tsx', main]);
        expect(args.at(-2)).toBe('materialize');
        expect([...resolveSelection(bikes.graph, args.at(-1)!)].sort()).toEqual(
          expected.get(group)!.keys.sort(),
        );
      }
    }
  });

  it('keeps a password out of the file: the worker must supply VITRINA_DATABASE_URL', () => {
    const out = join(dir, 'secret', 'bikes.py');
    const { stdout, text } = exportBikes(out, {
      VITRINA_DATABASE_URL: 'postgres://vitrina:s3cr3t-pass@127.0.0.1:5432/vitrina',
    });
    expect(text).not.toContain('s3cr3t');
    expect(stdout).toMatch(/VITRINA_DATABASE_URL holds a password/);
    const [task] = Object.values(dagBag(out).dags.vitrina_bikes_daily!.tasks);
    expect(task!.env).not.toHaveProperty('VITRINA_DATABASE_URL');
    const withoutIt = spawnSync('bash', ['-c', task!.bash_command], {
      cwd: task!.cwd,
      encoding: 'utf8',
      env: { PATH: process.env.PATH ?? '' },
    });
    expect(withoutIt.status).toBe(2);
    expect(withoutIt.stderr).toMatch(/set VITRINA_DATABASE_URL in the Airflow worker's environment/);
  });

  it('runs: airflow dags test materialises the bikes example, group after group', () => {
    const start = new Date(Date.now() - 3 * 86_400_000).toISOString().slice(0, 10);
    const worker = {
      VITRINA_EXAMPLE_DATABASE_URL: warehouse.url,
      VITRINA_EXAMPLE_START: start,
      VITRINA_DATABASE_URL: '',
      NO_COLOR: '1',
    };
    const run = airflow([airflowBin, 'dags', 'test', 'vitrina_bikes_daily'], worker);
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-4000)).toBe(0);
    const runs = spawnSync(process.execPath, ['--import', 'tsx', main, 'runs'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        ...process.env,
        ...worker,
        VITRINA_DEFINITIONS: definitions,
        VITRINA_HOME: join(dir, 'vitrina'),
      },
    });
    expect(runs.status, runs.stderr).toBe(0);
    const rows = runs.stdout.trim().split('\n').slice(1).reverse();
    expect(rows.map((row) => row.split(/\s+/)[1])).toEqual(['success', 'success', 'success']);
    expect(rows.map((row) => row.split(/\s+/).at(-1))).toEqual(['group:raw', 'group:clean', 'group:report']);
  }, 180_000);

  it('runs hostile keys, paths and values as written: no injection by bash, Python or Jinja', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion is what must stay inert.
    const key = 'raw.o\'k"$(touch${IFS}pwned)`touch${IFS}pwned`{{ds}}\\;|&';
    const cwd = join(dir, `a 'b' "c" $(touch pwned) {{ ds }} \\`);
    mkdirSync(cwd);
    const hostileDefinitions = `/x/{{ ds }}"""'$(touch pwned)\`.ts`;
    const location = {
      name: `it's "bikes"`,
      graph: new AssetGraph([anyAsset(key), anyAsset('raw.other'), anyAsset('mart.x', [key])]),
      schedules: [
        { name: 'odd', cron: '0 6 * * *', timezone: 'Asia/Tokyo', selection: key, description: '"""\\' },
      ],
    };
    const { text } = airflowDagFile(location, {
      // Prints where it runs, a variable the file sets, and its arguments, instead of materialising.
      command: [
        '/bin/sh',
        '-c',
        'printf "%s\\n" "$(pwd -P)" "$VITRINA_DEFINITIONS" "$@" > "$HOSTILE_OUT"',
        'sh',
      ],
      cwd,
      env: { VITRINA_DEFINITIONS: hostileDefinitions },
      workerEnv: ['VITRINA_DATABASE_URL'],
      timeoutMinutes: 5,
      embeddedStorage: false,
      exportedWith: ['vitrina', 'airflow', 'export'],
    });
    const out = join(dir, 'dags', 'hostile.py');
    writeFileSync(out, text);
    const dag = dagBag(out).dags.vitrina_it_s__bikes__odd!;
    expect(dag.description).toBe('"""\\');
    expect(Object.keys(dag.tasks)).toEqual(['raw']);
    const printed = join(dir, 'printed.txt');
    const run = airflow([airflowBin, 'dags', 'test', 'vitrina_it_s__bikes__odd'], {
      HOSTILE_OUT: printed,
      VITRINA_DATABASE_URL: 'postgres://worker@127.0.0.1/x',
    });
    expect(run.status, `${run.stdout}\n${run.stderr}`.slice(-4000)).toBe(0);
    expect(readFileSync(printed, 'utf8')).toBe(`${cwd}\n${hostileDefinitions}\nmaterialize\n${key}\n`);
    expect([cwd, dir, root].filter((folder) => existsSync(join(folder, 'pwned')))).toEqual([]);
  }, 180_000);
});
