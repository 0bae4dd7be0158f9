import { bloomAdd, bloomHas } from '@vig/sketch';
import type { Command } from 'commander';
import type { JsonOption } from './answer-line.js';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { writeJsonLine } from './json-line.js';
import { addBloomOptions, assertFilterFits, bloomParametersOf } from './bloom-options.js';
import type { BloomOptions } from './bloom-options.js';
import { assertOneKey } from './one-key.js';
import { addItemsCommand } from './sketch-add.js';
import { addSketchGroup } from './sketch-group.js';

/** The options of `vig bloom add` and `vig bloom has`. */
interface BloomCommandOptions extends ClientOptions, BloomOptions, JsonOption {}

/** Adds `vig bloom add|has`: Bloom filters. */
export function addBloomCommand(program: Command, io: CliIo): void {
  const bloom = addSketchGroup(
    program,
    'bloom',
    'Bloom filters: add items, ask whether items may have been added (no false negatives)',
  );
  addItemsCommand<BloomCommandOptions>(bloom, io, {
    sketch: 'the Bloom filter',
    example: 'seen:urls',
    addOptions: addBloomOptions,
    delta: (items, options) => bloomAdd(items, bloomParametersOf(options)),
  });
  const has = bloom
    .command('has')
    .description(
      'for each item, whether the filter at a key may hold it: ITEM<TAB>yes|no (yes may be a false positive, no is certain)',
    )
    .argument('<KEY>', 'the key to read, such as seen:urls')
    .argument('<ITEM...>', 'the items to look up')
    .option('--json', 'print {"key":…,"item":…,"present":true|false} as one JSON line per item');
  addClientOptions(addBloomOptions(has)).action(
    async (key: string, items: string[], options: BloomCommandOptions) => {
      assertOneKey(key, 'vig bloom has');
      const parameters = bloomParametersOf(options);
      const filter = await withClient(options, (client) => client.get(key));
      assertFilterFits(key, filter, parameters, options);
      for (const item of items) {
        const present = bloomHas(filter, item, parameters);
        if (options.json === true) writeJsonLine(io.stdout, { key, item, present });
        else io.stdout.write(`${item}\t${present ? 'yes' : 'no'}\n`);
      }
    },
  );
}
