import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Asset, AssetGraph, type ScheduleDefinition } from '@vitrina/core';
import { afterAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { type AirflowRuntime, airflowDagFile } from '../src/airflow/dag.ts';
import type { DagLocation } from '../src/airflow/tasks.ts';
import { anyAsset as asset } from './fixtures/anyAsset.ts';

const stub = resolve(import.meta.dirname, 'fixtures/airflow_stub.py');
const dir = mkdtempSync(join(tmpdir(), 'vitrina-airflow-dag-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function location(
  assets: Asset[],
  schedules: Partial<ScheduleDefinition>[] = [],
  name = 'shop',
): DagLocation {
  return {
    name,
    graph: new AssetGraph(assets),
    schedules: schedules.map((schedule, index) => ({
      name: `s${index}`,
      cron: '30 0 * * *',
      timezone: 'Europe/Minsk',
      selection: '*',
      description: '',
      ...schedule,
    })),
  };
}

const runtime: AirflowRuntime = {
  command: ['/usr/bin/node', '--import', 'tsx', '/repo/packages/server/src/cli/main.ts'],
  cwd: '/repo',
  env: { VITRINA_DEFINITIONS: '/repo/location.ts' },
  workerEnv: [],
  timeoutMinutes: 90,
  embeddedStorage: false,
  exportedWith: ['vitrina', 'airflow', 'export'],
};

const taskSchema = z.object({
  task_id: z.string(),
  upstream: z.array(z.string()),
  kwargs: z.object({
    bash_command: z.string(),
    cwd: z.string(),
    env: z.record(z.string(), z.string()),
    retries: z.number(),
    execution_timeout: z.number(),
    doc_md: z.string(),
  }),
});
const loadedSchema = z.object({
  doc: z.string(),
  dags: z.array(z.object({ kwargs: z.record(z.string(), z.unknown()), tasks: z.array(taskSchema) })),
});

/** Runs the generated file on python3 with stand-ins for Airflow: what the file passes Airflow. */
function load(text: string) {
  const file = join(dir, `dag-${Math.random().toString(36).slice(2)}.py`);
  writeFileSync(file, text);
  return loadedSchema.parse(JSON.parse(execFileSync('python3', [stub, file], { encoding: 'utf8' })));
}

const edges = (tasks: z.infer<typeof taskSchema>[]) =>
  Object.fromEntries(tasks.map((task) => [task.task_id, [...task.upstream].sort()]));

//   source.app (external) ─► stage.a ─► dimension.b ─► bi.c ─► mart.e
//                            stage.d ─────────────────► bi.c
const warehouse = [
  asset('source.app', [], { external: true }),
  asset('stage.a', ['source.app']),
  asset('stage.d'),
  asset('dimension.b', ['stage.a']),
  asset('bi.c', ['dimension.b', 'stage.d']),
  asset('mart.e', ['bi.c']),
];

describe('airflowDagFile', () => {
  it('makes one DAG per schedule, with its cron and timezone, and one task per group in order', () => {
    const { text, dags } = airflowDagFile(
      location(warehouse, [
        { name: 'daily', description: 'the nightly load' },
        { name: 'marts', cron: '0 6 * * 1', timezone: 'Asia/Tokyo', selection: 'group:mart' },
      ]),
      runtime,
    );
    expect(dags.map((dag) => dag.id)).toEqual(['vitrina_shop_daily', 'vitrina_shop_marts']);
    const loaded = load(text);
    const [daily, marts] = loaded.dags;
    expect(daily!.kwargs).toMatchObject({
      dag_id: 'vitrina_shop_daily',
      description: 'the nightly load',
      schedule: { cron: '30 0 * * *', timezone: 'Europe/Minsk' },
      catchup: false,
      max_active_runs: 1,
    });
    expect(daily!.tasks.map((task) => task.task_id)).toEqual(['stage', 'dimension', 'bi', 'mart']);
    expect(edges(daily!.tasks)).toEqual({
      stage: [],
      dimension: ['stage'],
      bi: ['dimension', 'stage'],
      mart: ['bi'],
    });
    const stage = daily!.tasks[0]!.kwargs;
    expect(stage).toMatchObject({ cwd: '/repo', env: runtime.env, retries: 0, execution_timeout: 90 * 60 });
    expect(stage.bash_command).toBe(
      'exec /usr/bin/node --import tsx /repo/packages/server/src/cli/main.ts materialize group:stage',
    );
    expect(marts!.kwargs).toMatchObject({ schedule: { cron: '0 6 * * 1', timezone: 'Asia/Tokyo' } });
    expect(marts!.tasks.map((task) => task.task_id)).toEqual(['mart']);
    expect(loaded.doc).toContain('vitrina_shop_marts: 0 6 * * 1 (Asia/Tokyo), selection group:mart');
  });

  it('passes the keys of a group the selection covers in part, ordered through assets left out', () => {
    const { dags } = airflowDagFile(location(warehouse, [{ selection: 'stage.a, bi.c' }]), runtime);
    expect(dags[0]!.tasks).toEqual([
      { id: 'stage', group: 'stage', keys: ['stage.a'], selection: 'stage.a', upstream: [] },
      { id: 'bi', group: 'bi', keys: ['bi.c'], selection: 'group:bi', upstream: ['stage'] },
    ]);
  });

  it('leaves a group with an external asset as its keys, not group:', () => {
    const mixed = [asset('raw.feed', [], { external: true }), asset('raw.copy', ['raw.feed'])];
    const { dags } = airflowDagFile(location(mixed, [{}]), runtime);
    expect(dags[0]!.tasks.map((task) => task.selection)).toEqual(['raw.copy']);
  });

  it('makes one DAG run by hand when the location has no schedule', () => {
    const { text } = airflowDagFile(location(warehouse), { ...runtime, embeddedStorage: true });
    const [dag] = load(text).dags;
    expect(dag!.kwargs).toMatchObject({ dag_id: 'vitrina_shop', schedule: null, max_active_tasks: 1 });
    expect(dag!.tasks).toHaveLength(4);
  });

  it('falls back to one task per asset when the groups form a cycle, and says so', () => {
    const cyclic = [asset('a.one'), asset('b.two', ['a.one']), asset('a.three', ['b.two'])];
    const { text, dags } = airflowDagFile(location(cyclic, [{}]), runtime);
    expect(dags[0]!.groupCycle).toEqual(['a', 'b', 'a']);
    const loaded = load(text);
    expect(edges(loaded.dags[0]!.tasks)).toEqual({ 'a.one': [], 'b.two': ['a.one'], 'a.three': ['b.two'] });
    expect(loaded.doc).toContain('depend on each other in a cycle (a → b → a)');
  });

  it('quotes hostile keys, names, paths and values for Python and bash alike', () => {
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell expansion is what must stay inert.
    const key = 'stage.o\'k"$(touch${IFS}pwned)`id`{{ds}}\\;|&';
    const hostileRuntime: AirflowRuntime = {
      ...runtime,
      command: ['/opt/no de/node', "--import=it's"],
      cwd: `/tmp/a 'b' "c" $(x) {{y}} \\`,
      env: { VITRINA_DEFINITIONS: `/x/"""'\n.ts` },
      workerEnv: ['VITRINA_DATABASE_URL'],
    };
    const description = 'ends in a quote and a backslash """ \\';
    const { text } = airflowDagFile(
      location(
        [asset(key), asset('stage.other'), asset('mart.x', [key])],
        [{ description, selection: `${key} mart.x` }],
        `it's "shop"`,
      ),
      hostileRuntime,
    );
    const loaded = load(text);
    const [dag] = loaded.dags;
    expect(dag!.kwargs).toMatchObject({
      dag_id: 'vitrina_it_s__shop__s0',
      description,
      tags: ['vitrina', `it's "shop"`],
    });
    expect(loaded.doc).toContain(description);
    const [stage] = dag!.tasks;
    expect(stage!.kwargs).toMatchObject({ cwd: hostileRuntime.cwd, env: hostileRuntime.env });
    const [guard, command] = stage!.kwargs.bash_command.split(' exit 2; }; exec ');
    // biome-ignore lint/suspicious/noTemplateCurlyInString: the guard is bash text.
    expect(guard).toContain('test -n "${VITRINA_DATABASE_URL:-}"');
    const words = execFileSync(
      'python3',
      ['-c', 'import json, shlex, sys; print(json.dumps(shlex.split(sys.argv[1])))', command!],
      {
        encoding: 'utf8',
      },
    );
    expect(JSON.parse(words)).toEqual([...hostileRuntime.command, 'materialize', key]);
    expect(edges(dag!.tasks)).toEqual({ stage: [], mart: ['stage'] });
    expect(stage!.kwargs.doc_md).toContain(key);
  });
});
