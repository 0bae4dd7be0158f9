import { canMergeByLanes, mergeByteLanes } from './byte-lanes.js';
import type { MergeCollector } from './merge-result.js';
import type { RegisterArray } from './vector-entries.js';

/**
 * Merges `incoming` into `local[start ..]` by element-wise max in one pass,
 * zero incoming registers ignored, and collects both outputs in `output`'s
 * dense registers of `local`'s width, each taken only once something goes
 * in it. Returns how many registers went from 0 to non-zero.
 *
 * Every non-zero incoming register must land inside `local` and fit its
 * width. One-byte registers on both sides take the four-lanes-a-step path.
 */
export function mergeRegisters(
  local: RegisterArray,
  start: number,
  incoming: RegisterArray,
  output: MergeCollector,
): number {
  if (
    local instanceof Uint8Array &&
    incoming instanceof Uint8Array &&
    start >= 0 &&
    start + incoming.length <= local.length &&
    canMergeByLanes(local, start, incoming)
  ) {
    return mergeByteLanes(local, start, incoming, output);
  }
  const width = local.BYTES_PER_ELEMENT;
  const length = incoming.length;
  let grew: RegisterArray | undefined;
  let larger: RegisterArray | undefined;
  let added = 0;
  for (let position = 0; position < length; position++) {
    const sent = incoming[position];
    if (sent === 0) continue;
    const held = local[start + position];
    if (sent > held) {
      local[start + position] = sent;
      (grew ??= output.takeGrewRegisters(width, length))[position] = sent;
      if (held === 0) added++;
    } else if (sent < held) {
      (larger ??= output.takeLargerRegisters(width, length))[position] = held;
    }
  }
  return added;
}
