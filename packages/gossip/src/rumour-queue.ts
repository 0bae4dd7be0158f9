/**
 * The retransmit limit of rumour gossip, after memberlist's
 * `TransmitLimitedQueue`: each key that grew is sent again on later gossip
 * rounds until it has gone out `retransmitMultiplier × ⌈log10(N + 1)⌉` times,
 * newest first. Forwarding on growth alone misses some nodes even without
 * loss; this makes a missed node unlikely (anti-entropy then repairs the rest).
 */

/** How many rounds a key is retransmitted in a cluster of `clusterSize` nodes. */
export function retransmitLimit(retransmitMultiplier: number, clusterSize: number): number {
  return retransmitMultiplier * Math.max(1, Math.ceil(Math.log10(clusterSize + 1)));
}

interface QueuedRumour {
  remaining: number;
  order: number;
}

/** Keys waiting for retransmission; adding a queued key again restarts its count. */
export class RumourQueue {
  readonly #rumours = new Map<string, QueuedRumour>();
  #order = 0;

  /** Queues `key` for `transmissions` more rounds (as the newest rumour). */
  add(key: string, transmissions: number): void {
    if (transmissions <= 0) return;
    this.#order += 1;
    this.#rumours.set(key, { remaining: transmissions, order: this.#order });
  }

  /** How many keys are queued. */
  get size(): number {
    return this.#rumours.size;
  }

  /**
   * The keys to send this round, newest first, at most `limit` of them; each
   * one's count goes down by one, and keys that reach zero leave the queue.
   */
  takeRound(limit: number): string[] {
    const chosen = [...this.#rumours]
      .sort(([, left], [, right]) => right.order - left.order)
      .slice(0, Math.max(0, limit));
    for (const [key, rumour] of chosen) {
      rumour.remaining -= 1;
      if (rumour.remaining <= 0) this.#rumours.delete(key);
    }
    return chosen.map(([key]) => key);
  }

  /** Forgets every queued key. */
  clear(): void {
    this.#rumours.clear();
  }
}
