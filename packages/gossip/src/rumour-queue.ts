/**
 * The retransmit queue of rumour gossip, after memberlist's
 * `TransmitLimitedQueue`: each key that grew is sent again on later gossip
 * rounds until it has gone out `retransmitMultiplier × ⌈log10(N + 1)⌉` times,
 * newest first. Forwarding on growth alone misses some nodes even without
 * loss; this makes a missed node unlikely (anti-entropy then repairs the rest).
 *
 * The queue keeps what grew (the delta), not the key's whole vector: a
 * retransmission carries only the entries that changed since the key was
 * queued, so a grown register of a 16384-register HyperLogLog costs one entry,
 * not the whole sketch.
 */
import { MaxVector } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';

/** How many rounds a key is retransmitted in a cluster of `clusterSize` nodes. */
export function retransmitLimit(retransmitMultiplier: number, clusterSize: number): number {
  return retransmitMultiplier * Math.max(1, Math.ceil(Math.log10(clusterSize + 1)));
}

/** One key handed out for a round: the entries that grew since it was queued. */
export interface Rumour {
  readonly key: string;
  readonly delta: VectorEntries;
}

interface QueuedRumour {
  readonly delta: MaxVector;
  remaining: number;
  order: number;
}

/** Keys waiting for retransmission; growth of a queued key joins its delta and restarts its count. */
export class RumourQueue {
  readonly #rumours = new Map<string, QueuedRumour>();
  #order = 0;

  /** Queues `grew` of `key` for `transmissions` more rounds (as the newest rumour). */
  add(key: string, grew: VectorEntries, transmissions: number): void {
    if (transmissions <= 0) return;
    this.#order += 1;
    const queued = this.#rumours.get(key);
    if (queued === undefined) {
      const delta = MaxVector.fromEntries(grew);
      this.#rumours.set(key, { delta, remaining: transmissions, order: this.#order });
      return;
    }
    queued.delta.merge(grew);
    queued.remaining = Math.max(queued.remaining, transmissions);
    queued.order = this.#order;
  }

  /** How many keys are queued. */
  get size(): number {
    return this.#rumours.size;
  }

  /**
   * The rumours to send this round, newest first, at most `limit` of them;
   * each one's count goes down by one, and keys that reach zero leave the queue.
   */
  takeRound(limit: number): Rumour[] {
    const chosen = [...this.#rumours]
      .sort(([, left], [, right]) => right.order - left.order)
      .slice(0, Math.max(0, limit));
    const round: Rumour[] = [];
    for (const [key, rumour] of chosen) {
      round.push({ key, delta: rumour.delta.toEntries() });
      rumour.remaining -= 1;
      if (rumour.remaining <= 0) this.#rumours.delete(key);
    }
    return round;
  }

  /** Forgets every queued key. */
  clear(): void {
    this.#rumours.clear();
  }
}
