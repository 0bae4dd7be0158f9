import { isPattern } from '@vig/crdt-core';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { parseEntries } from './parse-entry.js';
import { UsageError } from './usage-error.js';
import { vectorText } from './vector-text.js';

/**
 * Throws unless `key` can be written: not empty, and not a `%` or `*` pattern.
 *
 * @throws {@link UsageError}
 */
export function assertWritableKey(key: string): void {
  if (key.length === 0) throw new UsageError('key is empty: expected a key such as views:home');
  if (isPattern(key)) {
    throw new UsageError(
      `key ${JSON.stringify(key)} is a pattern: put writes one key (without % or *)`,
    );
  }
}

/** Adds `vig put KEY INDEX=VALUE... [--node HOST:PORT] [--timeout MS]`. */
export function addPutCommand(program: Command, io: CliIo): void {
  const command = program
    .command('put')
    .description('raise entries of a key: each INDEX=VALUE keeps the larger of old and new value')
    .argument('<KEY>', 'the key to write, such as views:home')
    .argument('<INDEX=VALUE...>', 'entries, such as 0=5 3=7 (non-negative integers)');
  addClientOptions(command).action(
    async (key: string, entryTexts: string[], options: ClientOptions) => {
      assertWritableKey(key);
      const entries = parseEntries(entryTexts);
      await withClient(options, (client) => client.put(key, entries));
      io.stdout.write(`put ${key} ${vectorText(entries)}\n`);
    },
  );
}
