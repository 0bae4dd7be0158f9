import { CommanderError } from 'commander';
import type { CliIo } from './cli-io.js';
import { processIo } from './cli-io.js';
import { createProgram } from './create-program.js';
import { EXIT_FAILURE, EXIT_SUCCESS, EXIT_USAGE } from './exit-codes.js';
import type { ExitCode } from './exit-codes.js';
import { failureLine } from './one-line.js';
import { UsageError } from './usage-error.js';

/** Commander's ways of finishing early that are not failures. */
const COMMANDER_SUCCESSES: ReadonlySet<string> = new Set([
  'commander.helpDisplayed',
  'commander.version',
]);

/**
 * Runs the `vig` command line `argv` (without `node` and the script) and
 * resolves with its exit code; it never calls `process.exit` and never
 * throws. 0: done; 1: the work failed (one line on `io.stderr`, such as "vig:
 * no node answered within 2000 ms (tried 127.0.0.1:7946)"); 2: bad usage (one
 * line on `io.stderr`).
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<ExitCode> {
  if (argv.length === 0) {
    io.stderr.write("vig: a command is missing: expected one of those 'vig --help' lists\n");
    return EXIT_USAGE;
  }
  try {
    await createProgram(io).parseAsync([...argv], { from: 'user' });
    return EXIT_SUCCESS;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already written its one line (see createProgram).
      return COMMANDER_SUCCESSES.has(error.code) ? EXIT_SUCCESS : EXIT_USAGE;
    }
    io.stderr.write(`vig: ${failureLine(error)}\n`);
    return error instanceof UsageError ? EXIT_USAGE : EXIT_FAILURE;
  }
}
