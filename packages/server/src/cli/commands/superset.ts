import type { Command } from 'commander';

/** The `vitrina superset` commands; their module (and @vitrina/superset) is loaded only when one runs. */
export function registerSupersetCommands(program: Command): void {
  const actions = () => import('./supersetActions.ts');
  const superset = program
    .command('superset')
    .description('Apache Superset with the dashboards of superset/ (see superset/README.md)');
  superset
    .command('up')
    .description('install Superset into .venv-superset (reused), initialise, start on 127.0.0.1:8088, import')
    .action(async () => (await actions()).supersetUp());
  superset
    .command('install')
    .description('only create (or reuse) the pinned virtual environment; for setup scripts and CI')
    .action(async () => (await actions()).supersetInstall());
  superset
    .command('import')
    .description('build the bundle from superset/ and import it (overwriting) through the REST API')
    .option(
      '--url <url>',
      'the Superset to import into (default VITRINA_SUPERSET_URL or http://127.0.0.1:8088)',
    )
    .option('--sources <dir>', 'the source folder (default superset/)')
    .action(async (options: { url?: string; sources?: string }) => (await actions()).supersetImport(options));
  superset
    .command('down')
    .description('stop the Superset that vitrina superset up started')
    .action(async () => (await actions()).supersetDown());
  superset
    .command('status')
    .description('where the venv and state are, and whether Superset answers')
    .action(async () => (await actions()).supersetStatus());
}
