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
import type { Command } from 'commander';
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

export function registerSupersetCommands(program: Command): void {
  const superset = program
    .command('superset')
    .description('Apache Superset with the dashboards of superset/ (see superset/README.md)');

  superset
    .command('up')
    .description('install Superset into .venv-superset (reused), initialise, start on 127.0.0.1:8088, import')
    .action(async () => {
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
    });

  superset
    .command('install')
    .description('only create (or reuse) the pinned virtual environment; for setup scripts and CI')
    .action(async () => {
      const local = localSuperset();
      console.log(`${local.venv}: ${await install(local, consoleReporter())}`);
    });

  superset
    .command('import')
    .description('build the bundle from superset/ and import it (overwriting) through the REST API')
    .option(
      '--url <url>',
      'the Superset to import into (default VITRINA_SUPERSET_URL or http://127.0.0.1:8088)',
    )
    .option('--sources <dir>', 'the source folder (default superset/)')
    .action(async (options: { url?: string; sources?: string }) => {
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
    });

  superset
    .command('down')
    .description('stop the Superset that vitrina superset up started')
    .action(async () => {
      const local = localSuperset();
      console.log((await stop(local)) ? 'Superset stopped' : 'Superset was not running (no live pid file)');
    });

  superset
    .command('status')
    .description('where the venv and state are, and whether Superset answers')
    .action(async () => {
      const local = localSuperset();
      console.log(`venv   ${local.venv} (${(await isInstalled(local)) ? 'installed' : 'not installed'})`);
      console.log(`state  ${local.home}`);
      console.log(
        `url    ${local.url} (${(await SupersetClient.health(local.url)) ? 'healthy' : 'not answering'})`,
      );
    });
}
