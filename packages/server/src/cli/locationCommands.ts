import {
  type CommandTerminal,
  DefinitionError,
  errorMessage,
  type LocationCommand,
  loadConfig,
  loadLocation,
  nearest,
  UserError,
} from '@vitrina/core';
import type { Command } from 'commander';
import { colour, duration, table } from './format.ts';

const terminal: CommandTerminal = { log: (text) => console.log(text), colour, table, duration };

const helpWords = new Set(['help', '--help', '-h']);

/**
 * Adds the code location's own commands (the warehouse's `seed`) to the program. The location is
 * loaded only when the command line names no built-in command, or asks for help.
 */
export async function addLocationCommands(program: Command, argv: readonly string[]): Promise<void> {
  const wanted = argv[2];
  const builtIn = new Set(program.commands.flatMap((command) => [command.name(), ...command.aliases()]));
  const help = wanted === undefined || helpWords.has(wanted);
  if (!help && (wanted.startsWith('-') || builtIn.has(wanted))) return;
  const config = loadConfig();
  let commands: readonly LocationCommand[];
  let name: string;
  try {
    ({ commands, name } = await loadLocation(config.definitions));
  } catch (error) {
    if (!help) throw error;
    program.addHelpText('after', `\nThe code location's own commands are not listed: ${errorMessage(error)}`);
    return;
  }
  for (const command of commands) {
    if (builtIn.has(command.name))
      throw new DefinitionError(
        `the code location "${name}" defines a command "${command.name}", which vitrina has built in`,
      );
    const added = program.command(command.name).description(`${command.description} [location ${name}]`);
    for (const option of command.options) added.option(option.flags, option.description);
    added.action(async (options: Record<string, unknown>) => {
      const code = await command.run(options, terminal);
      if (typeof code === 'number') process.exitCode = code;
    });
  }
  if (help || commands.some((command) => command.name === wanted)) return;
  const near = nearest(wanted, [...builtIn, ...commands.map((command) => command.name)]);
  throw new UserError(
    `this location (${name}, VITRINA_DEFINITIONS=${config.definitions}) has no \`${wanted}\` command${near.length > 0 ? `; did you mean ${near.map((n) => `\`${n}\``).join(', ')}?` : ''}`,
  );
}
