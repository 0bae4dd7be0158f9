import { Option } from 'commander';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { DEFAULT_NODE } from './client-options.js';
import { keyFileOption, labelOption } from './key-options.js';
import { collectAddress, parseAddress } from './parse-address.js';
import { runServe } from './run-serve.js';
import type { ServeOptions } from './run-serve.js';
import { LOG_LEVELS } from './serve-logger.js';

/**
 * Adds `vig serve [--bind HOST:PORT] [--join HOST:PORT...] [--data DIR |
 * --memory] [--local] [--key-file FILE [--label NAME] | --insecure]`.
 */
export function addServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'run a node in the foreground, logging JSON lines to stdout; SIGINT or SIGTERM stops it cleanly, SIGHUP reads --key-file again',
    )
    .option(
      '--bind <HOST:PORT>',
      'where to listen (port 0: any free port; the started log line shows it)',
      (value: string) => parseAddress(value, true),
      DEFAULT_NODE,
    )
    .option('--join <HOST:PORT>', 'a node to join through; repeat it for more', collectAddress)
    .addOption(
      new Option(
        '--data <DIR>',
        "the store's folder (default: vig-HOST-PORT in the current directory)",
      ).conflicts('memory'),
    )
    .addOption(
      new Option('--memory', 'keep the store in memory only: it is gone when the node stops'),
    )
    .option('--local', 'loopback timings (LOCAL_MEMBERSHIP, LOCAL_GOSSIP) for tests and demos')
    .addOption(
      keyFileOption(
        "the cluster's key file (vig keygen FILE makes one): every datagram is sealed with its first key, and opened with any of its keys; SIGHUP reads it again",
      ),
    )
    .addOption(labelOption())
    .addOption(
      new Option(
        '--insecure',
        'run without a cluster key on an address other than loopback (protected mode off): anyone who can reach the port can write any key and join',
      ).conflicts('keyFile'),
    )
    .addOption(
      new Option('--log-level <LEVEL>', 'the quietest level logged')
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .action((options: ServeOptions) => runServe(options, io));
}
