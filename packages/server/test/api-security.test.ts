/**
 * The API's guard, over real HTTP against the real server (startServer on an ephemeral port): the
 * token (file, cookie, Bearer), the Host and Origin checks, a bind beyond loopback, bad parameters
 * and logged 500s.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import { quarantineDdl } from '@vitrina/io';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startupLines } from '../src/cli/commands/serve.ts';
import { type RunningServer, startServer } from '../src/server.ts';
import { demoLocation, demoWorkspace } from './fixtures/api.ts';
import { http } from './http.ts';

const quiet = { VITRINA_PORT: '0', VITRINA_SCHEDULER: 'off' };

let storage: TestStorage;
let warehouse: { url: string; drop: () => Promise<void> };
let workspace: ReturnType<typeof demoWorkspace>;
let server: RunningServer;
let uiDir: string;
/** The token the server generated into its home at start-up. */
let token: string;

beforeAll(async () => {
  storage = await openTestStorage('postgres');
  warehouse = await tempDatabase('vitrina_api_guard');
  const db = new pg.Client({ connectionString: warehouse.url });
  await db.connect();
  await db.query(quarantineDdl);
  await db.end();
  workspace = demoWorkspace(storage.storage, demoLocation({ warehouseUrl: warehouse.url }));
  uiDir = mkdtempSync(join(tmpdir(), 'vitrina-ui-'));
  writeFileSync(join(uiDir, 'index.html'), '<!doctype html><title>Vitrina</title>');
  writeFileSync(join(uiDir, 'app.js'), 'console.log(1)');
  server = await startServer(workspace, quiet, { uiDir });
  token = readFileSync(join(workspace.config.home, 'api-token'), 'utf8').trim();
});
afterAll(async () => {
  await server?.close();
  await storage?.dispose();
  await warehouse?.drop();
  workspace?.dispose();
  if (uiDir) rmSync(uiDir, { recursive: true, force: true });
});

const hostOf = (url: string) => new URL(url).host;
const materialize = (headers: Record<string, string>, url = server.url) =>
  http(`${url}/api/materialize`, { method: 'POST', headers, body: { selection: 'demo.first', force: true } });
const runCount = async () =>
  ((await http(`${server.url}/api/runs?limit=500`).then((r) => r.json())) as { runs: unknown[] }).runs.length;

describe('the API token', () => {
  it('is generated at the first start into VITRINA_HOME, mode 0600, and kept across restarts', async () => {
    const file = join(workspace.config.home, 'api-token');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(token).toMatch(/^[\w-]{40,}$/);
    expect(server.token).toEqual({ token, source: 'generated', file });
    const again = await startServer(workspace, quiet);
    try {
      expect(again.token).toEqual({ token, source: 'file', file });
      expect(startupLines(again)[1]).toContain(`API token: ${token} (from ${file}`);
    } finally {
      await again.close();
    }
  });

  it('is VITRINA_API_TOKEN when set (not echoed), and a token file others can read is refused', async () => {
    const chosen = await startServer(workspace, { ...quiet, VITRINA_API_TOKEN: 'chosen-by-the-operator' });
    try {
      expect((await materialize({ authorization: 'Bearer chosen-by-the-operator' })).status).toBe(401);
      expect((await materialize({ authorization: 'Bearer chosen-by-the-operator' }, chosen.url)).status).toBe(
        202,
      );
      expect((await materialize({ authorization: `Bearer ${token}` }, chosen.url)).status).toBe(401);
      expect(startupLines(chosen).join('\n')).not.toContain('chosen-by-the-operator');
    } finally {
      await chosen.close();
    }
    const home = mkdtempSync(join(tmpdir(), 'vitrina-api-home-'));
    try {
      mkdirSync(home, { recursive: true });
      writeFileSync(join(home, 'api-token'), 'a-token-everyone-can-read\n');
      chmodSync(join(home, 'api-token'), 0o644);
      await expect(
        startServer({ ...workspace, config: { ...workspace.config, home } }, quiet),
      ).rejects.toThrow(/api-token is readable by other users \(mode 644\)/);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('guards every mutating route on loopback: Bearer (any case) or the cookie, never a bare token', async () => {
    const before = await runCount();
    const refused: Record<string, string>[] = [
      {},
      { authorization: token },
      { authorization: `Basic ${token}` },
      { authorization: 'Bearer wrong-token-wrong-token' },
      { cookie: 'vitrina_token=wrong-token-wrong-token' },
    ];
    for (const headers of refused) {
      const answer = await materialize(headers);
      expect(answer.status).toBe(401);
      expect(answer.json()).toMatchObject({ error: 'unauthorized' });
    }
    for (const url of ['/api/runs/x/cancel', '/api/runs/x/rerun']) {
      expect((await http(`${server.url}${url}`, { method: 'POST' })).status).toBe(401);
    }
    expect(await runCount()).toBe(before);
    expect((await materialize({ authorization: `Bearer ${token}` })).status).toBe(202);
    expect((await materialize({ authorization: `bEaReR ${token}` })).status).toBe(202);
    expect((await materialize({ cookie: `other=1; vitrina_token=${token}` })).status).toBe(202);
    expect((await http(`${server.url}/api/assets`)).status).toBe(200);
  });

  it("is handed to the UI's index page in an HttpOnly, SameSite=Strict cookie, and only there", async () => {
    for (const path of ['/', '/runs/some-run']) {
      const page = await http(`${server.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.text).toContain('<title>Vitrina</title>');
      const cookie = String(page.headers['set-cookie']);
      expect(cookie).toMatch(new RegExp(`^vitrina_token=${token};`));
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Strict/);
    }
    expect((await http(`${server.url}/app.js`)).headers['set-cookie']).toBeUndefined();
    expect((await http(`${server.url}/api/assets`)).headers['set-cookie']).toBeUndefined();
  });
});

describe('the Host check (DNS rebinding)', () => {
  it.each(['evil.example', 'evil.example:3030', '127.0.0.1.evil.example', 'localhost@evil.example'])(
    'refuses Host %j with 421, reads and health included',
    async (host) => {
      for (const path of ['/api/assets', '/api/health', '/']) {
        const answer = await http(`${server.url}${path}`, { headers: { host } });
        expect(answer.status).toBe(421);
        expect(answer.json()).toMatchObject({ error: 'unknown_host' });
      }
      const post = await materialize({ host, authorization: `Bearer ${token}` });
      expect(post.status).toBe(421);
    },
  );

  it("answers to loopback's names and to VITRINA_ALLOWED_HOSTS", async () => {
    const port = new URL(server.url).port;
    for (const host of [`localhost:${port}`, `127.0.0.1:${port}`, `[::1]:${port}`, 'LOCALHOST']) {
      expect((await http(`${server.url}/api/health`, { headers: { host } })).status).toBe(200);
    }
    const named = await startServer(workspace, {
      ...quiet,
      VITRINA_ALLOWED_HOSTS: 'vitrina.internal, Warehouse.LAN',
    });
    try {
      const port = new URL(named.url).port;
      for (const host of [`vitrina.internal:${port}`, 'warehouse.lan']) {
        expect((await http(`${named.url}/api/assets`, { headers: { host } })).status).toBe(200);
      }
      expect((await http(`${named.url}/api/assets`, { headers: { host: 'other.internal' } })).status).toBe(
        421,
      );
    } finally {
      await named.close();
    }
    await expect(startServer(workspace, { ...quiet, VITRINA_ALLOWED_HOSTS: 'http://x/' })).rejects.toThrow(
      /VITRINA_ALLOWED_HOSTS: "http:\/\/x\/" is not a host name/,
    );
  });
});

describe('the Origin check (cross-site requests)', () => {
  it('refuses a mutating request from another site even with the cookie, and starts nothing', async () => {
    const before = await runCount();
    const port = new URL(server.url).port;
    const withCookie = { cookie: `vitrina_token=${token}` };
    for (const origin of [
      'http://evil.example',
      'null',
      `http://127.0.0.1:${Number(port) + 1}`,
      `http://localhost:${port}`,
    ]) {
      const answer = await materialize({ ...withCookie, origin });
      expect(answer.status, origin).toBe(403);
      expect(answer.json()).toMatchObject({
        error: 'forbidden',
        message: expect.stringMatching(/cross-site/),
      });
    }
    expect((await materialize({ ...withCookie, 'sec-fetch-site': 'cross-site' })).status).toBe(403);
    expect(await runCount()).toBe(before);
    expect((await materialize({ ...withCookie, origin: server.url })).status).toBe(202);
    // The scheme is not compared: behind a TLS proxy the page is https and the request reaches us as http.
    expect((await materialize({ ...withCookie, origin: `https://${hostOf(server.url)}` })).status).toBe(202);
    expect((await materialize({ ...withCookie, 'sec-fetch-site': 'same-origin' })).status).toBe(202);
    // Reads carry no Origin rule: a page elsewhere cannot read the answer anyway (no CORS headers).
    expect(
      (await http(`${server.url}/api/assets`, { headers: { origin: 'http://evil.example' } })).status,
    ).toBe(200);
  });
});

describe('a bind beyond loopback', () => {
  it('needs the token on every route but /api/health, and logs the UI in from the printed address', async () => {
    const exposed = await startServer(workspace, {
      ...quiet,
      VITRINA_HOST: '0.0.0.0',
      VITRINA_API_TOKEN: 'the-operators-own-token',
    });
    try {
      const port = new URL(exposed.url).port;
      expect(exposed.address).toBe(`http://0.0.0.0:${port}`);
      expect(startupLines(exposed)[0]).toContain(`listening on http://0.0.0.0:${port}`);
      expect(startupLines(exposed)[2]).toBe(`UI: http://127.0.0.1:${port}/?token=$VITRINA_API_TOKEN`);
      for (const path of ['/api/assets', '/api/runs', '/api/quarantine', '/api/openapi.json']) {
        const answer = await http(`${exposed.url}${path}`);
        expect(answer.status, path).toBe(401);
        expect(answer.json()).toMatchObject({ error: 'unauthorized' });
        const bearer = { authorization: 'Bearer the-operators-own-token' };
        expect((await http(`${exposed.url}${path}`, { headers: bearer })).status, path).toBe(200);
      }
      expect((await http(`${exposed.url}/api/health`)).status).toBe(200);
      expect(
        (
          await http(`${exposed.url}/api/assets`, {
            headers: { cookie: 'vitrina_token=the-operators-own-token' },
          })
        ).status,
      ).toBe(200);

      const page = await http(`${exposed.url}/`);
      expect(page.status).toBe(401);
      expect(page.headers['set-cookie']).toBeUndefined();
      expect((await http(`${exposed.url}/?token=wrong`)).status).toBe(401);
      const login = await http(`${exposed.url}/runs/abc?token=the-operators-own-token&x=1`);
      expect(login.status).toBe(303);
      expect(login.headers.location).toBe('/runs/abc?x=1');
      expect(String(login.headers['set-cookie'])).toMatch(
        /^vitrina_token=the-operators-own-token;.*HttpOnly/,
      );
    } finally {
      await exposed.close();
    }
  });

  it('prints the loopback address it is bound to', () => {
    expect(server.address).toBe(server.url);
    expect(startupLines(server)[0]).toContain(`listening on ${server.url} `);
  });
});

describe('bad parameters and failures', () => {
  it.each([
    ['/api/quarantine?source=a%00b', 'querystring.source'],
    ['/api/quarantine?partition=%00', 'querystring.partition'],
    ['/api/quarantine?offset=2147483648', 'querystring.offset'],
    ['/api/quarantine/summary?source=%00', 'querystring.source'],
    ['/api/quarantine/summary?from=2026-02-30', 'querystring.from'],
    ['/api/runs/abc%00/events', 'params.id'],
    ['/api/runs/abc/events?after=2147483648', 'querystring.after'],
    ['/api/runs/abc%00', 'params.id'],
    ['/api/runs?offset=2147483648', 'querystring.offset'],
    ['/api/assets/demo%00first', 'params.key'],
    ['/api/plan?selection=demo.first%00', 'querystring.selection'],
    ['/api/plan?selection=*&partition=0000-01-01', 'querystring.partition'],
  ])('answers 400 naming the parameter for GET %s', async (url, field) => {
    const answer = await http(`${server.url}${url}`);
    expect(answer.status).toBe(400);
    expect(answer.json()).toMatchObject({ error: 'bad_request', field });
  });

  it('answers 400 for a NUL byte in a body, a day that does not exist and a bad Last-Event-ID', async () => {
    const auth = { authorization: `Bearer ${token}` };
    for (const [body, field] of [
      [{ selection: 'demo.first\u0000' }, 'body.selection'],
      [{ selection: '*', partition: '2026-02-30' }, 'body.partition'],
    ] as const) {
      const answer = await http(`${server.url}/api/materialize`, { method: 'POST', headers: auth, body });
      expect(answer.status).toBe(400);
      expect(answer.json()).toMatchObject({ field });
    }
    const stream = await http(`${server.url}/api/runs/abc/stream`, {
      headers: { 'last-event-id': '2147483648' },
    });
    expect(stream.status).toBe(400);
    expect(stream.json()).toMatchObject({ field: 'headers.last-event-id' });
  });

  it('logs every 500 to stderr with its request id, method, url and stack, and answers with the id', async () => {
    const db = new pg.Client({ connectionString: warehouse.url });
    await db.connect();
    const written: string[] = [];
    const spy = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      // A quarantine table that lost a column: the read fails inside the server.
      await db.query('alter table quarantine.rows rename column reason to why');
      const answer = await http(`${server.url}/api/quarantine?source=x`);
      expect(answer.status).toBe(500);
      const body = answer.json() as { requestId: string };
      expect(body.requestId).toMatch(/^[\w-]{8,}$/);
      expect(body).toEqual({
        error: 'internal',
        message: `internal error (request ${body.requestId}); see the server log`,
        requestId: body.requestId,
      });
      const lines = written.filter((line) => line.includes(body.requestId));
      expect(lines).toHaveLength(1);
      const logged = JSON.parse(lines[0]!) as Record<string, string>;
      expect(logged).toMatchObject({
        requestId: body.requestId,
        method: 'GET',
        url: '/api/quarantine?source=x',
      });
      expect(logged.stack).toMatch(/column "reason" does not exist[\s\S]*\n\s+at /);
    } finally {
      spy.mockRestore();
      await db.query('alter table quarantine.rows rename column why to reason');
      await db.end();
    }
  });
});
