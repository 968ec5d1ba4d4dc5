import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { http } from './http.ts';

const root = resolve(import.meta.dirname, '../../..');
const main = resolve(import.meta.dirname, '../src/cli/main.ts');
const failing = resolve(import.meta.dirname, 'fixtures/failing.ts');

let home: string;
let server: ChildProcess;
let serverExited: Promise<number | null>;
let api: { url: string; token: string };

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  NO_COLOR: '1',
  VITRINA_HOME: home,
  VITRINA_DATABASE_URL: '',
  VITRINA_DEFINITIONS: failing,
  VITRINA_PORT: '0',
  VITRINA_API_TOKEN: '',
  ...extra,
});

function vitrina(args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: env(extra),
    timeout: 60_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

async function runsSeenByServer(): Promise<Array<{ id: string; status: string }>> {
  const answer = await http(`${api.url}/api/runs?limit=50`, {
    headers: { authorization: `Bearer ${api.token}` },
  });
  expect(answer.status).toBe(200);
  return (answer.json() as { runs: Array<{ id: string; status: string }> }).runs;
}

beforeAll(async () => {
  home = mkdtempSync(join(tmpdir(), 'vitrina-beside-'));
  server = spawn(process.execPath, ['--import', 'tsx', main, 'serve'], {
    cwd: root,
    env: env(),
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  serverExited = new Promise((done) => server.once('exit', (code) => done(code)));
  let url = '';
  let token = '';
  for await (const line of createInterface({ input: server.stdout as NodeJS.ReadableStream })) {
    url ||= /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? '';
    token ||= /API token: (\w+)/.exec(line)?.[1] ?? '';
    if (url && token) break;
  }
  api = { url, token };
}, 60_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  await serverExited;
  rmSync(home, { recursive: true, force: true });
});

describe('the CLI beside `vitrina serve` on the embedded run storage', () => {
  it('materialises, tests and lists runs through the running server, which sees them', async () => {
    const run = vitrina(['materialize', 'demo.*']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const id = /run (\S+) success/.exec(run.stdout)?.[1] ?? '';
    expect(id).not.toBe('');
    expect(await runsSeenByServer()).toContainEqual(expect.objectContaining({ id, status: 'success' }));

    expect(vitrina(['plan', 'demo.*']).stdout).toMatch(/^Nothing to materialise/);
    const tested = vitrina(['test', 'demo.first'], { WARN_FIRST: '1' });
    expect(tested.code).toBe(0);
    expect(tested.stdout).toMatch(/looks_usual\s+demo\.first\s+warn\s+fewer rows than usual/);
    expect(vitrina(['runs']).stdout).toContain(id.slice(0, 8));
  }, 120_000);

  it('records a CLI run killed beside the server as failed, and the server keeps answering', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'materialize', 'demo.*', '--force'], {
      cwd: root,
      env: env({ HANG_MIDDLE: '1' }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise((done) => child.once('exit', done));
    for await (const line of createInterface({ input: child.stdout }))
      if (line === 'middle is hanging') break;
    child.kill('SIGKILL');
    await exited;
    // Whichever looks first ends it: this command, or the server's scheduler on its tick.
    const listed = vitrina(['runs', '--limit', '1']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/failed/);
    const [newest] = await runsSeenByServer();
    expect(newest?.status).toBe('failed');
  }, 120_000);

  it('refuses a second server on the same store, naming the first', () => {
    const second = vitrina(['serve']);
    expect(second.code).toBe(2);
    expect(second.stderr.trim()).toMatch(
      new RegExp(
        `^vitrina: the embedded run storage in .+ is open in process ${server.pid} \\(vitrina serve\\), and a server or scheduler must own its storage; .*VITRINA_DATABASE_URL`,
      ),
    );
  }, 60_000);

  it('after the server stops, the CLI owns the store again and the socket is gone', async () => {
    server.kill('SIGTERM');
    expect(await serverExited).toBe(0);
    expect(existsSync(join(home, 'pglite.sock'))).toBe(false);
    expect(existsSync(join(home, 'pglite.lock'))).toBe(false);
    const listed = vitrina(['runs']);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/success/);
  }, 60_000);
});
