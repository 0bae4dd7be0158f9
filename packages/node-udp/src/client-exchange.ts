import { TransportClosedError } from '@vig/gossip';
import type { PeerAddress, Transport } from '@vig/gossip';
import { decodeDatagram } from '@vig/wire';
import type { DatagramDecodeResult } from '@vig/wire';
import { closingKeyOf, queryDatagrams } from './client-requests.js';

/** A datagram from a node, decoded: a vignette message or a sync message. */
export type NodeAnswer = Extract<DatagramDecodeResult, { ok: true }>;

/** Gathers a node's answers to one request. */
export interface AnswerCollector {
  /** Takes one datagram from the node; returns whether it answered the request. */
  take(answer: NodeAnswer): boolean;
}

/**
 * Milliseconds an exchange waits after the closing answer for a first answer
 * to its request: 100. An unknown key gets no answer (an empty one would read
 * as a query), so a request still unanswered this long after the closing
 * answer, which the node sent after it, has none: the key is unknown.
 */
export const ANSWER_GRACE = 100;

/**
 * Milliseconds an exchange waits, once the closing answer and an answer to
 * its request came, for more datagrams of it (a long vector split, a search's
 * many keys, reordered in flight): 10, restarted by each one.
 */
export const ANSWER_SETTLE = 10;

/** Times the requests are sent again while the closing answer has not come: 2, evenly within the timeout. */
export const RESENDS = 2;

/** How an exchange ended: the node answered, said nothing within the timeout, or the client closed. */
export type ExchangeOutcome = 'answered' | 'silent' | 'closed';

/** What an exchange sends, to whom, and who gathers the answers. */
export interface ExchangeOptions {
  readonly transport: Transport;
  readonly node: PeerAddress;
  /** The request's datagrams, in order; the closing query is sent after them. */
  readonly requests: readonly Uint8Array[];
  readonly collector: AnswerCollector;
  /** Milliseconds before a node that has not answered counts as silent. */
  readonly timeout: number;
}

/**
 * One request to one node: its datagrams, then a query of the node's own peer
 * key, which the node always answers, after everything sent before it. When
 * that closing answer has come, the request's answers have too (but for any
 * reordered in flight, which the settle and grace periods wait for). Requests
 * are sent again, at most {@link RESENDS} times, while the closing answer has
 * not come: answers are idempotent (max), so a duplicate does no harm.
 * Every timer is cleared when the exchange ends.
 */
export class Exchange {
  /** How it ended. */
  readonly outcome: Promise<ExchangeOutcome>;
  readonly #options: ExchangeOptions;
  readonly #closingKey: string;
  readonly #datagrams: readonly Uint8Array[];
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  #settle: ReturnType<typeof setTimeout> | undefined;
  #finish: (outcome: ExchangeOutcome) => void = () => undefined;
  #closingSeen = false;
  #answerSeen = false;
  #ended = false;

  constructor(options: ExchangeOptions) {
    this.#options = options;
    this.#closingKey = closingKeyOf(options.node);
    this.#datagrams = [...options.requests, ...queryDatagrams(this.#closingKey)];
    this.outcome = new Promise((resolve) => {
      this.#finish = resolve;
    });
    this.#after(options.timeout, () => this.#end(this.#closingSeen ? 'answered' : 'silent'));
    const interval = options.timeout / (RESENDS + 1);
    for (let resend = 1; resend <= RESENDS; resend++) {
      this.#after(interval * resend, () => {
        if (!this.#closingSeen) this.#sendAll();
      });
    }
    this.#sendAll();
  }

  /** Handles one datagram the client received. */
  receive(bytes: Uint8Array): void {
    if (this.#ended) return;
    const decoded = decodeDatagram(bytes);
    if (!decoded.ok) return;
    const closing = decoded.kind === 'message' && decoded.message.key === this.#closingKey;
    const answered = this.#options.collector.take(decoded);
    this.#answerSeen ||= answered;
    this.#closingSeen ||= closing;
    if (this.#closingSeen && (answered || closing)) this.#waitForMore();
  }

  /** Ends the exchange at once: the client closed. */
  abort(): void {
    this.#end('closed');
  }

  /** (Re)starts the wait after which the answers are complete. */
  #waitForMore(): void {
    if (this.#settle !== undefined) this.#clear(this.#settle);
    const wait = this.#answerSeen ? ANSWER_SETTLE : ANSWER_GRACE;
    this.#settle = this.#after(wait, () => this.#end('answered'));
  }

  #sendAll(): void {
    for (const datagram of this.#datagrams) {
      try {
        this.#options.transport.send(this.#options.node, datagram);
      } catch (error) {
        if (error instanceof TransportClosedError) this.#end('closed');
        // Otherwise lost, as UDP loses: a resend or the next node may do better.
        return;
      }
    }
  }

  #after(delay: number, callback: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, delay);
    this.#timers.add(timer);
    return timer;
  }

  #clear(timer: ReturnType<typeof setTimeout>): void {
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  #end(outcome: ExchangeOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    this.#finish(outcome);
  }
}
