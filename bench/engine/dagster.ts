/**
 * Dagster's side of the engine bench: installs pinned Dagster into .venv-bench/ when it is not
 * there, then runs bench/peers/dagster_engine.py once per storage, each in its own process.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';

const root = resolve(import.meta.dirname, '../..');
const venv = resolve(root, '.venv-bench');
const python = resolve(venv, 'bin/python');
const script = resolve(root, 'bench/peers/dagster_engine.py');
const constraints = resolve(root, 'bench/peers/dagster-constraints.txt');
export const DAGSTER_VERSION = '1.13.27';
const DAGSTER_POSTGRES_VERSION = '0.29.27';

interface ChildOptions {
  timeoutMs: number;
  /** Where the child's stderr goes (Dagster logs every event); inherited when absent. */
  logFile?: string;
  /** Print the child's stdout as it comes instead of collecting it. */
  inheritStdout?: boolean;
}

/** Runs a child with a timeout (killed past it); resolves with its stdout, rejects on failure. */
export function runChild(command: string, args: string[], options: ChildOptions): Promise<string> {
  const log = options.logFile ? openSync(options.logFile, 'w') : 'inherit';
  return new Promise((done, fail) => {
    const child = spawn(command, args, {
      cwd: root,
      stdio: ['ignore', options.inheritStdout ? 'inherit' : 'pipe', log],
      timeout: options.timeoutMs,
      killSignal: 'SIGKILL',
    });
    let stdout = '';
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.on('error', fail);
    child.on('close', (code, signal) => {
      if (typeof log === 'number') closeSync(log);
      if (code === 0) return done(stdout);
      const why = signal ? `killed by ${signal} (timeout ${options.timeoutMs / 1000} s?)` : `exit ${code}`;
      const tail = options.logFile ? `\n${readFileSync(options.logFile, 'utf8').slice(-2000)}` : '';
      fail(new Error(`${command} ${args.join(' ')}: ${why}${tail}`));
    });
  });
}

/** The last line of a child's stdout, parsed as JSON and checked by `schema`. */
export function lastJsonLine<T>(stdout: string, schema: z.ZodType<T>): T {
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return schema.parse(JSON.parse(line));
}

/** Creates .venv-bench/ with the pinned Dagster, unless it is there and imports at those versions. */
export async function ensureDagster(): Promise<void> {
  const check = `import importlib.metadata as m, sys, dagster, dagster_postgres
sys.exit(m.version('dagster') != '${DAGSTER_VERSION}' or m.version('dagster-postgres') != '${DAGSTER_POSTGRES_VERSION}')`;
  try {
    await runChild(python, ['-c', check], { timeoutMs: 120_000 });
    return;
  } catch {
    console.log(
      `installing Dagster ${DAGSTER_VERSION} into .venv-bench/ (about 30 s; pip's progress follows)…`,
    );
  }
  await runChild('python3', ['-m', 'venv', venv], { timeoutMs: 120_000 });
  await runChild(
    python,
    [
      '-m',
      'pip',
      'install',
      '--progress-bar',
      'off',
      '-c',
      constraints,
      `dagster==${DAGSTER_VERSION}`,
      `dagster-postgres==${DAGSTER_POSTGRES_VERSION}`,
    ],
    { timeoutMs: 900_000, inheritStdout: true },
  );
  await runChild(python, ['-c', check], { timeoutMs: 120_000 });
}

export const dagsterRunSchema = z.object({
  storage: z.string(),
  assets: z.number(),
  partitions: z.number(),
  steps: z.number(),
  build_ms: z.number(),
  run_ms: z.number(),
  runs_ms: z.array(z.number()),
  overhead_ms_per_step: z.number(),
  peak_rss_mb: z.number(),
  version: z.string(),
});
export type DagsterRun = z.infer<typeof dagsterRunSchema>;

const graphLoadSchema = z.object({
  assets: z.number(),
  graph_10k_ms: z.number(),
  peak_rss_mb: z.number(),
  version: z.string(),
});
export type DagsterGraphLoad = z.infer<typeof graphLoadSchema>;

/** Materialises the first `assets` assets (whole layers) for the latest `partitions` days with Dagster. */
export async function runDagster(
  graphFile: string,
  storage: string,
  partitions: number,
  assets: number,
  log: string,
) {
  // 20–500 ms a step here, the slowest PostgreSQL without a pool on a busy machine: a wide margin.
  const timeoutMs = 120_000 + partitions * assets * 1000;
  const args = [script, 'run', graphFile, storage, String(partitions), String(assets)];
  const stdout = await runChild(python, args, { timeoutMs, logFile: log });
  return lastJsonLine(stdout, dagsterRunSchema);
}

export async function loadDagsterGraph(graphFile: string, log: string): Promise<DagsterGraphLoad> {
  const stdout = await runChild(python, [script, 'graph10k', graphFile], {
    timeoutMs: 300_000,
    logFile: log,
  });
  return lastJsonLine(stdout, graphLoadSchema);
}
