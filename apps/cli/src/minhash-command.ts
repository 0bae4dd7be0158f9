import { MAX_MIN_HASH_REGISTERS, minHashAdd, minHashSimilarity } from '@vig/sketch';
import type { Command } from 'commander';
import { writeAnswer } from './answer-line.js';
import type { JsonOption } from './answer-line.js';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import { assertOneKey } from './one-key.js';
import { integerInRange } from './parse-integer.js';
import { addItemsCommand } from './sketch-add.js';
import { addSketchGroup } from './sketch-group.js';

/** How many registers a Min-Hash signature has when `--registers` is not given. */
export const DEFAULT_REGISTERS = 128;

/** The options of `vig minhash add` and `vig minhash similarity`. */
interface MinHashOptions extends ClientOptions, JsonOption {
  readonly registers: number;
}

/** Adds `--registers K` to `command`. */
function addRegistersOption(command: Command, use: string): Command {
  return command.option(
    '--registers <K>',
    `the signature's register count, 1..${MAX_MIN_HASH_REGISTERS} (${use})`,
    integerInRange('--registers', 1, MAX_MIN_HASH_REGISTERS),
    DEFAULT_REGISTERS,
  );
}

/** Adds `vig minhash add|similarity`: Min-Hash signatures. */
export function addMinHashCommand(program: Command, io: CliIo): void {
  const minhash = addSketchGroup(
    program,
    'minhash',
    'Min-Hash signatures: add items to a set, estimate the Jaccard similarity of two sets',
  );
  addItemsCommand<MinHashOptions>(minhash, io, {
    sketch: 'the Min-Hash signature',
    example: 'tags:post-1',
    addOptions: (command) =>
      addRegistersOption(command, 'more registers, smaller error: σ = √(J(1−J)/K)'),
    delta: (items, options) => minHashAdd(items, options.registers),
  });
  const similarity = minhash
    .command('similarity')
    .description('the estimated Jaccard similarity |A ∩ B| / |A ∪ B| of the sets at two keys')
    .argument('<KEY1>', 'the first key')
    .argument('<KEY2>', 'the second key')
    .option('--json', 'print {"keys":[KEY1,KEY2],"similarity":x} as one JSON line');
  addClientOptions(
    addRegistersOption(
      similarity,
      'compares registers 0..K-1; a K above the one of the adds gains nothing',
    ),
  ).action(async (first: string, second: string, options: MinHashOptions) => {
    assertOneKey(first, 'vig minhash similarity');
    assertOneKey(second, 'vig minhash similarity');
    const [left, right] = await withClient(options, async (client) => [
      await client.get(first),
      await client.get(second),
    ]);
    const estimate = minHashSimilarity(left, right, options.registers);
    writeAnswer(
      io.stdout,
      options,
      { keys: [first, second], similarity: estimate },
      estimate.toFixed(4),
    );
  });
}
