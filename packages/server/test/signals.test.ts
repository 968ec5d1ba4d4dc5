import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../../..');
const main = resolve(import.meta.dirname, '../src/cli/main.ts');
const failing = resolve(import.meta.dirname, 'fixtures/failing.ts');

let home: string;
beforeEach(() => {
  home = mkdtempSync(join(tmpdir(), 'vitrina-signals-'));
});
afterEach(() => rmSync(home, { recursive: true, force: true }));

const env = (extra: Record<string, string> = {}) => ({
  ...process.env,
  NO_COLOR: '1',
  VITRINA_HOME: home,
  VITRINA_DATABASE_URL: '',
  VITRINA_DEFINITIONS: failing,
  ...extra,
});

function vitrina(args: string[]) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', main, ...args], {
    cwd: root,
    encoding: 'utf8',
    env: env(),
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `materialize demo.*` with a middle step that hangs, and resolves once it is hanging. */
async function hangingRun(extra: Record<string, string> = {}) {
  const child = spawn(process.execPath, ['--import', 'tsx', main, 'materialize', 'demo.*'], {
    cwd: root,
    env: env({ HANG_MIDDLE: '1', ...extra }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: string | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  for await (const line of createInterface({ input: child.stdout })) if (line === 'middle is hanging') break;
  await new Promise((done) => setTimeout(done, 300));
  return { child, exited, stderr: () => stderr };
}

/** The id and status of the newest run, as `vitrina runs` lists it. */
function latestRun(): { id: string; status: string; listing: string } {
  const { stdout, stderr } = vitrina(['runs', '--limit', '1']);
  const row = stdout.trim().split('\n').at(-1) ?? '';
  const [id = '', status = ''] = row.trim().split(/\s+/);
  return { id, status, listing: `${stderr}${stdout}` };
}

describe('signals and killed processes', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    '%s cancels the run, records it and exits within 10 s',
    async (signal) => {
      const { child, exited } = await hangingRun();
      const sent = Date.now();
      child.kill(signal);
      const { code } = await exited;
      expect(Date.now() - sent).toBeLessThan(10_000);
      expect(code).not.toBe(0);
      expect(latestRun().status).toBe('cancelled');
    },
    60_000,
  );

  it('exits within 10 s even when the location cannot close, and the run is still recorded', async () => {
    const { child, exited, stderr } = await hangingRun({ HANG_CLOSE: '1' });
    const sent = Date.now();
    child.kill('SIGTERM');
    const { code } = await exited;
    expect(Date.now() - sent).toBeLessThan(11_000);
    expect(code).toBe(143);
    expect(stderr()).toMatch(/SIGTERM: cancelling; a second signal stops at once/);
    expect(latestRun().status).toBe('cancelled');
  }, 60_000);

  it('a second signal stops at once', async () => {
    const { child, exited } = await hangingRun({ HANG_CLOSE: '1' });
    const sent = Date.now();
    child.kill('SIGINT');
    await new Promise((done) => setTimeout(done, 200));
    child.kill('SIGINT');
    const { code } = await exited;
    expect(Date.now() - sent).toBeLessThan(5_000);
    expect(code).toBe(130);
    expect(latestRun().status).toBe('cancelled');
  }, 60_000);

  it('serve: SIGTERM with a run in flight cancels it, records it and exits within 10 s', async () => {
    const token = 'signals-test-token-0123456789';
    const child = spawn(process.execPath, ['--import', 'tsx', main, 'serve'], {
      cwd: root,
      env: env({ HANG_MIDDLE: '1', VITRINA_PORT: '0', VITRINA_SCHEDULER: 'off', VITRINA_API_TOKEN: token }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    let address = '';
    const lines = createInterface({ input: child.stdout });
    for await (const line of lines) {
      address = /listening on (http:\/\/\S+)/.exec(line)?.[1] ?? address;
      if (address) break;
    }
    const response = await fetch(`${address}/api/materialize`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ selection: 'demo.*' }),
    });
    expect(response.status).toBe(202);
    for await (const line of lines) if (line === 'middle is hanging') break;
    const sent = Date.now();
    child.kill('SIGTERM');
    await exited;
    expect(Date.now() - sent).toBeLessThan(10_000);
    expect(latestRun().status).toBe('cancelled');
  }, 60_000);

  it('after kill -9 the next command marks the run failed, and rerun takes it at once', async () => {
    const { child, exited } = await hangingRun();
    child.kill('SIGKILL');
    await exited;
    const { id, status, listing } = latestRun();
    expect(listing).toMatch(
      new RegExp(`vitrina: run ${id.slice(0, 8)} marked failed: process died: process \\d+ on .+ is gone`),
    );
    expect(status).toBe('failed');
    const rerun = vitrina(['rerun', id]);
    expect(rerun.stdout).not.toMatch(/still running/);
    expect(rerun.code).toBe(0);
  }, 90_000);
});
