import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadConfig, loadLocation, UserError } from '@vitrina/core';
import { z } from 'zod';
import { colour, table } from '../cli/format.ts';
import { type AirflowRuntime, airflowDagFile } from './dag.ts';
import { airflowId } from './tasks.ts';

const optionsSchema = z.object({
  out: z.string().min(1, 'expected a file or folder').optional(),
  timeout: z
    .string()
    .default('180')
    .pipe(z.string().regex(/^[1-9][0-9]*$/, 'expected whole minutes, at least 1'))
    .transform(Number)
    .pipe(z.number().max(7 * 24 * 60, 'expected at most a week (10080 minutes)')),
});

export type AirflowExportOptions = z.input<typeof optionsSchema>;

const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));

/** `vitrina airflow export`: writes the location's Airflow DAG file and says what is in it. */
export async function airflowExportCommand(input: AirflowExportOptions): Promise<number> {
  const parsed = optionsSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0]) as keyof AirflowExportOptions;
    throw new UserError(`--${name} ${JSON.stringify(input[name])}: ${issue.message}`);
  }
  const options = parsed.data;
  const cwd = process.cwd();
  // Read before loadConfig, which adds .env to process.env: a value from .env the worker reads itself.
  const databaseUrl = process.env.VITRINA_DATABASE_URL?.trim() || undefined;
  const home = process.env.VITRINA_HOME?.trim() || undefined;
  const config = loadConfig();
  const location = await loadLocation(config.definitions);
  const out = outputFile(cwd, options.out, `vitrina_${airflowId(location.name)}.py`);

  const env: Record<string, string> = { VITRINA_DEFINITIONS: resolve(cwd, config.definitions) };
  if (home !== undefined) env.VITRINA_HOME = config.home;
  const workerEnv: string[] = [];
  if (databaseUrl !== undefined) {
    if (holdsSecret(databaseUrl)) workerEnv.push('VITRINA_DATABASE_URL');
    else env.VITRINA_DATABASE_URL = databaseUrl;
  }
  const runtime: AirflowRuntime = {
    command: [process.execPath, ...process.execArgv, main],
    cwd,
    env,
    workerEnv,
    timeoutMinutes: options.timeout,
    embeddedStorage: config.databaseUrl === undefined,
    exportedWith: [
      process.execPath,
      ...process.execArgv,
      main,
      ...['airflow', 'export', '--out', out, '--timeout', String(options.timeout)],
    ],
  };
  const file = airflowDagFile(location, runtime);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, file.text);

  const tasks = file.dags.reduce((sum, dag) => sum + dag.tasks.length, 0);
  console.log(
    colour.bold(`Wrote ${shown(cwd, out)}: ${plural(file.dags.length, 'DAG')}, ${plural(tasks, 'task')}.`),
  );
  const rows = file.dags.map((dag) => [
    dag.id,
    dag.schedule ? `${dag.schedule.cron} ${dag.schedule.timezone}` : 'by hand',
    dag.tasks
      .map((task) => `${task.id}${task.upstream.length > 0 ? ` ← ${task.upstream.join(', ')}` : ''}`)
      .join('; ') || 'none',
  ]);
  console.log(table(['DAG', 'SCHEDULE', 'TASKS (← upstream)'], rows));
  for (const dag of file.dags.filter((each) => each.groupCycle !== null))
    console.log(
      colour.yellow(
        `${dag.id}: its groups form a cycle (${dag.groupCycle!.join(' → ')}), so it has one task per asset`,
      ),
    );
  for (const name of workerEnv)
    console.log(
      colour.yellow(`${name} holds a password, so it is not in the file: set it on the Airflow worker`),
    );
  if (runtime.embeddedStorage)
    console.log(
      colour.yellow(
        'Run storage is embedded, which one process opens at a time: tasks run one at a time, and no vitrina serve may run meanwhile; set VITRINA_DATABASE_URL to share PostgreSQL',
      ),
    );
  return 0;
}

/** `--out`: a file, or a folder (existing, or written with a trailing slash) to write `name` into. */
function outputFile(cwd: string, out: string | undefined, name: string): string {
  if (out === undefined) return join(cwd, 'airflow', name);
  const path = resolve(cwd, out);
  if (/[/\\]$/.test(out) || (existsSync(path) && statSync(path).isDirectory())) return join(path, name);
  if (!path.endsWith('.py'))
    throw new UserError(`--out "${out}": expected a .py file (Airflow reads only those) or a folder`);
  return path;
}

/** A password in the URL's user info, or in a libpq parameter. */
function holdsSecret(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.password !== '' || [...parsed.searchParams.keys()].some((key) => /pass/i.test(key));
  } catch {
    return true;
  }
}

/** Relative to the working directory when inside it. */
function shown(cwd: string, path: string): string {
  const inside = relative(cwd, path);
  return inside.startsWith('..') || isAbsolute(inside) ? path : inside;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
