import {
  assetHealths,
  assetStorages,
  defineLocation,
  type Location,
  RunLauncher,
  runEventTypes,
  runStatuses,
  runTriggers,
  stepStatuses,
} from '@vitrina/core';
import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import { quarantineDdl, replaceQuarantine } from '@vitrina/io';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApi } from '../src/api/app.ts';
import { startServer } from '../src/server.ts';
import { broken, demoAsset, demoLocation, demoWorkspace } from './fixtures/api.ts';

const TOKEN = 'a-long-enough-secret-token';
const auth = { authorization: `Bearer ${TOKEN}` };
const location = demoLocation();
const asset = demoAsset;

let test: TestStorage;
let workspace: ReturnType<typeof demoWorkspace>;
let launcher: RunLauncher;
let app: FastifyInstance;

beforeAll(async () => {
  test = await openTestStorage('pglite');
  workspace = demoWorkspace(test.storage, location);
  launcher = new RunLauncher({ location, storage: test.storage, pools: {}, maxParallel: 4 });
  app = await buildApi({ workspace, launcher, token: TOKEN });
});
afterAll(async () => {
  await app?.close();
  await launcher?.close();
  await test?.dispose();
  workspace?.dispose();
});

const get = async (url: string) => {
  const response = await app.inject({ method: 'GET', url });
  return { status: response.statusCode, body: response.json() };
};
const post = async (url: string, payload?: object, headers: Record<string, string> = {}) => {
  const response = await app.inject({ method: 'POST', url, payload, headers: { ...auth, ...headers } });
  return { status: response.statusCode, body: response.json() };
};
async function waitForRun(runId: string) {
  for (;;) {
    const { body } = await get(`/api/runs/${runId}`);
    if (body.run.status !== 'running') return body;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('HTTP API', () => {
  it('serves the asset graph with states and edges', async () => {
    const { status, body } = await get('/api/assets');
    expect(status).toBe(200);
    expect(body.nodes.map((n: { key: string }) => n.key).sort()).toEqual([
      'demo.broken',
      'demo.first',
      'demo.last',
      'demo.slow',
    ]);
    expect(body.nodes.every((n: { health: string }) => n.health === 'never')).toBe(true);
    expect(body.edges).toContainEqual({ from: 'demo.slow', to: 'demo.last' });
    expect(body.edges).toHaveLength(3);
    expect(body.standIns).toEqual(['payments core: a test double']);
  });

  it('materialises a selection, then reports nothing stale', async () => {
    const launched = await post('/api/materialize', { selection: '*' });
    expect(launched.status).toBe(202);
    expect(launched.body.steps).toBe(4);
    const { run, steps } = await waitForRun(launched.body.runId);
    expect(run.status).toBe('success');
    expect(steps.map((s: { rowCount: number }) => s.rowCount)).toEqual([7, 7, 7, 7]);

    const again = await post('/api/materialize', { selection: '*' });
    expect(again).toEqual({ status: 200, body: { runId: null, steps: 0, message: 'nothing is stale' } });
    const graph = await get('/api/assets');
    expect(graph.body.nodes.every((n: { health: string }) => n.health === 'fresh')).toBe(true);
  });

  it('serves one asset with its history and checks, and 404 for an unknown one', async () => {
    const { status, body } = await get('/api/assets/demo.slow');
    expect(status).toBe(200);
    expect(body.asset).toMatchObject({
      key: 'demo.slow',
      deps: [{ key: 'demo.first', mapping: { kind: 'all' } }],
      downstream: ['demo.last'],
    });
    expect(body.materializations[0]).toMatchObject({
      status: 'success',
      rowCount: 7,
      metadata: { note: 'ok' },
    });
    expect(body.checkResults[0]).toMatchObject({ checkName: 'always_passes', passed: true });
    expect(body.partitions).toHaveLength(1);
    expect(await get('/api/assets/demo.nope')).toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it.each([
    [
      '/api/materialize',
      { selection: 'demo.frist' },
      undefined,
      /unknown asset "demo.frist" \(did you mean "demo.first"/,
    ],
    ['/api/materialize', { selection: '*', partition: '2026-1-1' }, 'body.partition', /YYYY-MM-DD/],
    [
      '/api/materialize',
      { selection: '*', partition: '2026-01-02', from: '2026-01-01' },
      undefined,
      /either --partition or --from/,
    ],
    ['/api/materialize', { selection: '*', colour: 'red' }, 'body', /colour/],
    ['/api/materialize', { selection: '' }, 'body.selection', /give asset keys/],
    ['/api/materialize', { selection: '*', force: 'yes' }, 'body.force', /boolean/],
    ['/api/materialize', { selection: '*', checksOnly: 1 }, 'body.checksOnly', /boolean/],
    ['/api/materialize', { selection: '*', checksOnly: true, force: true }, 'body.force', /not both/],
  ])('answers 400 naming the field for POST %s %j', async (url, payload, field, message) => {
    const { status, body } = await post(url, payload);
    expect(status).toBe(400);
    expect(body.error).toBe('bad_request');
    if (field) expect(body.field).toBe(field);
    expect(body.message).toMatch(message);
  });

  it.each([
    ['/api/runs?limit=0', 'querystring.limit'],
    ['/api/runs?status=exploded', 'querystring.status'],
    ['/api/assets/demo.first?limit=many', 'querystring.limit'],
    ['/api/runs/abc/events?after=-1', 'querystring.after'],
    ['/api/plan?selection=*&force=perhaps', 'querystring.force'],
  ])('answers 400 naming the field for GET %s', async (url, field) => {
    const { status, body } = await get(url);
    expect(status).toBe(400);
    expect(body.field).toBe(field);
  });

  it('plans without running', async () => {
    const { status, body } = await get('/api/plan?selection=%2Bdemo.last&force=true');
    expect(status).toBe(200);
    expect(body.steps.map((s: { assetKey: string }) => s.assetKey)).toEqual([
      'demo.first',
      'demo.slow',
      'demo.last',
    ]);
    expect(body.steps[0].reasons[0].kind).toBe('forced');
  });

  it('cancels a running run, and refuses to cancel a finished one', async () => {
    const launched = await post('/api/materialize', { selection: 'demo.slow', force: true });
    expect(launched.status).toBe(202);
    expect(await post(`/api/runs/${launched.body.runId}/cancel`)).toEqual({
      status: 202,
      body: { cancelled: true },
    });
    const { run } = await waitForRun(launched.body.runId);
    expect(run.status).toBe('cancelled');
    const again = await post(`/api/runs/${launched.body.runId}/cancel`);
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/is cancelled/);
  });

  it('re-runs only what did not succeed', async () => {
    broken.now = true;
    const first = await post('/api/materialize', { selection: 'demo.first+', force: true });
    const failed = await waitForRun(first.body.runId);
    expect(failed.run.status).toBe('failed');
    broken.now = false;
    const rerun = await post(`/api/runs/${first.body.runId.slice(0, 8)}/rerun`);
    expect(rerun.status).toBe(202);
    expect(rerun.body.steps).toBe(1);
    const done = await waitForRun(rerun.body.runId);
    expect(done.run).toMatchObject({ status: 'success', trigger: 'rerun', parentRunId: first.body.runId });
    expect(done.steps.map((s: { assetKey: string }) => s.assetKey)).toEqual(['demo.broken']);
  });

  it('runs the checks only, on what is materialised, writing no materialisation', async () => {
    const history = async () => (await get('/api/assets/demo.first')).body.materializations.length;
    const before = await history();
    const launched = await post('/api/materialize', { selection: 'demo.first demo.slow', checksOnly: true });
    expect(launched).toMatchObject({
      status: 202,
      body: { steps: 2, message: 'check-only run of 2 steps started' },
    });
    const { run, steps } = await waitForRun(launched.body.runId);
    expect(run).toMatchObject({ status: 'success', trigger: 'checks' });
    expect(steps.map((s: { assetKey: string; rowCount: number }) => [s.assetKey, s.rowCount])).toEqual([
      ['demo.first', 7],
      ['demo.slow', 7],
    ]);
    expect(await history()).toBe(before);
    const checked = (await get('/api/assets/demo.first')).body.checkResults[0];
    expect(checked).toMatchObject({ runId: run.id, checkName: 'always_passes', passed: true });
  });

  it("lists runs and a run's events in order, and 404 for an unknown run", async () => {
    const { body } = await get('/api/runs?limit=2');
    expect(body.runs).toHaveLength(2);
    const events = await get(`/api/runs/${body.runs[0].id}/events`);
    const seqs = events.body.events.map((e: { seq: number }) => e.seq);
    expect(seqs).toEqual(seqs.map((_: number, i: number) => i + 1));
    expect(events.body.events.at(-1).type).toBe('run_finished');
    expect(await get('/api/runs/no-such-run')).toMatchObject({ status: 404 });
  });

  it('describes itself in OpenAPI', async () => {
    const { status, body } = await get('/api/openapi.json');
    expect(status).toBe(200);
    expect(body.openapi).toMatch(/^3\./);
    for (const path of [
      '/api/assets',
      '/api/assets/{key}',
      '/api/materialize',
      '/api/runs/{id}/stream',
      '/api/runs/{id}/rerun',
      '/api/cursors',
    ]) {
      expect(Object.keys(body.paths)).toContain(path);
    }
    // The enums are core's own arrays, not copies.
    const answer = (path: string) => body.paths[path].get.responses['200'].content['application/json'].schema;
    const node = answer('/api/assets').properties.nodes.items.properties;
    expect(node.storage.enum).toEqual([...assetStorages]);
    expect(node.health.enum).toEqual([...assetHealths]);
    const run = answer('/api/runs').properties.runs.items.properties;
    expect(run.status.enum).toEqual([...runStatuses]);
    expect(run.trigger.enum).toEqual([...runTriggers]);
    expect(answer('/api/runs/{id}').properties.steps.items.properties.status.enum).toEqual([...stepStatuses]);
    expect(answer('/api/runs/{id}/events').properties.events.items.properties.type.enum).toEqual([
      ...runEventTypes,
    ]);
  });
});

describe('live events over Server-Sent Events', () => {
  it('streams a run from its first event to run_finished', async () => {
    const server = await startServer(workspace, { VITRINA_PORT: '0', VITRINA_API_TOKEN: TOKEN });
    try {
      const launched = await fetch(`${server.url}/api/materialize`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ selection: '+demo.last', force: true }),
      }).then((response) => response.json() as Promise<{ runId: string }>);
      const response = await fetch(`${server.url}/api/runs/${launched.runId}/stream`);
      expect(response.headers.get('content-type')).toMatch(/text\/event-stream/);
      const text = await response.text(); // the server ends the stream after run_finished
      const events = text
        .trim()
        .split('\n\n')
        .map((block) =>
          JSON.parse(
            block
              .split('\n')
              .find((line) => line.startsWith('data: '))!
              .slice(6),
          ),
        );
      expect(events[0].type).toBe('run_started');
      expect(events.at(-1).type).toBe('run_finished');
      expect(events.map((e) => e.seq)).toEqual(events.map((_, i) => i + 1));
      expect(events.filter((e) => e.type === 'step_succeeded').map((e) => e.assetKey)).toEqual([
        'demo.first',
        'demo.slow',
        'demo.last',
      ]);

      // A finished run replays from storage; Last-Event-ID resumes after the given event.
      const resumed = await fetch(`${server.url}/api/runs/${launched.runId}/stream`, {
        headers: { 'last-event-id': '3' },
      });
      const ids = (await resumed.text()).match(/^id: \d+$/gm)!.map((line) => Number(line.slice(4)));
      expect(ids[0]).toBe(4);
      expect(ids.at(-1)).toBe(events.length);
    } finally {
      await server.close();
    }
  });
});

describe('the API token', () => {
  it('refuses to listen beyond loopback without a token', async () => {
    await expect(startServer(workspace, { VITRINA_HOST: '0.0.0.0', VITRINA_PORT: '0' })).rejects.toThrow(
      /VITRINA_HOST: 0\.0\.0\.0 is not a loopback address; set VITRINA_API_TOKEN/,
    );
    await expect(startServer(workspace, { VITRINA_API_TOKEN: 'short' })).rejects.toThrow(
      /VITRINA_API_TOKEN: use at least 16/,
    );
  });
});

describe('warehouse reads: columns and quarantine', () => {
  it('answers empty without a warehouse, and 400 for a bad page', async () => {
    expect(await get('/api/quarantine')).toEqual({ status: 200, body: { rows: [], total: 0 } });
    expect((await get('/api/quarantine?limit=0')).body.field).toBe('querystring.limit');
    expect(await get('/api/quarantine/summary')).toEqual({ status: 200, body: { groups: [] } });
    const bad = await get('/api/quarantine/summary?from=yesterday');
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'querystring.from', message: 'expected a day as YYYY-MM-DD' });
    expect(await get('/api/assets/demo.first/columns')).toEqual({
      status: 200,
      body: { key: 'demo.first', table: 'not_read', columns: [] },
    });
    expect(await get('/api/assets/demo.nope/columns')).toMatchObject({ status: 404 });
  });

  it("shows an undocumented table's columns and pages quarantined rows by asset and partition", async () => {
    const warehouse = await tempDatabase('vitrina_api_wh');
    const pool = new pg.Pool({ connectionString: warehouse.url });
    const withWarehouse = defineLocation<null>({
      name: 'with-warehouse',
      assets: [asset('stage.payments', [])],
      resources: { open: async () => null, close: async () => {} },
      warehouseUrl: warehouse.url,
    }) as Location;
    const api = await buildApi({
      workspace: { ...workspace, location: withWarehouse },
      launcher,
      token: TOKEN,
    });
    try {
      await pool.query(
        `create schema stage; create table stage.payments (id int not null, amount numeric, note text); ${quarantineDdl}`,
      );
      const client = await pool.connect();
      const scope = { source: 'payments', asset: 'stage.payments', runId: 'r1' };
      await replaceQuarantine(client, { ...scope, partition: '2026-01-01' }, [
        { reason: 'amount: must be positive', raw: { id: 1, amount: '-5' } },
        { reason: 'currency: unknown XYZ', raw: { id: 2, currency: 'XYZ' } },
      ]);
      await replaceQuarantine(client, { ...scope, partition: '2026-01-02' }, [
        { reason: 'broken line', raw: 'a,b' },
      ]);
      client.release();

      // Undeclared columns are the table's alone (declared ones: test/api-columns.test.ts).
      const found = (await api.inject({ method: 'GET', url: '/api/assets/stage.payments/columns' })).json();
      expect(found.table).toBe('found');
      expect(
        found.columns.map((c: { name: string; type: string; source: string }) => [c.name, c.type, c.source]),
      ).toEqual([
        ['id', 'integer', 'database'],
        ['amount', 'numeric', 'database'],
        ['note', 'text', 'database'],
      ]);
      const page = (
        await api.inject({
          method: 'GET',
          url: '/api/quarantine?asset=stage.payments&partition=2026-01-01&limit=1',
        })
      ).json();
      expect(page.total).toBe(2);
      expect(page.rows).toHaveLength(1);
      expect(page.rows[0]).toMatchObject({
        source: 'payments',
        partition: '2026-01-01',
        runId: 'r1',
        reason: 'currency: unknown XYZ',
        raw: { id: 2, currency: 'XYZ' },
      });
      const all = (await api.inject({ method: 'GET', url: '/api/quarantine?source=payments' })).json();
      expect(all.total).toBe(3);
      expect(all.rows.map((row: { reason: string }) => row.reason)).toContain('broken line');

      const summary = (
        await api.inject({ method: 'GET', url: '/api/quarantine/summary?source=payments' })
      ).json();
      expect(
        summary.groups.map((group: { partition: string; rows: number; asset: string }) => [
          group.partition,
          group.asset,
          group.rows,
        ]),
      ).toEqual([
        ['2026-01-02', 'stage.payments', 1],
        ['2026-01-01', 'stage.payments', 2],
      ]);
      const day = (
        await api.inject({ method: 'GET', url: '/api/quarantine/summary?from=2026-01-02&to=2026-01-02' })
      ).json();
      expect(day.groups).toHaveLength(1);
      expect(
        (await api.inject({ method: 'GET', url: '/api/quarantine/summary?source=nobody' })).json().groups,
      ).toEqual([]);
    } finally {
      await api.close();
      await pool.end();
      await warehouse.drop();
    }
  });
});
