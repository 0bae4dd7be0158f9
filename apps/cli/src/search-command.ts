import { isSearchPattern } from '@vig/crdt-core';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { compareText } from './compare-text.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { writeJsonLine } from './json-line.js';
import { keyedVector } from './keyed-vector.js';
import { textTable } from './text-table.js';
import { UsageError } from './usage-error.js';
import { vectorText } from './vector-text.js';

/** The options of `vig search`. */
interface SearchOptions extends ClientOptions {
  readonly json?: true;
}

/** Adds `vig search PATTERN [--node HOST:PORT] [--timeout MS] [--json]`. */
export function addSearchCommand(program: Command, io: CliIo): void {
  const command = program
    .command('search')
    .description('list every key matching a % pattern, with its vector')
    .argument('<PATTERN>', '% matches any run of characters, as in views:%')
    .option('--json', 'print [{"key":…,"vector":{…}}, …] as one JSON line');
  addClientOptions(command).action(async (pattern: string, options: SearchOptions) => {
    if (!isSearchPattern(pattern)) {
      throw new UsageError(
        `pattern ${JSON.stringify(pattern)} is not a search pattern: expected % and no *, such as views:%`,
      );
    }
    const found = await withClient(options, (client) => client.search(pattern));
    const results = found
      .map(([key, vector]) => keyedVector(key, vector))
      .sort((left, right) => compareText(left.key, right.key));
    if (options.json === true) writeJsonLine(io.stdout, results);
    else if (results.length === 0) io.stdout.write(`no key matches ${pattern}\n`);
    else io.stdout.write(textTable(results.map(({ key, vector }) => [key, vectorText(vector)])));
  });
}
