import { isAggregatePattern } from '@vig/crdt-core';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { writeJsonLine } from './json-line.js';
import { keyedVector } from './keyed-vector.js';
import { UsageError } from './usage-error.js';
import { vectorText } from './vector-text.js';

/** The options of `vig agg`. */
interface AggregateOptions extends ClientOptions {
  readonly json?: true;
}

/** Adds `vig agg PATTERN [--node HOST:PORT] [--timeout MS] [--json]`. */
export function addAggregateCommand(program: Command, io: CliIo): void {
  const command = program
    .command('agg')
    .description('the element-wise max over every key matching a * pattern')
    .argument('<PATTERN>', '* matches any run of characters, as in views:*')
    .option('--json', 'print {"key":PATTERN,"vector":{…}} as one JSON line');
  addClientOptions(command).action(async (pattern: string, options: AggregateOptions) => {
    if (!isAggregatePattern(pattern)) {
      throw new UsageError(
        `pattern ${JSON.stringify(pattern)} is not an aggregate pattern: expected a *, such as views:*`,
      );
    }
    const result = keyedVector(
      pattern,
      await withClient(options, (client) => client.aggregate(pattern)),
    );
    if (options.json === true) writeJsonLine(io.stdout, result);
    else io.stdout.write(`${result.key}  ${vectorText(result.vector)}\n`);
  });
}
