/**
 * dlt beside our loaders in `pnpm bench extract`: a virtual environment `.venv-bench-dlt/` at the
 * repository root with pinned dlt and its drivers from PyPI (created the first time, reused while
 * its stamp matches the pins), and one timed run of `dlt_extract.py` per source table, whose JSON
 * line is parsed here. Every child process has a timeout.
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';

const ROOT = resolve(import.meta.dirname, '../..');
const VENV = join(ROOT, '.venv-bench-dlt');
const SCRIPT = join(import.meta.dirname, 'dlt_extract.py');
const STAMP = join(VENV, '.vitrina-requirements');

/**
 * ConnectorX reads the source into Arrow; ADBC's PostgreSQL driver lets dlt load the Arrow batches
 * as parquet through COPY BINARY, its documented fast path to PostgreSQL (csv and insert_values
 * were slower here: 20 s and more for a million payments against about 8 s).
 */
export const DLT_REQUIREMENTS = [
  'dlt[postgres,sql_database]==1.31.0',
  'sqlalchemy==2.1.9',
  'psycopg2-binary==2.9.13',
  'pymysql==1.2.4',
  'connectorx==0.4.6',
  'pyarrow==26.0.1',
  'adbc-driver-manager==1.13.0',
  'adbc-driver-postgresql==1.13.0',
];

export const DLT_BACKEND = 'connectorx';
export const DLT_LOADER_FILE_FORMAT = 'parquet';

const MINUTE = 60_000;

function run(file: string, args: string[], timeoutMs: number, cwd = ROOT): Promise<string> {
  return new Promise((done, fail) => {
    execFile(
      file,
      args,
      { cwd, timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 * 1024 * 1024 },
      (error, stdout, stderr) => {
        if (error === null) return done(stdout);
        const reason = error.killed ? `timed out after ${timeoutMs / 1000} s` : error.message;
        fail(new Error(`${file} ${args.join(' ')}: ${reason}\n${stderr.split('\n').slice(-15).join('\n')}`));
      },
    );
  });
}

async function step<T>(what: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stdout.write(`  ${what}… `);
  const value = await work();
  console.log(`done (${((performance.now() - started) / 1000).toFixed(1)} s)`);
  return value;
}

/** The venv's python, installing the pinned requirements first unless the venv already holds them. */
export async function ensureDltVenv(): Promise<string> {
  const python = join(VENV, 'bin', 'python');
  const wanted = `${DLT_REQUIREMENTS.join('\n')}\n`;
  if (existsSync(python) && existsSync(STAMP) && readFileSync(STAMP, 'utf8') === wanted) {
    console.log(`dlt: reusing ${VENV}`);
    return python;
  }
  console.log(`dlt: installing ${DLT_REQUIREMENTS.join(' ')} into ${VENV}`);
  await step('creating the virtual environment', () =>
    run('python3', ['-m', 'venv', '--clear', VENV], 2 * MINUTE),
  );
  const pip = join(VENV, 'bin', 'pip');
  await step('installing from PyPI', () =>
    run(
      pip,
      ['install', '--disable-pip-version-check', '--no-input', '--quiet', ...DLT_REQUIREMENTS],
      15 * MINUTE,
    ),
  );
  const version = await run(
    python,
    ['-c', 'import dlt, connectorx, adbc_driver_postgresql; print(dlt.__version__)'],
    MINUTE,
  );
  console.log(`  dlt ${version.trim()} ready`);
  writeFileSync(STAMP, wanted);
  return python;
}

const dltResult = z.object({
  rows: z.number().int().nonnegative(),
  seconds: z.number().positive(),
  import_seconds: z.number().nonnegative(),
  cpu_seconds: z.number().nonnegative(),
  peak_rss_mb: z.number().nonnegative(),
  backend: z.string(),
  loader_file_format: z.string(),
  dlt_version: z.string(),
});
export type DltResult = z.infer<typeof dltResult>;

export interface DltLoad {
  sourceUrl: string;
  /** The source table's schema: PostgreSQL's; none for MySQL, whose database is the URL's. */
  schema?: string;
  table: string;
  columns: string[];
  destinationUrl: string;
  dataset: string;
  /** dlt keeps its pipeline state and load packages here. */
  workDir: string;
}

/** One dlt `sql_database` run of a table into the destination's dataset, timed by the script itself. */
export async function runDlt(python: string, load: DltLoad): Promise<DltResult> {
  const args = [
    SCRIPT,
    '--source-url',
    load.sourceUrl,
    ...(load.schema === undefined ? [] : ['--schema', load.schema]),
    '--table',
    load.table,
    '--columns',
    load.columns.join(','),
    '--destination-url',
    load.destinationUrl,
    '--dataset',
    load.dataset,
    '--pipelines-dir',
    load.workDir,
    '--backend',
    DLT_BACKEND,
    '--loader-file-format',
    DLT_LOADER_FILE_FORMAT,
  ];
  const stdout = await run(python, args, 20 * MINUTE, load.workDir);
  const line = stdout.trim().split('\n').at(-1) ?? '';
  return dltResult.parse(JSON.parse(line));
}
