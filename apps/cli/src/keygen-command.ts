import { newClusterKey } from '@vig/node-udp';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { clusterKeyIdOf } from './cluster-key-id.js';
import { writeKeyFile } from './write-key-file.js';

/** The options of `vig keygen`. */
interface KeygenOptions {
  readonly force?: true;
}

/** What `vig keygen --help` adds after the options: the key file's format and where rotation is described. */
const KEY_FILE_HELP = `
A cluster key is 32 random bytes, written as 44 characters of base64. A key file
holds one key per line: the first is the primary key, which seals every datagram;
the others are only accepted (datagrams sealed with them still open), for rotation.
Blank lines and # comments are ignored. Nodes and clients refuse a key file its
group or others may read or write: vig keygen FILE creates FILE with mode 0600
(chmod 600 any other). Give every node and client of a cluster the same keys:
vig serve --key-file FILE, and --key-file FILE (or VIG_KEY_FILE) on client commands.

Rotating keys without downtime (accept the new key everywhere, make it primary,
drop the old one, with a SIGHUP to each vig serve after each step): see
docs/security.md and the "Cluster keys" section of apps/cli/README.md.

Examples:
  vig keygen /etc/vig/cluster.key     a new key file, mode 0600
  vig keygen                          a new key on stdout, for an existing file
`;

/** Adds `vig keygen [FILE] [--force]`. */
export function addKeygenCommand(program: Command, io: CliIo): void {
  program
    .command('keygen')
    .description(
      'make a new cluster key: print it, or write it to a new key file (mode 0600) and print its id',
    )
    .argument('[FILE]', 'the key file to create; without it the key is printed to stdout')
    .option('--force', 'replace FILE if it exists (the key it held is lost)')
    .addHelpText('after', KEY_FILE_HELP)
    .action(async (file: string | undefined, options: KeygenOptions) => {
      const key = newClusterKey();
      if (file === undefined) {
        io.stdout.write(`${key}\n`);
        return;
      }
      await writeKeyFile(file, `${key}\n`, options.force === true);
      io.stdout.write(`wrote a new cluster key to ${file} (key id ${clusterKeyIdOf(key)})\n`);
    });
}
