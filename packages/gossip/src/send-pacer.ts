/**
 * The engine's outgoing limits: a byte budget per gossip interval and
 * bounded queues, per peer and in all. A datagram goes out at once while the interval's
 * budget lasts; after that it waits in its peer's queue for the next
 * interval, and a full queue drops it (counted). So a burst (a node answering
 * a large search, repairing a partition) is spread over intervals instead of
 * flooding the socket, and memory stays bounded however much is asked of it.
 */
import type { PeerAddress } from './transport.js';

/** What the pacer does with a datagram it lets through. */
export type DatagramSink = (to: PeerAddress, datagram: Uint8Array) => void;

/** Options of {@link SendPacer}. */
export interface SendPacerOptions {
  /** Bytes sent per interval before datagrams queue; the first datagram of an interval always goes. */
  readonly bytesPerInterval: number;
  /** Datagrams waiting per peer; one more is dropped. */
  readonly maxQueuedPerPeer: number;
  /**
   * Datagrams waiting for all peers together; one more is dropped. Default
   * unbounded; the engine bounds it, since replies may go to any number of
   * (spoofed) addresses, each with a queue of its own.
   */
  readonly maxQueued?: number;
  /** Sends a datagram (the transport, with the engine's counting). */
  readonly transmit: DatagramSink;
  /** Called for each datagram dropped because its peer's queue is full. */
  readonly onQueueFull: (to: PeerAddress, datagram: Uint8Array) => void;
}

/** Paces datagrams to a byte budget per interval, queueing the rest per peer (bounded). */
export class SendPacer {
  readonly #options: SendPacerOptions;
  readonly #queues = new Map<PeerAddress, Uint8Array[]>();
  #spent = 0;
  #queued = 0;

  constructor(options: SendPacerOptions) {
    this.#options = options;
  }

  /** Datagrams waiting for a later interval. */
  get queued(): number {
    return this.#queued;
  }

  /** Sends `datagram` now if the budget allows and nothing to `to` waits; otherwise queues it. */
  send(to: PeerAddress, datagram: Uint8Array): void {
    const queue = this.#queues.get(to);
    if (queue === undefined && this.#fits(datagram)) {
      this.#transmit(to, datagram);
      return;
    }
    const full =
      (queue?.length ?? 0) >= this.#options.maxQueuedPerPeer ||
      this.#queued >= (this.#options.maxQueued ?? Infinity);
    if (full) {
      this.#options.onQueueFull(to, datagram);
      return;
    }
    if (queue === undefined) this.#queues.set(to, [datagram]);
    else queue.push(datagram);
    this.#queued += 1;
  }

  /**
   * Starts a new interval: the budget is whole again, and queued datagrams go
   * first, one per peer in turn, so no peer's backlog starves another's.
   */
  nextInterval(): void {
    this.#spent = 0;
    while (this.#queued > 0) {
      let sentAny = false;
      for (const [to, queue] of this.#queues) {
        const datagram = queue[0];
        if (datagram === undefined || !this.#fits(datagram)) continue;
        queue.shift();
        this.#queued -= 1;
        // To the back of the line: the next interval starts with another peer.
        this.#queues.delete(to);
        if (queue.length > 0) this.#queues.set(to, queue);
        this.#transmit(to, datagram);
        sentAny = true;
      }
      if (!sentAny) return;
    }
  }

  /** Forgets every queued datagram. */
  clear(): void {
    this.#queues.clear();
    this.#queued = 0;
  }

  #fits(datagram: Uint8Array): boolean {
    return this.#spent === 0 || this.#spent + datagram.byteLength <= this.#options.bytesPerInterval;
  }

  #transmit(to: PeerAddress, datagram: Uint8Array): void {
    this.#spent += datagram.byteLength;
    this.#options.transmit(to, datagram);
  }
}
