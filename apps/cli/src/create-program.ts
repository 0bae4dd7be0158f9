import { Command } from 'commander';
import { addAggregateCommand } from './agg-command.js';
import { addBloomCommand } from './bloom-command.js';
import type { CliIo } from './cli-io.js';
import { processIo } from './cli-io.js';
import { addCounterCommand } from './counter-command.js';
import { addDemoCommand } from './demo-command.js';
import { addDocCommand } from './doc-command.js';
import { addGetCommand } from './get-command.js';
import { addHllCommand } from './hll-command.js';
import { addKeygenCommand } from './keygen-command.js';
import { addMembersCommand } from './members-command.js';
import { addMinHashCommand } from './minhash-command.js';
import { oneLine } from './one-line.js';
import { packageVersion } from './package-version.js';
import { addPutCommand } from './put-command.js';
import { addSearchCommand } from './search-command.js';
import { addServeCommand } from './serve-command.js';

/** Commander's own "error: " prefix, replaced by `vig: `. */
const COMMANDER_PREFIX = /^error:\s*/;

/**
 * Builds the `vig` command: `serve`, `keygen`, `put`, `get`, `search`, `agg`,
 * `members`, the sketch commands (`hll`, `counter`, `bloom`, `minhash`), the
 * document commands (`doc`) and `demo`, writing to `io`. Commander never exits the process:
 * a usage mistake is written to `io.stderr` as one line and thrown as a
 * `CommanderError` (`exitOverride`), which {@link runCli} turns into exit
 * code 2. Parse it with `parseAsync(argv, { from: 'user' })`.
 */
export function createProgram(io: CliIo = processIo()): Command {
  const program = new Command('vig')
    .description('Vig: a peer-to-peer, eventually consistent sketch database')
    .version(packageVersion(), '-V, --version', 'print the version')
    .helpCommand(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) => write(`vig: ${oneLine(text.replace(COMMANDER_PREFIX, ''))}\n`),
    });
  // Added after the settings above, so every subcommand inherits them.
  addServeCommand(program, io);
  addKeygenCommand(program, io);
  addPutCommand(program, io);
  addGetCommand(program, io);
  addSearchCommand(program, io);
  addAggregateCommand(program, io);
  addMembersCommand(program, io);
  addHllCommand(program, io);
  addCounterCommand(program, io);
  addBloomCommand(program, io);
  addMinHashCommand(program, io);
  addDocCommand(program, io);
  addDemoCommand(program, io);
  return program;
}
