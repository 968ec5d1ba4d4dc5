/**
 * A current ClickHouse engine for the tests: chdb (ClickHouse in-process, from PyPI) in the
 * repository's .venv, driven through `run_chdb.py` (JSON in on stdin, JSON out; one session in a
 * temporary folder). `scripts/setup.sh --test` installs it.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { REPOSITORY_ROOT } from '../../src/index.ts';

export const CHDB_PYTHON = resolve(REPOSITORY_ROOT, '.venv/bin/python');
export const CHDB_INSTALL = 'scripts/setup.sh --test';
const SCRIPT = resolve(import.meta.dirname, 'run_chdb.py');

/** Whether .venv has chdb (checked by importing it, with a timeout). */
export function chdbInstalled(): boolean {
  if (!existsSync(CHDB_PYTHON)) return false;
  const check = spawnSync(CHDB_PYTHON, ['-c', 'import chdb, chdb.session'], {
    timeout: 60_000,
    stdio: 'ignore',
  });
  return check.status === 0;
}

export interface ChdbStatement {
  sql: string;
  /** The body sent after a `query` parameter (ClickHouse's HTTP server runs `query + "\n" + body`). */
  data?: Buffer;
  database?: string;
  /** Settings the request sent as URL parameters. */
  settings?: Record<string, string>;
  /** The output format when the statement names none. */
  format?: string;
}

export type ChdbResult = { ok: true; output: string; ms: number } | { ok: false; error: string };

export interface ChdbAnswer {
  chdb: string;
  chdbCore: string;
  /** What `select version()` answers on chdb. */
  clickhouse: string;
  results: ChdbResult[];
}

/**
 * Runs the statements in order in one chdb session, in the time zone `timezone` (TZ); the process is
 * killed after `timeoutMs`.
 */
export function runOnChdb(
  statements: readonly ChdbStatement[],
  { timezone, timeoutMs = 300_000 }: { timezone?: string; timeoutMs?: number } = {},
): Promise<ChdbAnswer> {
  const input = JSON.stringify({
    statements: statements.map((statement) => ({
      sql: statement.sql,
      ...(statement.data && statement.data.length > 0
        ? { data_base64: statement.data.toString('base64') }
        : {}),
      ...(statement.database ? { database: statement.database } : {}),
      ...(statement.settings && Object.keys(statement.settings).length > 0
        ? { settings: statement.settings }
        : {}),
      ...(statement.format ? { format: statement.format } : {}),
    })),
  });
  return new Promise((resolvePromise, reject) => {
    const child = spawn(CHDB_PYTHON, [SCRIPT], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: timezone ? { ...process.env, TZ: timezone } : process.env,
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    // JSON lines, parsed as they come: the whole answer can outgrow the longest string V8 holds.
    const lines: unknown[] = [];
    let partial: Buffer[] = [];
    let badLine: string | null = null;
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => {
      let start = 0;
      for (let end = chunk.indexOf(10); end !== -1; end = chunk.indexOf(10, start)) {
        const line = Buffer.concat([...partial, chunk.subarray(start, end)]).toString('utf8');
        partial = [];
        start = end + 1;
        try {
          lines.push(JSON.parse(line));
        } catch (error) {
          badLine ??= `${String(error)}: ${line.slice(0, 200)}`;
        }
      }
      if (start < chunk.length) partial.push(chunk.subarray(start));
    });
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      const errors = Buffer.concat(stderr).toString('utf8').trim().slice(-4000);
      if (code !== 0) {
        reject(
          new Error(
            `${SCRIPT} ${signal ? `was killed (${signal}${signal === 'SIGKILL' ? `, over ${timeoutMs} ms?` : ''})` : `exited with ${code}`}: ${errors}`,
          ),
        );
        return;
      }
      const [header, ...results] = lines as [
        { chdb: string; chdb_core: string; clickhouse: string },
        ...ChdbResult[],
      ];
      if (badLine !== null || !header || results.length !== statements.length) {
        reject(
          new Error(
            `${SCRIPT} answered ${badLine ? `a line that is not JSON (${badLine})` : `${results.length} results for ${statements.length} statements`}; stderr: ${errors}`,
          ),
        );
        return;
      }
      resolvePromise({
        chdb: header.chdb,
        chdbCore: header.chdb_core,
        clickhouse: header.clickhouse,
        results,
      });
    });
    child.stdin.on('error', () => {}); // a child that died early: its exit says why
    child.stdin.end(input);
  });
}
