import { Option } from 'commander';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { DEFAULT_NODE } from './client-options.js';
import { collectAddress, parseAddress } from './parse-address.js';
import { runServe } from './run-serve.js';
import type { ServeOptions } from './run-serve.js';
import { LOG_LEVELS } from './serve-logger.js';

/** Adds `vig serve [--bind HOST:PORT] [--join HOST:PORT...] [--data DIR | --memory] [--local]`. */
export function addServeCommand(program: Command, io: CliIo): void {
  program
    .command('serve')
    .description(
      'run a node in the foreground, logging JSON lines to stdout; SIGINT or SIGTERM stops it cleanly',
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
      new Option('--log-level <LEVEL>', 'the quietest level logged')
        .choices(LOG_LEVELS)
        .default('info'),
    )
    .action((options: ServeOptions) => runServe(options, io));
}
