/**
 * Traffic counters of one gossip node: messages and bytes in and out, and every
 * dropped datagram or message counted by reason.
 */
import type { DecodeFailureReason } from '@vig/wire';
import type { OutgoingReason } from './message-rules.js';

/**
 * Why a node dropped something: a wire decode reason for a datagram
 * `decodeDatagram` refused ('truncated', 'not-msgpack', ...); `encode-failed`
 * for an outgoing message that could not be split to the budget;
 * `send-failed` for a datagram the transport refused (closed, or too large);
 * `rules-failed` for a decoded message the rules could not apply;
 * `queue-full` for a datagram that found its peer's send queue full;
 * `client-peer-key` for a client's message about its own peer key (a client
 * never becomes a member, on this node or through it on others).
 *
 * The abuse limits: `rate-limited` for a datagram dropped undecoded because
 * its source exceeded `sourceRate`; `amplification-limit` for an answer (one
 * message, however many datagrams) refused because it would exceed three
 * times what its unvalidated destination sent; `key-limit` for an update (or peer entry) refused because
 * it would create a key beyond `maxKeys`; `vector-limit` for an update whose
 * entries at new indices were refused, in part or whole, because the vector
 * would exceed `maxEntriesPerKey`. `docs-disabled`: a doc message (other than
 * a client's request, which is answered `no-docs`) reached a node without a
 * versioned store. `not-durable`: an answer to a client held until its key's
 * latest write was durable (`clientAnswerWait`), and that write failed.
 */
export type NodeDropReason =
  | DecodeFailureReason
  | 'encode-failed'
  | 'send-failed'
  | 'rules-failed'
  | 'queue-full'
  | 'client-peer-key'
  | 'rate-limited'
  | 'amplification-limit'
  | 'key-limit'
  | 'vector-limit'
  | 'docs-disabled'
  | 'not-durable';

/**
 * Why a node sent a datagram: the message rules' reasons (`answer`, `reply`,
 * `forward`, `pull`), and the engine's own: `rumour` (a retransmission round),
 * `announce` (its peer key and an `n:%` query to a seed or dead peer),
 * `membership` (the peer exchange or a probe), `digest` (anti-entropy sync
 * messages), `repair` (whole keys pushed by anti-entropy), `leave`, `docs`
 * (doc messages: the versioned store's sync and answers to clients).
 */
export type SendReason =
  OutgoingReason | 'rumour' | 'announce' | 'membership' | 'digest' | 'repair' | 'leave' | 'docs';

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
  /** Datagrams sent or queued, by why they were sent; reasons never seen are absent. */
  readonly sentByReason: Readonly<Partial<Record<SendReason, number>>>;
  /** Everything dropped, by reason; reasons never seen are absent. */
  readonly drops: Readonly<Partial<Record<NodeDropReason, number>>>;
  /** Listener calls that threw (the node goes on; the error is not rethrown). */
  readonly listenerErrors: number;
  /** Source addresses whose rate and amplification budget are tracked now (at most `maxSources`). */
  readonly trackedSources: number;
}

/** The mutable counters behind {@link NodeMetrics}. */
export class NodeMetricsCounters {
  #messagesIn = 0;
  #bytesIn = 0;
  #messagesOut = 0;
  #bytesOut = 0;
  #listenerErrors = 0;
  readonly #drops = new Map<NodeDropReason, number>();
  readonly #sentByReason = new Map<SendReason, number>();

  /** Counts `count` datagrams handed out for `reason`. */
  handed(reason: SendReason, count: number): void {
    this.#sentByReason.set(reason, (this.#sentByReason.get(reason) ?? 0) + count);
  }

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

  /** Counts `count` drops (default one) for `reason`. */
  dropped(reason: NodeDropReason, count = 1): void {
    this.#drops.set(reason, (this.#drops.get(reason) ?? 0) + count);
  }

  /** Counts one listener that threw. */
  listenerFailed(): void {
    this.#listenerErrors += 1;
  }

  /** A frozen copy of the counters, with the size of the source table. */
  snapshot(trackedSources: number): NodeMetrics {
    return Object.freeze({
      messagesIn: this.#messagesIn,
      bytesIn: this.#bytesIn,
      messagesOut: this.#messagesOut,
      bytesOut: this.#bytesOut,
      sentByReason: Object.freeze(Object.fromEntries(this.#sentByReason)),
      drops: Object.freeze(Object.fromEntries(this.#drops)),
      listenerErrors: this.#listenerErrors,
      trackedSources,
    });
  }
}
