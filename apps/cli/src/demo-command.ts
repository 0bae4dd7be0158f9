import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { integerInRange } from './parse-integer.js';
import { runDemo } from './run-demo.js';
import type { DemoOptions } from './run-demo.js';

/** The demo's node count when `--nodes` is not given. */
export const DEFAULT_DEMO_NODES = 5;

/** The most nodes the demo starts. */
export const MAX_DEMO_NODES = 32;

/** Adds `vig demo [--nodes N]`. */
export function addDemoCommand(program: Command, io: CliIo): void {
  program
    .command('demo')
    .description(
      'start a local cluster in this process, write through one node, watch every node converge, and stop',
    )
    .option(
      '--nodes <N>',
      `how many nodes to start (2..${MAX_DEMO_NODES})`,
      integerInRange('--nodes', 2, MAX_DEMO_NODES),
      DEFAULT_DEMO_NODES,
    )
    .action((options: DemoOptions) => runDemo(options, io));
}
