import type { VectorEntries } from '@vig/crdt-core';
import type { VigClient } from '@vig/node-udp';
import { hllCount } from '@vig/sketch';
import type { HllOptions } from '@vig/sketch';
import type { TextOutput } from './cli-io.js';
import { writeAnswer } from './answer-line.js';
import type { JsonOption } from './answer-line.js';

/**
 * Raises the HyperLogLog at `key` by `delta` through a node and resolves with
 * its count after: what the node held, merged with `delta`. What the key held
 * is counted first, so a key whose registers the profile cannot produce is
 * refused before anything is written.
 *
 * @throws `InvalidRegisterError` from `@vig/sketch` for such a key
 */
export async function addToHll(
  client: VigClient,
  key: string,
  delta: VectorEntries,
  hllOptions: HllOptions,
): Promise<number> {
  const vector = await client.get(key);
  hllCount(vector, hllOptions);
  await client.put(key, delta);
  vector.merge(delta);
  return hllCount(vector, hllOptions);
}

/** Prints a HyperLogLog count: the number, or `{"key":…,"count":N}` with `--json`. */
export function writeHllCount(
  output: TextOutput,
  options: JsonOption,
  key: string,
  count: number,
): void {
  writeAnswer(output, options, { key, count }, String(count));
}
