import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { assertOneKey } from './one-key.js';
import { parseEntries } from './parse-entry.js';
import { vectorText } from './vector-text.js';

/** Adds `vig put KEY INDEX=VALUE... [--node HOST:PORT] [--timeout MS]`. */
export function addPutCommand(program: Command, io: CliIo): void {
  const command = program
    .command('put')
    .description('raise entries of a key: each INDEX=VALUE keeps the larger of old and new value')
    .argument('<KEY>', 'the key to write, such as views:home')
    .argument('<INDEX=VALUE...>', 'entries, such as 0=5 3=7 (non-negative integers)');
  addClientOptions(command).action(
    async (key: string, entryTexts: string[], options: ClientOptions) => {
      assertOneKey(key, 'vig put');
      const entries = parseEntries(entryTexts);
      await withClient(options, (client) => client.put(key, entries));
      io.stdout.write(`put ${key} ${vectorText(entries)}\n`);
    },
  );
}
