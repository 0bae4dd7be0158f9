import { isPattern } from '@vig/crdt-core';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { writeJsonLine } from './json-line.js';
import { keyedVector } from './keyed-vector.js';
import { UsageError } from './usage-error.js';
import { vectorText } from './vector-text.js';

/** The options of `vig get`. */
interface GetOptions extends ClientOptions {
  readonly json?: true;
}

/** Adds `vig get KEY [--node HOST:PORT] [--timeout MS] [--json]`. */
export function addGetCommand(program: Command, io: CliIo): void {
  const command = program
    .command('get')
    .description("read a key's vector (an unknown key reads as empty)")
    .argument('<KEY>', 'the key to read, such as views:home')
    .option('--json', 'print {"key":…,"vector":{index: value}} as one JSON line');
  addClientOptions(command).action(async (key: string, options: GetOptions) => {
    if (isPattern(key)) {
      throw new UsageError(
        `key ${JSON.stringify(key)} is a pattern: use vig search for % and vig agg for *`,
      );
    }
    const result = keyedVector(key, await withClient(options, (client) => client.get(key)));
    if (options.json === true) writeJsonLine(io.stdout, result);
    else io.stdout.write(`${result.key}  ${vectorText(result.vector)}\n`);
  });
}
