import type { Command } from 'commander';
import { UsageError } from './usage-error.js';

/**
 * Adds a command that only groups subcommands, such as `vig hll`. Run
 * without a subcommand, or with one it does not know, it fails with one line
 * naming the subcommands (commander alone would print the whole help).
 */
export function addSketchGroup(program: Command, name: string, description: string): Command {
  return program
    .command(name)
    .description(description)
    .helpCommand(false)
    .allowExcessArguments()
    .action((_options: unknown, group: Command) => {
      const known = group.commands.map((command) => command.name()).join(', ');
      const [given] = group.args;
      throw new UsageError(
        given === undefined
          ? `vig ${name} needs a subcommand: expected one of ${known}`
          : `unknown command ${JSON.stringify(given)} for vig ${name}: expected one of ${known}`,
      );
    });
}
