/**
 * Counters of a node's doc replica: doc messages and bytes by kind, in-sync
 * checks, operations sent and received, pulls, and what was dropped.
 */
import type { DocKind } from '@vig/wire';
import { totalBytes } from './datagram-bytes.js';

/**
 * Why a doc replica dropped something: `invalid-batch` (an `ops` message
 * whose batch did not decode, or held an operation the store refused as
 * malformed), `invalid-part` (a message assembled from parts that did not
 * decode, or was itself a part), `refused` (a doc message the amplification
 * budget refused), `encode-failed` (an answer that could not be encoded),
 * `answer-to-node` (an answer meant for a client reached this node).
 */
export type DocDropReason =
  'invalid-batch' | 'invalid-part' | 'refused' | 'encode-failed' | 'answer-to-node';

/** Datagrams and bytes of one doc kind. */
export interface DocTraffic {
  /** Doc messages (a message cut into parts counts once, under its own kind). */
  readonly messages: number;
  /** Datagrams (a message cut into parts counts each part). */
  readonly datagrams: number;
  readonly bytes: number;
}

/** A snapshot of a doc replica's counters; later traffic does not change it. */
export interface DocSyncMetrics {
  /** Doc messages sent (handed to the send queue), by kind; kinds never sent are absent. */
  readonly sent: Readonly<Partial<Record<DocKind, DocTraffic>>>;
  /** Doc datagrams received, by kind (parts under `part`, the messages they make under theirs). */
  readonly received: Readonly<Partial<Record<DocKind, DocTraffic>>>;
  /** In-sync checks (`digest` messages) this node sent. */
  readonly checksSent: number;
  /** Checks received whose digest equalled this store's: in sync, nothing more sent. */
  readonly inSyncChecks: number;
  /** Checks received whose digest differed: an exchange followed. */
  readonly outOfSyncChecks: number;
  /** Operations sent in `ops` messages (pushes, forwards and answers; one per peer it went to). */
  readonly operationsSent: number;
  /** Remote operations added to the history (released waiting ones included). */
  readonly operationsReceived: number;
  /** Remote operations received that the history already held. */
  readonly duplicateOperations: number;
  /** Remote operations waiting for their parents now. */
  readonly waitingOperations: number;
  /** Remote operations the store rejected (contradicting their history, or waited too long). */
  readonly rejectedOperations: number;
  /** `recent` messages sent to ask for what received operations lacked (parents, the rest of an answer). */
  readonly pulls: number;
  /** Messages given up while being reassembled from parts (lost parts, bounds, corrupt). */
  readonly fragmentsDropped: number;
  /** Client requests answered, by kind. */
  readonly requests: Readonly<Partial<Record<DocKind, number>>>;
  /** Everything dropped, by reason. */
  readonly drops: Readonly<Partial<Record<DocDropReason, number>>>;
}

/** The mutable counters behind {@link DocSyncMetrics}. */
export class DocMetricsCounters {
  readonly #sent = new Map<DocKind, { messages: number; datagrams: number; bytes: number }>();
  readonly #received = new Map<DocKind, { messages: number; datagrams: number; bytes: number }>();
  readonly #requests = new Map<DocKind, number>();
  readonly #drops = new Map<DocDropReason, number>();
  checksSent = 0;
  inSyncChecks = 0;
  outOfSyncChecks = 0;
  operationsSent = 0;
  operationsReceived = 0;
  duplicateOperations = 0;
  rejectedOperations = 0;
  pulls = 0;
  fragmentsDropped = 0;

  /** Counts one message of `kind` sent as `datagrams`. */
  sent(kind: DocKind, datagrams: readonly Uint8Array[]): void {
    add(this.#sent, kind, 1, datagrams.length, totalBytes(datagrams));
  }

  /** Counts one datagram of `kind` received (`bytes` 0 for a message assembled from parts). */
  received(kind: DocKind, bytes: number): void {
    add(this.#received, kind, 1, bytes === 0 ? 0 : 1, bytes);
  }

  /** Counts one client request answered. */
  answered(kind: DocKind): void {
    this.#requests.set(kind, (this.#requests.get(kind) ?? 0) + 1);
  }

  /** Counts one drop. */
  dropped(reason: DocDropReason): void {
    this.#drops.set(reason, (this.#drops.get(reason) ?? 0) + 1);
  }

  /** A frozen copy, with the store's waiting operations now. */
  snapshot(waitingOperations: number): DocSyncMetrics {
    return Object.freeze({
      sent: frozenTraffic(this.#sent),
      received: frozenTraffic(this.#received),
      checksSent: this.checksSent,
      inSyncChecks: this.inSyncChecks,
      outOfSyncChecks: this.outOfSyncChecks,
      operationsSent: this.operationsSent,
      operationsReceived: this.operationsReceived,
      duplicateOperations: this.duplicateOperations,
      waitingOperations,
      rejectedOperations: this.rejectedOperations,
      pulls: this.pulls,
      fragmentsDropped: this.fragmentsDropped,
      requests: Object.freeze(Object.fromEntries(this.#requests)),
      drops: Object.freeze(Object.fromEntries(this.#drops)),
    });
  }
}

function add(
  table: Map<DocKind, { messages: number; datagrams: number; bytes: number }>,
  kind: DocKind,
  messages: number,
  datagrams: number,
  bytes: number,
): void {
  const entry = table.get(kind);
  if (entry === undefined) table.set(kind, { messages, datagrams, bytes });
  else {
    entry.messages += messages;
    entry.datagrams += datagrams;
    entry.bytes += bytes;
  }
}

function frozenTraffic(
  table: ReadonlyMap<DocKind, DocTraffic>,
): Readonly<Partial<Record<DocKind, DocTraffic>>> {
  return Object.freeze(
    Object.fromEntries([...table].map(([kind, traffic]) => [kind, Object.freeze({ ...traffic })])),
  );
}
