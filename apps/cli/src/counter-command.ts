import { join } from 'node:path';
import { MAX_INDEX, MAX_VALUE } from '@vig/crdt-core';
import { counterIncrement, counterValue } from '@vig/sketch';
import type { Command } from 'commander';
import { writeAnswer } from './answer-line.js';
import type { JsonOption } from './answer-line.js';
import type { CliIo } from './cli-io.js';
import { addClientOptions, withClient } from './client-options.js';
import type { ClientOptions } from './client-options.js';
import {
  COUNTER_LOCK_FILE,
  OwnCounts,
  openStateDirectory,
  storedWriterId,
} from './counter-state.js';
import { assertOneKey } from './one-key.js';
import { integerInRange } from './parse-integer.js';
import { addSketchGroup } from './sketch-group.js';
import { withFileLock } from './state-lock.js';

/** The options of `vig counter get`. */
interface CounterOptions extends ClientOptions, JsonOption {}

/** The options of `vig counter incr`. */
interface IncrementOptions extends CounterOptions {
  /** The writer id `--writer` gives; undefined for the stored one. */
  readonly writer?: number;
}

/** Adds `vig counter incr|get`: exact G-Counters. */
export function addCounterCommand(program: Command, io: CliIo): void {
  const counter = addSketchGroup(
    program,
    'counter',
    'exact counters that only grow (G-Counters): each writer raises its own entry',
  );
  addIncrementCommand(counter, io);
  addCounterGetCommand(counter, io);
}

/** Adds `vig counter incr KEY [N]`. */
function addIncrementCommand(counter: Command, io: CliIo): void {
  const command = counter
    .command('incr')
    .description(
      "add N to a counter as this user's writer and print the counter's total after; concurrent runs by one user (same state folder) are serialised by a lock",
    )
    .argument('<KEY>', 'the counter, such as visits:home')
    .argument('[N]', `how much to add, 1..${MAX_VALUE}`, integerInRange('N', 1, MAX_VALUE), 1)
    .option(
      '--writer <ID>',
      `the writer id, 1..${MAX_INDEX} (default: the one in $VIG_STATE_DIR/writer-id, picked at random on first use; VIG_STATE_DIR defaults to \${XDG_STATE_HOME:-$HOME/.local/state}/vig)`,
      integerInRange('--writer', 1, MAX_INDEX),
    )
    .option('--json', 'print {"key":…,"value":N} as one JSON line');
  addClientOptions(command).action(async (key: string, by: number, options: IncrementOptions) => {
    assertOneKey(key, 'vig counter incr');
    writeCounterValue(io, options, key, await increment(key, by, options));
  });
}

/**
 * Adds `by` to the counter at `key` for this user's writer and resolves with
 * the counter's total after. Under the state folder's lock: the writer's own
 * count is the larger of the one kept in the state folder and the node's
 * entry for the writer, so increments through nodes that have not yet heard
 * of the last one still add up; the new count is written, then kept.
 */
async function increment(key: string, by: number, options: IncrementOptions): Promise<number> {
  const directory = await openStateDirectory();
  return withFileLock(join(directory, COUNTER_LOCK_FILE), async () => {
    const writer = options.writer ?? (await storedWriterId(directory));
    const counts = await OwnCounts.read(directory);
    return withClient(options, async (client) => {
      const vector = await client.get(key);
      vector.raise(writer, counts.get(writer, key));
      const delta = counterIncrement(vector, writer, by);
      await client.put(key, delta);
      vector.merge(delta);
      counts.set(writer, key, vector.get(writer));
      await counts.save(directory);
      return counterValue(vector);
    });
  });
}

/** Adds `vig counter get KEY`. */
function addCounterGetCommand(counter: Command, io: CliIo): void {
  const command = counter
    .command('get')
    .description("a counter's total: the sum of every writer's count (an unknown key reads 0)")
    .argument('<KEY>', 'the counter, such as visits:home')
    .option('--json', 'print {"key":…,"value":N} as one JSON line');
  addClientOptions(command).action(async (key: string, options: CounterOptions) => {
    assertOneKey(key, 'vig counter get');
    const vector = await withClient(options, (client) => client.get(key));
    writeCounterValue(io, options, key, counterValue(vector));
  });
}

/** Prints a counter's total: the number, or `{"key":…,"value":N}` with `--json`. */
function writeCounterValue(io: CliIo, options: JsonOption, key: string, value: number): void {
  writeAnswer(io.stdout, options, { key, value }, String(value));
}
