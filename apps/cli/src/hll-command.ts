import { isPattern } from '@vig/crdt-core';
import { hllCount, hllDelta } from '@vig/sketch';
import type { Command } from 'commander';
import type { JsonOption } from './answer-line.js';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { addHllProfileOptions, hllOptionsOf } from './hll-options.js';
import type { HllProfileOptions } from './hll-options.js';
import { addHllRedisCommands } from './hll-redis-commands.js';
import { addToHll, writeHllCount } from './hll-write.js';
import { assertOneKey } from './one-key.js';
import { addSketchGroup } from './sketch-group.js';
import { UsageError } from './usage-error.js';

/** The options of `vig hll add` and `vig hll count`. */
interface HllCommandOptions extends ClientOptions, HllProfileOptions, JsonOption {}

/** Adds `vig hll add|count|import-redis|export-redis`: HyperLogLog distinct counts. */
export function addHllCommand(program: Command, io: CliIo): void {
  const hll = addSketchGroup(
    program,
    'hll',
    'HyperLogLog distinct counts: add items, count a key or the union of a pattern, move to and from Redis',
  );
  addHllAddCommand(hll, io);
  addHllCountCommand(hll, io);
  addHllRedisCommands(hll, io);
}

/** Adds `vig hll add KEY ITEM...`. */
function addHllAddCommand(hll: Command, io: CliIo): void {
  const command = hll
    .command('add')
    .description('add items to the HyperLogLog at a key; print its count after')
    .argument('<KEY>', 'the key to write, such as visitors:home')
    .argument('<ITEM...>', 'the items, each counted once however often it is added')
    .option('--json', 'print {"key":…,"count":N} as one JSON line');
  addClientOptions(addHllProfileOptions(command)).action(
    async (key: string, items: string[], options: HllCommandOptions) => {
      assertOneKey(key, 'vig hll add');
      const hllOptions = hllOptionsOf(options);
      const delta = hllDelta(items, hllOptions);
      const count = await withClient(options, (client) => addToHll(client, key, delta, hllOptions));
      writeHllCount(io.stdout, options, key, count);
    },
  );
}

/** Adds `vig hll count KEY|PATTERN`. */
function addHllCountCommand(hll: Command, io: CliIo): void {
  const command = hll
    .command('count')
    .description('count a key, or the union of the keys a pattern matches')
    .argument('<KEY|PATTERN>', 'a key, or a pattern where * or % matches any run, as visitors:*')
    .option('--json', 'print {"key":KEY|PATTERN,"count":N} as one JSON line');
  addClientOptions(addHllProfileOptions(command)).action(
    async (key: string, options: HllCommandOptions) => {
      if (key.length === 0) {
        throw new UsageError('key is empty: expected a key such as visitors:home');
      }
      const hllOptions = hllOptionsOf(options);
      const vector = await withClient(options, (client) =>
        isPattern(key) ? client.aggregate(key) : client.get(key),
      );
      writeHllCount(io.stdout, options, key, hllCount(vector, hllOptions));
    },
  );
}
