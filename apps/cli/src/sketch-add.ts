import type { VectorEntries } from '@vig/crdt-core';
import type { Command } from 'commander';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { assertOneKey } from './one-key.js';

/** What sets one `add` subcommand apart from another. */
export interface ItemsCommand<Options extends ClientOptions> {
  /** What the key holds, for the help: "the Bloom filter". */
  readonly sketch: string;
  /** A key such as the help shows: "seen:urls". */
  readonly example: string;
  /** Adds the sketch's own options (`--capacity`…) to the command. */
  readonly addOptions: (command: Command) => Command;
  /** The delta that adding `items` produces. */
  readonly delta: (items: readonly string[], options: Options) => VectorEntries;
}

/**
 * Adds `vig GROUP add KEY ITEM...` (as `vig bloom add`, `vig minhash add`):
 * it writes the delta that adding the items produces to KEY through a node
 * and prints `added N items to KEY`.
 */
export function addItemsCommand<Options extends ClientOptions>(
  group: Command,
  io: CliIo,
  spec: ItemsCommand<Options>,
): void {
  const command = group
    .command('add')
    .description(`add items to ${spec.sketch} at a key`)
    .argument('<KEY>', `the key to write, such as ${spec.example}`)
    .argument('<ITEM...>', 'the items');
  addClientOptions(spec.addOptions(command)).action(
    async (key: string, items: string[], options: Options) => {
      assertOneKey(key, `vig ${group.name()} add`);
      const entries = spec.delta(items, options);
      await withClient(options, (client) => client.put(key, entries));
      const noun = items.length === 1 ? 'item' : 'items';
      io.stdout.write(`added ${items.length} ${noun} to ${key}\n`);
    },
  );
}
