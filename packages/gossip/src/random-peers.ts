import { VigError } from '@vig/crdt-core';
import type { RandomSource } from './scheduler.js';
import type { PeerAddress } from './transport.js';

/** A peer count that is not a non-negative integer. */
export class InvalidPeerCountError extends VigError {
  static override readonly name = 'InvalidPeerCountError';
  override readonly name = 'InvalidPeerCountError';
  readonly count: number;

  constructor(count: number, options?: ErrorOptions) {
    super(`peer count ${count} is invalid: expected a non-negative integer`, options);
    this.count = count;
  }
}

/**
 * Up to `count` distinct peers drawn uniformly at random, without
 * replacement, from `peers`, skipping every address in `exclude` (the sender
 * of the message being handled, usually). Fewer come back when fewer are
 * eligible; an address listed twice in `peers` is still chosen at most once.
 *
 * Deterministic for a seeded `random`: the same peers, count, exclusions and
 * random sequence give the same choice, in the same order. It runs a
 * Fisher–Yates shuffle that stops after the picks it needs, on a virtual
 * copy of `peers` (a map of the positions it has swapped), so it takes
 * O(count + excluded) time and space whatever the length of `peers`, and
 * never modifies `peers`. A uniform permutation with some addresses skipped
 * is a uniform permutation of the rest, so skipping keeps the choice uniform.
 *
 * @throws {@link InvalidPeerCountError} unless `count` is a non-negative integer
 *
 * @example
 * ```ts
 * const random = seededRandom(7);
 * const targets = choosePeers(livePeers, 3, random, [sender]); // never the sender
 * ```
 */
export function choosePeers(
  peers: readonly PeerAddress[],
  count: number,
  random: RandomSource,
  exclude: ReadonlySet<PeerAddress> | readonly PeerAddress[] = [],
): PeerAddress[] {
  if (!Number.isSafeInteger(count) || count < 0) throw new InvalidPeerCountError(count);
  const excluded: ReadonlySet<PeerAddress> = exclude instanceof Set ? exclude : new Set(exclude);
  const chosen: PeerAddress[] = [];
  const seen = new Set<PeerAddress>();
  /** Position → the peer a swap moved there (the virtual copy). */
  const swapped = new Map<number, PeerAddress>();
  const total = peers.length;
  for (let position = 0; position < total && chosen.length < count; position++) {
    const pick = position + randomOffset(random, total - position);
    const peer = swapped.get(pick) ?? peers[pick];
    if (pick !== position) swapped.set(pick, swapped.get(position) ?? peers[position]);
    swapped.delete(position);
    if (peer === undefined || excluded.has(peer) || seen.has(peer)) continue;
    seen.add(peer);
    chosen.push(peer);
  }
  return chosen;
}

/** A uniform integer in 0..span−1 (clamped, so a source returning 1 or NaN cannot escape the range). */
function randomOffset(random: RandomSource, span: number): number {
  const offset = Math.floor(random() * span);
  if (offset >= 0 && offset < span) return offset;
  return offset >= span ? span - 1 : 0;
}
