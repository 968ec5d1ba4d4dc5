#!/usr/bin/env -S node --import tsx
import { UserError } from '@vitrina/core';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import type { Workspace } from '../workspace.ts';
import { commandModules } from './commandModules.ts';
import { registerAirflowCommands } from './commands/airflow.ts';
import { registerSupersetCommands } from './commands/superset.ts';
import { colour } from './format.ts';
import { addLocationCommands } from './locationCommands.ts';
import type { DayOptions, RangeOptions } from './options.ts';

/** Opens the workspace, runs a command, closes it; the command's number (if any) is the exit code. */
function withWorkspace<A extends unknown[]>(
  command: (workspace: Workspace, ...args: A) => Promise<unknown>,
  options: { own?: boolean } = {},
) {
  return async (...args: A) => {
    const { openWorkspace } = await commandModules.workspace();
    const workspace = await openWorkspace(options);
    try {
      const code = await command(workspace, ...args);
      if (typeof code === 'number') process.exitCode = code;
    } finally {
      await workspace.close();
    }
  };
}

function positiveInt(value: string): number {
  const number = Number(value);
  if (!Number.isInteger(number) || number < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1');
  return number;
}

function addDayOptions(command: Command): Command {
  return command
    .option('--partition <day>', 'one daily partition, YYYY-MM-DD')
    .option('--from <day>', 'first daily partition of a range, YYYY-MM-DD')
    .option('--to <day>', 'last daily partition of a range, YYYY-MM-DD');
}

function addRangeOptions(command: Command): Command {
  return addDayOptions(command).option('--force', 'materialise everything selected, stale or not');
}

const program = new Command('vitrina')
  .description('Vitrina: a warehouse of declared assets, materialised by an incremental engine.')
  .showSuggestionAfterError()
  .exitOverride()
  .configureOutput({ outputError: (text, write) => write(colour.red(text)) });

program
  .command('assets')
  .description('list assets with their status, last materialisation and why they are stale')
  .argument('[selection]', 'asset selection (key, +key, key+, group:name, *)', '*')
  .option('--external', 'list external assets too (sources, charts, dashboards)')
  .option('--to <day>', 'the state through this day; the days after it are counted as left for later')
  .action(
    withWorkspace(async (workspace, selection: string, options: { external?: boolean; to?: string }) =>
      (await commandModules.assets()).assetsCommand(workspace, selection, options),
    ),
  );

addRangeOptions(
  program
    .command('plan')
    .description('show what would be materialised, and why')
    .argument('<selection>', 'asset selection'),
).action(
  withWorkspace(async (workspace, selection: string, options: RangeOptions) =>
    (await commandModules.plan()).planCommand(workspace, selection, options),
  ),
);

addRangeOptions(
  program
    .command('materialize')
    .alias('materialise')
    .description('materialise the stale partitions of a selection, with live progress')
    .argument('<selection>', 'asset selection'),
).action(
  withWorkspace(async (workspace, selection: string, options: RangeOptions) =>
    (await commandModules.materialize()).materializeCommand(workspace, selection, options),
  ),
);

addDayOptions(
  program
    .command('test')
    .description('run the checks of a selection on the data it holds now, materialising nothing')
    .argument('[selection]', 'asset selection', '*'),
).action(
  withWorkspace(async (workspace, selection: string, options: DayOptions) =>
    (await commandModules.test()).testCommand(workspace, selection, options),
  ),
);

program
  .command('init')
  .description('write a new project into a folder: a seed, two SQL models with checks, a code location')
  .argument('<folder>', 'an empty or new folder')
  .action(async (folder: string) => {
    const { initCommand } = await commandModules.init();
    process.exitCode = await initCommand(folder);
  });

program
  .command('rerun')
  .description('run again what did not succeed in a finished run')
  .argument('<run>', 'run id or a unique prefix')
  .action(
    withWorkspace(async (workspace, runId: string) =>
      (await commandModules.materialize()).rerunCommand(workspace, runId),
    ),
  );

program
  .command('runs')
  .description('list recent runs')
  .option('--limit <n>', 'how many', positiveInt, 20)
  .action(
    withWorkspace(async (workspace, options: { limit: number }) =>
      (await commandModules.runs()).runsCommand(workspace, options),
    ),
  );

program
  .command('run')
  .description('show one run: its steps and event log')
  .argument('<run>', 'run id or a unique prefix')
  .action(
    withWorkspace(async (workspace, id: string) => (await commandModules.runs()).runCommand(workspace, id)),
  );

program
  .command('serve')
  .description('serve the HTTP API with the scheduler inside (VITRINA_HOST, VITRINA_PORT, VITRINA_API_TOKEN)')
  .action(
    withWorkspace(async (workspace) => (await commandModules.serve()).serveCommand(workspace), { own: true }),
  );

program
  .command('dev')
  .description('build the UI if needed, then serve API, UI and scheduler together')
  .action(
    withWorkspace(async (workspace) => (await commandModules.dev()).devCommand(workspace), { own: true }),
  );

program
  .command('daemon')
  .description('run the scheduler alone: cron schedules and freshness policies (one leader across replicas)')
  .action(
    withWorkspace(async (workspace) => (await commandModules.daemon()).daemonCommand(workspace), {
      own: true,
    }),
  );

registerSupersetCommands(program);
registerAirflowCommands(program);

try {
  await addLocationCommands(program, process.argv);
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    process.exitCode = ['commander.helpDisplayed', 'commander.version', 'commander.help'].includes(error.code)
      ? 0
      : 2;
  } else if (error instanceof UserError) {
    console.error(colour.red(`vitrina: ${error.message}`));
    process.exitCode = 2;
  } else {
    console.error(error);
    process.exitCode = 1;
  }
}
