/** What a UDP transport has done since it opened; every counter only grows. */
export interface UdpTransportStats {
  /** Datagrams the socket reported sent. */
  readonly datagramsSent: number;
  /** Datagrams the socket failed to send (`EHOSTUNREACH`, `ENETUNREACH`, a host name that did not resolve…). */
  readonly sendErrors: number;
  /** {@link UdpTransportStats.sendErrors} by error code (`EHOSTUNREACH`, …; `UNKNOWN` when the error had none). */
  readonly sendErrorsByCode: Readonly<Record<string, number>>;
  /** Datagrams received and handed to the handler (or to none, when no handler was set). */
  readonly datagramsReceived: number;
  /** Datagrams not sent because the send queue was full. */
  readonly droppedQueueFull: number;
  /** Datagrams still queued when the transport closed, never sent. */
  readonly droppedAtClose: number;
  /** Datagrams received from a sender with no peer address (an IPv6 link-local sender with a zone). */
  readonly droppedInvalidSender: number;
  /** Calls of the receive handler that threw (each caught, counted, and the first reported through `onWarning`). */
  readonly handlerErrors: number;
  /** Errors the socket reported outside any send (the first reported through `onWarning`). */
  readonly socketErrors: number;
}

/** The mutable counters behind {@link UdpTransportStats}. */
export class UdpTransportCounters {
  datagramsSent = 0;
  sendErrors = 0;
  datagramsReceived = 0;
  droppedQueueFull = 0;
  droppedAtClose = 0;
  droppedInvalidSender = 0;
  handlerErrors = 0;
  socketErrors = 0;
  readonly #sendErrorsByCode = new Map<string, number>();

  /** Counts a failed send under its error code. */
  sendFailed(error: unknown): void {
    this.sendErrors += 1;
    const code = errorCode(error);
    this.#sendErrorsByCode.set(code, (this.#sendErrorsByCode.get(code) ?? 0) + 1);
  }

  /** A frozen copy of the counters. */
  snapshot(): UdpTransportStats {
    return Object.freeze({
      datagramsSent: this.datagramsSent,
      sendErrors: this.sendErrors,
      sendErrorsByCode: Object.freeze(Object.fromEntries(this.#sendErrorsByCode)),
      datagramsReceived: this.datagramsReceived,
      droppedQueueFull: this.droppedQueueFull,
      droppedAtClose: this.droppedAtClose,
      droppedInvalidSender: this.droppedInvalidSender,
      handlerErrors: this.handlerErrors,
      socketErrors: this.socketErrors,
    });
  }
}

/** The `code` of a Node error (`EHOSTUNREACH`), or `UNKNOWN`. */
function errorCode(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = error.code;
    if (typeof code === 'string' && code.length > 0 && code.length <= 64) return code;
  }
  return 'UNKNOWN';
}
