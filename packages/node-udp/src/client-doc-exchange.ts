import type { PeerAddress, Transport } from '@vig/gossip';
import { createPartAssembler, decodeDocMessage, isDocDatagram } from '@vig/wire';
import type { DocAnswer, DocMessage, PartAssembler } from '@vig/wire';
import { ExchangeTimers, RESENDS, sendDatagrams } from './client-exchange.js';
import type { RunningExchange } from './client-exchange.js';

/**
 * The largest answer to a documents request a client reassembles from
 * parts: 4 MiB, four times a node's largest doc message by default.
 */
export const MAX_DOC_ANSWER_BYTES = 4 * 1024 * 1024;

/** How a documents exchange ended: the node's answer, silence within the timeout, or the client closed. */
export type DocExchangeOutcome =
  | { readonly kind: 'answered'; readonly answer: DocAnswer }
  | { readonly kind: 'silent' }
  | { readonly kind: 'closed' };

/** What a documents exchange sends, to whom, and how it waits. */
export interface DocExchangeOptions {
  readonly transport: Transport;
  readonly node: PeerAddress;
  /** The request's datagrams (the request, or its parts). */
  readonly datagrams: readonly Uint8Array[];
  /** The request's number, which the answer carries. */
  readonly request: number;
  /** Milliseconds before a node that has not answered counts as silent. */
  readonly timeout: number;
  /**
   * Whether the request may be sent again while no answer has come
   * ({@link RESENDS} times, evenly within the timeout): true for requests
   * that change nothing when repeated (reads, checkouts, branches).
   */
  readonly resend: boolean;
}

/**
 * One documents request to one node: its datagrams, then a wait for the
 * answer carrying its number, reassembled from parts when the node had to
 * cut it (parts sent again complete the same answer). Every timer is cleared
 * when the exchange ends.
 */
export class DocExchange implements RunningExchange<DocExchangeOutcome> {
  /** How it ended. */
  readonly outcome: Promise<DocExchangeOutcome>;
  readonly #options: DocExchangeOptions;
  readonly #assembler: PartAssembler;
  readonly #timers = new ExchangeTimers();
  #finish: (outcome: DocExchangeOutcome) => void = () => undefined;
  #ended = false;

  constructor(options: DocExchangeOptions) {
    this.#options = options;
    this.#assembler = createPartAssembler({
      maxMessageBytes: MAX_DOC_ANSWER_BYTES,
      maxMessages: 4,
      maxBufferedBytes: 2 * MAX_DOC_ANSWER_BYTES,
      timeout: options.timeout,
    });
    this.outcome = new Promise((resolve) => {
      this.#finish = resolve;
    });
    this.#timers.after(options.timeout, () => this.#end({ kind: 'silent' }));
    if (options.resend) {
      const interval = options.timeout / (RESENDS + 1);
      for (let resend = 1; resend <= RESENDS; resend++) {
        this.#timers.after(interval * resend, () => this.#sendAll());
      }
    }
    this.#sendAll();
  }

  /** Handles one datagram the client received. */
  receive(bytes: Uint8Array): void {
    if (this.#ended || !isDocDatagram(bytes)) return;
    const decoded = decodeDocMessage(bytes);
    if (!decoded.ok) return;
    const message = this.#whole(decoded.doc);
    if (message !== undefined && isAnswerTo(message, this.#options.request)) {
      this.#end({ kind: 'answered', answer: message });
    }
  }

  /** Ends the exchange at once: the client closed. */
  abort(): void {
    this.#end({ kind: 'closed' });
  }

  /** `message` itself, or the message its part completes (undefined while parts are missing). */
  #whole(message: DocMessage): DocMessage | undefined {
    if (message.kind !== 'part') return message;
    const added = this.#assembler.add(this.#options.node, message, performance.now());
    if (added.kind !== 'complete') return undefined;
    const decoded = decodeDocMessage(added.bytes);
    return decoded.ok && decoded.doc.kind !== 'part' ? decoded.doc : undefined;
  }

  #sendAll(): void {
    const { transport, node, datagrams } = this.#options;
    if (!sendDatagrams(transport, node, datagrams)) this.#end({ kind: 'closed' });
  }

  #end(outcome: DocExchangeOutcome): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#timers.clearAll();
    this.#assembler.clear();
    this.#finish(outcome);
  }
}

/** Whether `message` is a node's answer to request number `request`. */
function isAnswerTo(message: DocMessage, request: number): message is DocAnswer {
  switch (message.kind) {
    case 'written':
    case 'siblings':
    case 'history':
    case 'frontier':
    case 'failed':
      return message.request === request;
    default:
      return false;
  }
}
