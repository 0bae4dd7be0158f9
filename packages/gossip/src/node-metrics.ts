/**
 * Traffic counters of one gossip node: messages and bytes in and out, and every
 * dropped datagram or message counted by reason.
 */
import type { DecodeFailureReason } from '@vig/wire';

/**
 * Why a node dropped something: a wire decode reason for a datagram
 * `decodeMessage` refused ('truncated', 'not-msgpack', ...); `encode-failed`
 * for an outgoing message `splitMessage` could not fit to the budget;
 * `send-failed` for a datagram the transport refused (closed, or too large);
 * `rules-failed` for a decoded message the rules could not apply.
 */
export type NodeDropReason = DecodeFailureReason | 'encode-failed' | 'send-failed' | 'rules-failed';

/** A snapshot of a node's counters; later traffic does not change it. */
export interface NodeMetrics {
  /** Datagrams received, valid or not. */
  readonly messagesIn: number;
  /** Bytes of the datagrams received. */
  readonly bytesIn: number;
  /** Datagrams handed to the transport. */
  readonly messagesOut: number;
  /** Bytes of the datagrams handed to the transport. */
  readonly bytesOut: number;
  /** Everything dropped, by reason; reasons never seen are absent. */
  readonly drops: Readonly<Partial<Record<NodeDropReason, number>>>;
  /** Listener calls that threw (the node goes on; the error is not rethrown). */
  readonly listenerErrors: number;
}

/** The mutable counters behind {@link NodeMetrics}. */
export class NodeMetricsCounters {
  #messagesIn = 0;
  #bytesIn = 0;
  #messagesOut = 0;
  #bytesOut = 0;
  #listenerErrors = 0;
  readonly #drops = new Map<NodeDropReason, number>();

  /** Counts one received datagram of `byteLength` bytes. */
  received(byteLength: number): void {
    this.#messagesIn += 1;
    this.#bytesIn += byteLength;
  }

  /** Counts one sent datagram of `byteLength` bytes. */
  sent(byteLength: number): void {
    this.#messagesOut += 1;
    this.#bytesOut += byteLength;
  }

  /** Counts one drop for `reason`. */
  dropped(reason: NodeDropReason): void {
    this.#drops.set(reason, (this.#drops.get(reason) ?? 0) + 1);
  }

  /** Counts one listener that threw. */
  listenerFailed(): void {
    this.#listenerErrors += 1;
  }

  /** A frozen copy of the counters. */
  snapshot(): NodeMetrics {
    return Object.freeze({
      messagesIn: this.#messagesIn,
      bytesIn: this.#bytesIn,
      messagesOut: this.#messagesOut,
      bytesOut: this.#bytesOut,
      drops: Object.freeze(Object.fromEntries(this.#drops)),
      listenerErrors: this.#listenerErrors,
    });
  }
}
