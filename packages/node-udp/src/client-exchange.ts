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

/** What a client runs one at a time: an exchange of datagrams with one node. */
export interface RunningExchange<O> {
  /** How it ended. */
  readonly outcome: Promise<O>;
  /** Handles one datagram the client received. */
  receive(bytes: Uint8Array): void;
  /** Ends the exchange at once: the client closed. */
  abort(): void;
}

/**
 * Sends `datagrams` to `node` in order; false when the transport is closed.
 * A datagram the transport refuses otherwise is lost, as UDP loses: the
 * rest of that sending is dropped, and a resend or the next node may do better.
 */
export function sendDatagrams(
  transport: Transport,
  node: PeerAddress,
  datagrams: readonly Uint8Array[],
): boolean {
  for (const datagram of datagrams) {
    try {
      transport.send(node, datagram);
    } catch (error) {
      return !(error instanceof TransportClosedError);
    }
  }
  return true;
}

/** The timers of one exchange, all cleared when it ends. */
export class ExchangeTimers {
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();

  /** Runs `callback` after `delay` milliseconds, unless cleared first. */
  after(delay: number, callback: () => void): ReturnType<typeof setTimeout> {
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      callback();
    }, delay);
    this.#timers.add(timer);
    return timer;
  }

  /** Cancels one timer. */
  clear(timer: ReturnType<typeof setTimeout>): void {
    clearTimeout(timer);
    this.#timers.delete(timer);
  }

  /** Cancels every timer. */
  clearAll(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
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
export class Exchange implements RunningExchange<ExchangeOutcome> {
  /** How it ended. */
  readonly outcome: Promise<ExchangeOutcome>;
  readonly #options: ExchangeOptions;
  readonly #closingKey: string;
  readonly #datagrams: readonly Uint8Array[];
  readonly #timers = new ExchangeTimers();
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
    this.#timers.after(options.timeout, () => this.#end(this.#closingSeen ? 'answered' : 'silent'));
    const interval = options.timeout / (RESENDS + 1);
    for (let resend = 1; resend <= RESENDS; resend++) {
      this.#timers.after(interval * resend, () => {
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
    if (this.#settle !== undefined) this.#timers.clear(this.#settle);
    const wait = this.#answerSeen ? ANSWER_SETTLE : ANSWER_GRACE;
    this.#settle = this.#timers.after(wait, () => this.#end('answered'));
  }

  #sendAll(): void {
    const { transport, node } = this.#options;
    if (!sendDatagrams(transport, node, this.#datagrams)) this.#end('closed');
  }

  #end(outcome: ExchangeOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#timers.clearAll();
    this.#finish(outcome);
  }
}
