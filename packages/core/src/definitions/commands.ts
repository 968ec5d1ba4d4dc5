import { DefinitionError } from '../errors.ts';

/**
 * What the CLI lends a command a code location contributes: its console and its formatting, so the
 * command's output reads like the rest of `vitrina`.
 */
export interface CommandTerminal {
  log: (text: string) => void;
  colour: Record<'bold' | 'dim' | 'red' | 'green' | 'yellow' | 'cyan', (text: string) => string>;
  table: (headers: string[], rows: string[][]) => string;
  duration: (ms: number) => string;
}

/** An option as commander spells it: `--scale <n>`, `--critical`. */
export interface CommandOption {
  flags: string;
  description: string;
}

/**
 * A CLI command a code location contributes (the warehouse's `vitrina seed`). It runs without the
 * run storage: it may be used while `vitrina dev` holds it. Options arrive as commander parsed them
 * (strings and booleans, camel-cased); the command validates them and throws a UserError naming
 * the flag. A number it returns is the exit code.
 */
export interface LocationCommand {
  name: string;
  description: string;
  options: readonly CommandOption[];
  run: (options: Record<string, unknown>, terminal: CommandTerminal) => Promise<number | undefined>;
}

const commandName = /^[a-z][a-z0-9-]*$/;

export function checkCommands(commands: readonly LocationCommand[]): readonly LocationCommand[] {
  const seen = new Set<string>();
  for (const command of commands) {
    if (!commandName.test(command.name))
      throw new DefinitionError(
        `command "${command.name}" needs a lower-case name (letters, digits, dashes)`,
      );
    if (seen.has(command.name)) throw new DefinitionError(`command "${command.name}" is defined twice`);
    seen.add(command.name);
  }
  return commands;
}
