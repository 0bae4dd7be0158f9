import type { PeerEndpoint } from './udp-endpoint-cache.js';

/** One datagram waiting to be handed to the socket. */
export interface QueuedDatagram {
  readonly to: PeerEndpoint;
  readonly bytes: Buffer;
}

/** Taken datagrams are compacted away once this many have piled up at the front. */
const COMPACT_AFTER = 4096;

/**
 * A bounded first-in, first-out queue of outgoing datagrams. Pushing and
 * taking cost O(1) amortised: taken slots are cut off the front in bulk,
 * never one `shift` at a time.
 */
export class SendQueue {
  readonly #capacity: number;
  #items: (QueuedDatagram | undefined)[] = [];
  #head = 0;

  /** A queue of at most `capacity` datagrams. */
  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  /** Datagrams waiting. */
  get size(): number {
    return this.#items.length - this.#head;
  }

  /** Appends a datagram; false (nothing queued) when the queue is full. */
  push(datagram: QueuedDatagram): boolean {
    if (this.size >= this.#capacity) return false;
    this.#items.push(datagram);
    return true;
  }

  /** Removes and returns the oldest datagram, if any. */
  take(): QueuedDatagram | undefined {
    if (this.#head >= this.#items.length) return undefined;
    const datagram = this.#items[this.#head];
    this.#items[this.#head] = undefined;
    this.#head += 1;
    if (this.#head === this.#items.length) this.clear();
    else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#items.length) {
      this.#items = this.#items.slice(this.#head);
      this.#head = 0;
    }
    return datagram;
  }

  /** Drops every waiting datagram; returns how many there were. */
  clear(): number {
    const dropped = this.size;
    this.#items = [];
    this.#head = 0;
    return dropped;
  }
}
