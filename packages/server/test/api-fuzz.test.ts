/**
 * Fuzzes the real API server with schemathesis over its own OpenAPI document: no answer may be a
 * 5xx, and every answer must match the schema documented for its status. schemathesis comes from
 * `.venv` (`scripts/setup.sh --test`); without it this test fails rather than skips.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { openTestStorage, type TestStorage, tempDatabase } from '@vitrina/core/testing';
import { quarantineDdl, replaceQuarantine } from '@vitrina/io';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningServer, startServer } from '../src/server.ts';
import { demoLocation, demoWorkspace } from './fixtures/api.ts';
import { http } from './http.ts';

const schemathesis = resolve(import.meta.dirname, '../../../.venv/bin/schemathesis');
/** Cases per operation and phase: about a minute on a 2-core machine. */
const MAX_EXAMPLES = 100;

let storage: TestStorage;
let warehouse: { url: string; drop: () => Promise<void> };
let workspace: ReturnType<typeof demoWorkspace>;
let server: RunningServer;
let scratch: string;

beforeAll(async () => {
  storage = await openTestStorage('postgres');
  warehouse = await tempDatabase('vitrina_api_fuzz');
  const db = new pg.Client({ connectionString: warehouse.url });
  await db.connect();
  await db.query(quarantineDdl);
  await replaceQuarantine(
    db,
    { source: 'payments', asset: 'demo.first', partition: '2026-01-01', runId: 'r1' },
    [{ reason: 'amount: must be positive', raw: { id: 1, amount: '-5' } }],
  );
  await db.end();
  workspace = demoWorkspace(storage.storage, demoLocation({ warehouseUrl: warehouse.url }));
  server = await startServer(workspace, { VITRINA_PORT: '0', VITRINA_SCHEDULER: 'off' });
  // Some history, so the reads answer with rows and not only empty lists.
  const launched = await http(`${server.url}/api/materialize`, {
    method: 'POST',
    headers: { authorization: `Bearer ${server.token.token}` },
    body: { selection: '*' },
  });
  expect(launched.status).toBe(202);
  scratch = mkdtempSync(join(tmpdir(), 'vitrina-schemathesis-'));
});
afterAll(async () => {
  await server?.close();
  await storage?.dispose();
  await warehouse?.drop();
  workspace?.dispose();
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

/** Runs a command without blocking this process's event loop: the server answers from it. */
function run(command: string, args: string[], cwd: string): Promise<{ code: number | null; output: string }> {
  return new Promise((done, fail) => {
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1' } });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, output }));
  });
}

describe('the API under schemathesis', () => {
  it('answers every generated request without a 5xx and as its schema says', async () => {
    expect(
      existsSync(schemathesis),
      `${schemathesis} is missing: run scripts/setup.sh --test (it installs schemathesis into .venv)`,
    ).toBe(true);
    const { code, output } = await run(
      schemathesis,
      [
        'run',
        `${server.url}/api/openapi.json`,
        '--checks',
        'not_a_server_error,response_schema_conformance',
        '--header',
        `Authorization: Bearer ${server.token.token}`,
        '--generation-with-security-parameters',
        'false',
        '--max-examples',
        String(MAX_EXAMPLES),
        '--phases',
        'examples,coverage,fuzzing',
        '--seed',
        '20261201',
        // One worker: hypothesis under CPython 3.11 can fail in ast.parse when two threads describe
        // strategies at once ("AST constructor recursion depth mismatch"), an error of the tool.
        '--workers',
        '1',
        '--request-timeout',
        '10',
        '--generation-database',
        'none',
        // Every run's start and end, live until the client goes: a request never ends by itself.
        '--exclude-path',
        '/api/live',
        '--no-color',
      ],
      scratch,
    );
    // Its report, with tracebacks' source dumps cut short.
    const report = output
      .split('\n')
      .map((line) => (line.length > 400 ? `${line.slice(0, 400)}…` : line))
      .join('\n');
    console.log(report);
    expect(report).toMatch(/Tested: 14\b/);
    expect(code, report).toBe(0);
  }, 150_000);
});
