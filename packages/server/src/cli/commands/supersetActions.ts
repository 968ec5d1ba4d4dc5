import { relative } from 'node:path';
import { UserError } from '@vitrina/core';
import {
  consoleReporter,
  importDashboards,
  install,
  isInstalled,
  localSuperset,
  REPOSITORY_ROOT,
  SupersetApiError,
  SupersetClient,
  stop,
  up,
} from '@vitrina/superset';
import { z } from 'zod';
import { colour } from '../format.ts';

/** Superset's import errors (422) carry, per bundle file, the fields it rejected; bundle files mirror superset/<file>. */
const importErrorSchema = z.object({
  errors: z.array(z.object({ message: z.string(), extra: z.record(z.string(), z.unknown()).optional() })),
});

function describeApiError(error: SupersetApiError): string {
  const parsed = importErrorSchema.safeParse(
    (() => {
      try {
        return JSON.parse(error.body);
      } catch {
        return null;
      }
    })(),
  );
  if (!parsed.success) return error.message;
  const lines = parsed.data.errors.flatMap((entry) => [
    entry.message,
    ...Object.entries(entry.extra ?? {})
      .filter(([file]) => file.endsWith('.yaml'))
      .map(([file, fields]) => `  superset/${file}: ${JSON.stringify(fields)}`),
  ]);
  return `Superset refused the import (${error.status}):\n${lines.join('\n')}`;
}

async function withApiErrors<T>(action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof SupersetApiError) throw new UserError(describeApiError(error));
    if (error instanceof TypeError && String(error.cause).includes('ECONNREFUSED'))
      throw new UserError(
        `no Superset answers there (${String(error.cause)}); start one with vitrina superset up`,
      );
    throw error;
  }
}

function summary(imported: Awaited<ReturnType<typeof importDashboards>>): string {
  const { sources } = imported;
  return `${sources.dashboards.size} dashboards, ${sources.charts.size} charts, ${sources.datasets.size} datasets`;
}

/** `vitrina superset up`: install (or reuse), initialise, start and import. */
export async function supersetUp(): Promise<void> {
  const local = localSuperset();
  const started = Date.now();
  const result = await withApiErrors(() => up(local, consoleReporter()));
  console.log(
    `${colour.bold('Superset')} on ${local.url} (user ${local.credentials.username}) · ${summary(result.imported)} imported · ` +
      `venv ${result.installation} · ${((Date.now() - started) / 1000).toFixed(0)}s`,
  );
  console.log(
    `log: ${relative(REPOSITORY_ROOT, local.home)}/superset.log · stop it with vitrina superset down`,
  );
}

/** `vitrina superset install`: only the pinned virtual environment. */
export async function supersetInstall(): Promise<void> {
  const local = localSuperset();
  console.log(`${local.venv}: ${await install(local, consoleReporter())}`);
}

/** `vitrina superset import`: the bundle from superset/, imported over the REST API. */
export async function supersetImport(options: { url?: string; sources?: string }): Promise<void> {
  const local = localSuperset();
  const url = options.url ?? local.url;
  const imported = await withApiErrors(() =>
    importDashboards({
      url,
      credentials: local.credentials,
      ...(options.sources ? { sourcesDir: options.sources } : {}),
    }),
  );
  console.log(`imported into ${url}: ${summary(imported)}`);
}

/** `vitrina superset down`. */
export async function supersetDown(): Promise<void> {
  const local = localSuperset();
  console.log((await stop(local)) ? 'Superset stopped' : 'Superset was not running (no live pid file)');
}

/** `vitrina superset status`. */
export async function supersetStatus(): Promise<void> {
  const local = localSuperset();
  console.log(`venv   ${local.venv} (${(await isInstalled(local)) ? 'installed' : 'not installed'})`);
  console.log(`state  ${local.home}`);
  console.log(
    `url    ${local.url} (${(await SupersetClient.health(local.url)) ? 'healthy' : 'not answering'})`,
  );
}
