// The doc messages: how Vig nodes replicate the versioned store's history
// between them (digest, recent, ops, part), and how a client library asks a
// node to read and write it (put, get, log, checkout, branch, and their
// answers). Exchanged only with peers known to be Vig nodes (see the README,
// "Doc messages").

import type { HistoryDigest, Sibling, Version } from '@vig/crdt-core';

/**
 * Envelope fields every doc message carries, as sync messages do: `vig`, the
 * sender's Vig protocol version (1..2^31, required), and `client`, true when
 * the sender is a client library (written only when true).
 */
export interface DocEnvelope {
  readonly vig: number;
  readonly client?: boolean;
}

/**
 * The in-sync check: the sender's {@link HistoryDigest} (16 bytes whatever
 * the history), and its heads when it has at most a few. Equal digests mean
 * both hold the same operations: nothing more is sent.
 */
export interface DocDigest extends DocEnvelope {
  readonly kind: 'digest';
  readonly digest: HistoryDigest;
  /** The sender's heads, when it has few enough to list; absent otherwise. */
  readonly heads?: readonly Version[];
}

/**
 * "Send me what I lack": the sender's heads and a sample of its history (the
 * top of recent runs, then versions further and further back), from which
 * the receiver finds what the two share. Unless `reply`, the receiver also
 * answers with a `recent` of its own (`reply` true) when it lacks some of the
 * sender's heads.
 */
export interface DocRecent extends DocEnvelope {
  readonly kind: 'recent';
  readonly reply: boolean;
  /** The sender's heads (all of them when `complete`). */
  readonly heads: readonly Version[];
  /** Whether `heads` lists every head of the sender. */
  readonly complete: boolean;
  /** Other versions the sender holds: the top of recent runs, then older versions. */
  readonly versions: readonly Version[];
  /**
   * Continues an answer the receiver cut short: send only operations at or
   * after this position of the receiver's own local order (the `next` it sent).
   */
  readonly from?: number;
}

/** Operations, as one operation batch (`encodeOperations`), parents before children. */
export interface DocOperations extends DocEnvelope {
  readonly kind: 'ops';
  /** The batch's bytes. */
  readonly batch: Uint8Array;
  /**
   * Hops left: 0 for an answer; a pushed write carries more, and a receiver
   * that learns something from it passes what it learnt on with `ttl − 1`.
   */
  readonly ttl: number;
  /** The sender cut its answer short: ask again with `from` set to this. */
  readonly next?: number;
}

/**
 * One piece of a doc message too large for a datagram. `id` is a 64-bit hash
 * of the whole message's bytes (16 lowercase hex digits), so pieces sent again
 * later are the same pieces, and the assembled message can be checked.
 */
export interface DocPart extends DocEnvelope {
  readonly kind: 'part';
  readonly id: string;
  /** This piece's position, 0..count − 1. */
  readonly index: number;
  /** How many pieces the message has, 2..65536. */
  readonly count: number;
  readonly bytes: Uint8Array;
}

/** A client's write of one key; the answer is `written`. */
export interface DocPutRequest extends DocEnvelope {
  readonly kind: 'put';
  /** The client's number for this request, echoed in the answer: 0..2^32−1. */
  readonly request: number;
  readonly key: string;
  /** Any msgpack value (`encodeValue`). */
  readonly value: unknown;
  /**
   * The versions the write follows (the siblings the client read): the write
   * replaces what the key held at that version, and later concurrent writes
   * stay beside it as siblings. Absent: it replaces every current sibling.
   */
  readonly parents?: readonly Version[];
}

/** A client's read of one key at the node's checked-out version; the answer is `siblings`. */
export interface DocGetRequest extends DocEnvelope {
  readonly kind: 'get';
  readonly request: number;
  readonly key: string;
}

/** A client's read of the history, newest first, a page at a time; the answer is `history`. */
export interface DocLogRequest extends DocEnvelope {
  readonly kind: 'log';
  readonly request: number;
  /** The most operations wanted (a node may send fewer), 1..2^32−1. */
  readonly limit: number;
  /** Only operations writing this key. */
  readonly key?: string;
  /** Where the previous page stopped (its answer's `cursor`); absent: from the newest. */
  readonly cursor?: number;
}

/** A client moving the node's view to a version or a branch; the answer is `frontier`. */
export interface DocCheckoutRequest extends DocEnvelope {
  readonly kind: 'checkout';
  readonly request: number;
  /** A version (a list of versions) or a branch name. */
  readonly target: readonly Version[] | string;
}

/** A client naming the node's checked-out version as a branch; the answer is `frontier`. */
export interface DocBranchRequest extends DocEnvelope {
  readonly kind: 'branch';
  readonly request: number;
  readonly name: string;
}

/** The answer to `put`: the new operation's version. */
export interface DocWritten extends DocEnvelope {
  readonly kind: 'written';
  readonly request: number;
  readonly version: Version;
}

/** The answer to `get`: every sibling of the key (none when the key has no value). */
export interface DocSiblings extends DocEnvelope {
  readonly kind: 'siblings';
  readonly request: number;
  readonly key: string;
  readonly siblings: readonly Sibling[];
}

/** The answer to `log`: a page of operations, newest first, as one batch. */
export interface DocHistory extends DocEnvelope {
  readonly kind: 'history';
  readonly request: number;
  /** The operations as an operation batch (`decodeOperations`), newest first. */
  readonly batch: Uint8Array;
  /** Pass it back as `cursor` for the next page; absent: the history ends here. */
  readonly cursor?: number;
}

/** The answer to `checkout` and `branch`: the frontier now checked out, or named. */
export interface DocFrontier extends DocEnvelope {
  readonly kind: 'frontier';
  readonly request: number;
  readonly frontier: readonly Version[];
  /** The branch: the one checked out, or the one just created. */
  readonly branch?: string;
}

/**
 * A request that failed. `code` is one of {@link DOC_FAILURE_CODES} (a later
 * version may add codes), `message` says what went wrong.
 */
export interface DocFailed extends DocEnvelope {
  readonly kind: 'failed';
  readonly request: number;
  readonly code: string;
  readonly message: string;
}

/** What a node sends a client in answer to a request. */
export type DocAnswer = DocWritten | DocSiblings | DocHistory | DocFrontier | DocFailed;

/** What a client sends a node. */
export type DocRequest =
  DocPutRequest | DocGetRequest | DocLogRequest | DocCheckoutRequest | DocBranchRequest;

/** What nodes exchange to replicate the history. */
export type DocReplication = DocDigest | DocRecent | DocOperations | DocPart;

/** A doc message. */
export type DocMessage = DocReplication | DocRequest | DocAnswer;

/** The kind of a doc message, the value of its `doc` field. */
export type DocKind = DocMessage['kind'];

/** Every doc kind, in the order the README lists them. */
export const DOC_KINDS: readonly DocKind[] = [
  'digest',
  'recent',
  'ops',
  'part',
  'put',
  'get',
  'log',
  'checkout',
  'branch',
  'written',
  'siblings',
  'history',
  'frontier',
  'failed',
];

/** The kinds a client sends. */
export const DOC_REQUEST_KINDS: readonly DocRequest['kind'][] = [
  'put',
  'get',
  'log',
  'checkout',
  'branch',
];

/** Whether `message` is a client's request. */
export function isDocRequest(message: DocMessage): message is DocRequest {
  return (DOC_REQUEST_KINDS as readonly DocKind[]).includes(message.kind);
}

/** Why a request failed, as nodes send it in `failed`. */
export type DocFailureCode =
  'no-docs' | 'invalid-request' | 'unknown-version' | 'unknown-branch' | 'too-large' | 'refused';

/**
 * The failure codes: `no-docs` (the node keeps no versioned store),
 * `invalid-request` (a value or key the store refuses), `unknown-version`,
 * `unknown-branch`, `too-large` (the answer would exceed the node's largest
 * doc message), `refused` (anything else the store refused).
 */
export const DOC_FAILURE_CODES: readonly DocFailureCode[] = [
  'no-docs',
  'invalid-request',
  'unknown-version',
  'unknown-branch',
  'too-large',
  'refused',
];

/** The most versions one list of a doc message may hold: 4096. */
export const MAX_DOC_VERSIONS = 4096;

/** The most siblings a `siblings` answer may hold: 4096. */
export const MAX_DOC_SIBLINGS = 4096;

/** The most pieces one message may be cut into: 65536. */
export const MAX_DOC_PARTS = 65_536;

/** The longest branch name, failure code or failure message, in UTF-8 bytes: 1024. */
export const MAX_DOC_TEXT_BYTES = 1024;

/** Bytes of a digest on the wire: count (uint64), low and high sums (uint32 each), little-endian. */
export const DOC_DIGEST_BYTES = 16;
