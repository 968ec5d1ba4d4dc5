import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, open, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UserError } from '@vitrina/core';
import { z } from 'zod';
import type { Credentials } from './client.ts';
import { SupersetClient } from './client.ts';
import { runStep, type StepReporter } from './steps.ts';

/** The repository root (where superset/ and pnpm-workspace.yaml live). */
export const REPOSITORY_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SOURCES_DIR = join(REPOSITORY_ROOT, 'superset');
const REQUIREMENTS = join(SOURCES_DIR, 'python/requirements.txt');
const CONSTRAINTS = join(SOURCES_DIR, 'python/constraints.txt');

const settingsSchema = z.object({
  VITRINA_HOME: z.string().default('.vitrina'),
  VITRINA_SUPERSET_VENV: z.string().optional(),
  VITRINA_SUPERSET_HOME: z.string().optional(),
  VITRINA_SUPERSET_URL: z.url().default('http://127.0.0.1:8088'),
  VITRINA_SUPERSET_USER: z.string().min(1).default('admin'),
  VITRINA_SUPERSET_PASSWORD: z.string().min(1).default('admin'),
  VITRINA_SUPERSET_PYTHON: z.string().min(1).default('python3'),
});

export interface LocalSuperset {
  /** The virtual environment Superset is installed in. */
  venv: string;
  /** Config, secret key, SQLite metadata, pid file and log. */
  home: string;
  url: string;
  credentials: Credentials;
  python: string;
}

/** Where the local Superset lives, from the environment (see superset/README.md for each variable). */
export function localSuperset(env: NodeJS.ProcessEnv = process.env): LocalSuperset {
  const parsed = settingsSchema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new UserError(`${issue.path.join('.')}: ${issue.message}`);
  }
  const settings = parsed.data;
  const fromRoot = (path: string) => resolve(REPOSITORY_ROOT, path);
  return {
    venv: fromRoot(settings.VITRINA_SUPERSET_VENV ?? '.venv-superset'),
    home: fromRoot(settings.VITRINA_SUPERSET_HOME ?? join(settings.VITRINA_HOME, 'superset')),
    url: settings.VITRINA_SUPERSET_URL,
    credentials: { username: settings.VITRINA_SUPERSET_USER, password: settings.VITRINA_SUPERSET_PASSWORD },
    python: settings.VITRINA_SUPERSET_PYTHON,
  };
}

const bin = (local: LocalSuperset, name: string) => join(local.venv, 'bin', name);
const stampFile = (local: LocalSuperset) => join(local.venv, '.vitrina-requirements');
const logFile = (local: LocalSuperset) => join(local.home, 'superset.log');
const pidFile = (local: LocalSuperset) => join(local.home, 'superset.pid');

async function requirementsHash(): Promise<string> {
  const hash = createHash('sha256');
  for (const file of [REQUIREMENTS, CONSTRAINTS]) hash.update(await readFile(file));
  return hash.digest('hex');
}

/** True when the venv holds exactly the pinned requirements (it is reused as it is). */
export async function isInstalled(local: LocalSuperset): Promise<boolean> {
  if (!existsSync(bin(local, 'superset'))) return false;
  const stamp = await readFile(stampFile(local), 'utf8').catch(() => '');
  return stamp.trim() === (await requirementsHash());
}

/** Creates the virtual environment and installs the pinned Superset into it, unless it is already there. */
export async function install(local: LocalSuperset, reporter: StepReporter): Promise<'reused' | 'installed'> {
  if (await isInstalled(local)) return 'reused';
  await mkdir(local.home, { recursive: true });
  const log = join(local.home, 'install.log');
  if (!existsSync(bin(local, 'python')))
    await runStep(reporter, 'creating the virtual environment', local.python, ['-m', 'venv', local.venv], {
      logFile: log,
    });
  const pip = bin(local, 'pip');
  const quiet = ['--disable-pip-version-check', '--no-input'];
  await runStep(
    reporter,
    'updating pip',
    pip,
    ['install', ...quiet, '--upgrade', 'pip', 'setuptools<81', 'wheel'],
    {
      logFile: log,
    },
  );
  await runStep(
    reporter,
    'installing Apache Superset (a few minutes the first time)',
    pip,
    ['install', ...quiet, '--progress-bar', 'off', '-r', REQUIREMENTS, '-c', CONSTRAINTS],
    { logFile: log },
  );
  await writeFile(stampFile(local), `${await requirementsHash()}\n`);
  return 'installed';
}

function configText(local: LocalSuperset): string {
  return `# Written by \`vitrina superset up\`; rewritten on every run.
import os
import sys

# Superset's labels translated from the first page (see the module's docstring).
sys.path.insert(0, ${JSON.stringify(join(SOURCES_DIR, 'python'))})
from vitrina_language_pack import FLASK_APP_MUTATOR  # noqa: E402

_HOME = ${JSON.stringify(local.home)}
with open(os.path.join(_HOME, "secret_key")) as _key:
    SECRET_KEY = _key.read().strip()
SQLALCHEMY_DATABASE_URI = "sqlite:///" + os.path.join(_HOME, "superset.db")
# Local use: the login endpoint is called by tests and the import command many times a minute.
AUTH_RATE_LIMITED = False
RATELIMIT_ENABLED = False
TALISMAN_ENABLED = False
WTF_CSRF_ENABLED = True
SUPERSET_WEBSERVER_TIMEOUT = 120
FEATURE_FLAGS = {"DASHBOARD_NATIVE_FILTERS": True}
BABEL_DEFAULT_LOCALE = "ru"
# The page's bootstrap data asks for the default locale's entry here: without it the pages are blank.
LANGUAGES = {
    "ru": {"flag": "ru", "name": "Русский"},
    "en": {"flag": "us", "name": "English"},
}
# Numbers and dates as a Russian reader writes them: 22 031 909,50 · 30,3 % · 1 дек. 2026.
D3_FORMAT = {
    "decimal": ",",
    "thousands": "\u00a0",
    "grouping": [3],
    "currency": ["", "\u00a0BYN"],
    "percent": "\u00a0%",
}
D3_TIME_FORMAT = {
    "dateTime": "%A, %e %B %Y г. %X",
    "date": "%d.%m.%Y",
    "time": "%H:%M:%S",
    "periods": ["", ""],
    "days": ["воскресенье", "понедельник", "вторник", "среда", "четверг", "пятница", "суббота"],
    "shortDays": ["вс", "пн", "вт", "ср", "чт", "пт", "сб"],
    "months": ["январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"],
    "shortMonths": ["янв", "фев", "мар", "апр", "май", "июн", "июл", "авг", "сен", "окт", "ноя", "дек"],
}
`;
}

function supersetEnv(local: LocalSuperset): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SUPERSET_CONFIG_PATH: join(local.home, 'superset_config.py'),
    FLASK_APP: 'superset',
    SUPERSET_HOME: local.home,
  };
}

/** Config with a secret key generated once and kept in the state folder; metadata schema; admin user; roles. */
export async function initialise(local: LocalSuperset, reporter: StepReporter): Promise<void> {
  await mkdir(local.home, { recursive: true });
  const secret = join(local.home, 'secret_key');
  if (!existsSync(secret))
    await writeFile(secret, `${randomBytes(42).toString('base64')}\n`, { mode: 0o600 });
  await writeFile(join(local.home, 'superset_config.py'), configText(local));
  const options = { env: supersetEnv(local), logFile: logFile(local) };
  const superset = bin(local, 'superset');
  await runStep(reporter, 'migrating the metadata database', superset, ['db', 'upgrade'], options);
  const { username, password } = local.credentials;
  await runStep(
    reporter,
    `creating the admin '${username}'`,
    superset,
    ['fab', 'create-admin', '--username', username, '--password', password].concat([
      '--firstname',
      'Vitrina',
      '--lastname',
      'Admin',
      '--email',
      `${username}@vitrina.local`,
    ]),
    options,
  );
  await runStep(reporter, 'setting up roles and permissions', superset, ['init'], options);
}

async function runningPid(local: LocalSuperset): Promise<number | null> {
  const text = await readFile(pidFile(local), 'utf8').catch(() => '');
  const pid = Number.parseInt(text, 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch {
    return null;
  }
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new UserError(`timed out after ${timeoutMs / 1000}s waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 500));
  }
}

/**
 * Starts gunicorn in the background (its own process group, output appended to the log, pid in
 * the pid file) and waits for /health. A Superset already answering there is left as it is.
 */
export async function start(local: LocalSuperset, reporter: StepReporter): Promise<'started' | 'running'> {
  if (await SupersetClient.health(local.url)) return 'running';
  const url = new URL(local.url);
  const log = await open(logFile(local), 'a');
  const child = spawn(
    bin(local, 'gunicorn'),
    [
      '--bind',
      `${url.hostname}:${url.port || '80'}`,
      // Processes, not threads: Superset parses every chart's SQL with sqlglot, and two charts of a
      // dashboard parsed at once in one process (one ClickHouse, one PostgreSQL dialect) now and then
      // failed with "Invalid expression / Unexpected token" on a backquoted name. Four processes
      // answer the four charts a dashboard asks for at a time.
      '--workers',
      '4',
      '--worker-class',
      'gthread',
      '--threads',
      '1',
    ]
      .concat(['--timeout', '120', '--limit-request-line', '0', '--limit-request-field_size', '0'])
      // Longer than Node's fetch keeps an idle connection (4 s): with gunicorn's default of 2 s, a
      // request sent on a connection gunicorn had just closed failed with "other side closed".
      .concat(['--keep-alive', '30'])
      .concat(['superset.app:create_app()']),
    { env: supersetEnv(local), detached: true, stdio: ['ignore', log.fd, log.fd] },
  );
  child.unref();
  await log.close();
  await writeFile(pidFile(local), `${child.pid}\n`);
  const started = Date.now();
  reporter.start(`starting Superset on ${local.url}`);
  await waitFor(
    async () => {
      if ((await runningPid(local)) === null)
        throw new UserError(`Superset exited while starting; see ${logFile(local)}`);
      return SupersetClient.health(local.url);
    },
    180_000,
    `${local.url}/health`,
  );
  reporter.finish(`Superset on ${local.url}`, Date.now() - started);
  return 'started';
}

/** Stops the Superset started by `start` (its process group), if its pid file names a live process. */
export async function stop(local: LocalSuperset): Promise<boolean> {
  const pid = await runningPid(local);
  if (pid === null) {
    await rm(pidFile(local), { force: true });
    return false;
  }
  process.kill(-pid, 'SIGTERM');
  await waitFor(async () => (await runningPid(local)) === null, 30_000, `Superset (pid ${pid}) to stop`);
  await rm(pidFile(local), { force: true });
  return true;
}
