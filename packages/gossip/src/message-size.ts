/**
 * A cheap lower bound of what a vignette message takes on the wire, for
 * refusing an answer that cannot fit a budget before paying to encode it.
 */
import type { VignetteMessage } from '@vig/wire';

/**
 * The fewest bytes `message` can encode to, in however many datagrams: one
 * per UTF-16 unit of its key (UTF-8 never takes fewer bytes) and one per
 * non-zero entry (no encoding, sparse or dense, takes less). O(entries),
 * allocation-free: far below the cost of encoding them.
 */
export function minimumMessageBytes(message: VignetteMessage): number {
  const vector = message.vector;
  let entries = 0;
  if (vector.kind === 'sparse') {
    for (const value of vector.values) if (value !== 0) entries += 1;
  } else {
    for (const value of vector.registers) if (value !== 0) entries += 1;
  }
  return message.key.length + entries;
}
