import { canMergeByLanes, mergeByteLanes } from './byte-lanes.js';
import { allocateRegisters } from './register-width.js';
import type { RegisterArray } from './vector-entries.js';

/** What a register merge produced; reused between merges, so read it at once. */
export interface RegisterMergeOutcome {
  /** New values where they grew, aligned with the incoming registers; undefined if none grew. */
  grew: RegisterArray | undefined;
  /** Local values where they were larger than the sent non-zero ones; undefined if none. */
  larger: RegisterArray | undefined;
  /** How many registers went from 0 to non-zero. */
  added: number;
}

const outcome: RegisterMergeOutcome = { grew: undefined, larger: undefined, added: 0 };

/**
 * Merges `incoming` into `local[start ..]` by element-wise max in one pass,
 * zero incoming registers ignored, and collects both outputs in registers of
 * `local`'s width, each allocated only once something goes in it.
 *
 * Every non-zero incoming register must land inside `local` and fit its
 * width. One-byte registers on both sides take the four-lanes-a-step path.
 */
export function mergeRegisters(
  local: RegisterArray,
  start: number,
  incoming: RegisterArray,
): RegisterMergeOutcome {
  if (
    local instanceof Uint8Array &&
    incoming instanceof Uint8Array &&
    start >= 0 &&
    start + incoming.length <= local.length &&
    canMergeByLanes(local, start, incoming)
  ) {
    return mergeByteLanes(local, start, incoming);
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
      (grew ??= allocateRegisters(width, length))[position] = sent;
      if (held === 0) added++;
    } else if (sent < held) {
      (larger ??= allocateRegisters(width, length))[position] = held;
    }
  }
  outcome.grew = grew;
  outcome.larger = larger;
  outcome.added = added;
  return outcome;
}
