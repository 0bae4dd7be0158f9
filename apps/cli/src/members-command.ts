import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { compareText } from './compare-text.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { writeJsonLine } from './json-line.js';
import { textTable } from './text-table.js';

/** The options of `vig members`. */
interface MembersOptions extends ClientOptions {
  readonly json?: true;
}

/** Adds `vig members [--node HOST:PORT] [--timeout MS] [--json]`. */
export function addMembersCommand(program: Command, io: CliIo): void {
  const command = program
    .command('members')
    .description('the cluster members a node knows, with their status')
    .option('--json', 'print [{"address":…,"status":…}, …] as one JSON line');
  addClientOptions(command).action(async (options: MembersOptions) => {
    const members = (await withClient(options, (client) => client.members()))
      .map(({ address, status }) => ({ address, status }))
      .sort((left, right) => compareText(left.address, right.address));
    if (options.json === true) writeJsonLine(io.stdout, members);
    else if (members.length === 0) io.stdout.write('no members known\n');
    else {
      io.stdout.write(
        textTable([
          ['ADDRESS', 'STATUS'],
          ...members.map(({ address, status }) => [address, status]),
        ]),
      );
    }
  });
}
