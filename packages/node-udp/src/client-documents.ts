import type { Operation, Sibling, Version } from '@vig/crdt-core';
import { VIG_PROTOCOL_VERSION, decodeOperations, splitDocMessage } from '@vig/wire';
import type { DocAnswer, DocRequest } from '@vig/wire';
import { DocumentRequestError } from './client-errors.js';

/** What a node checked out or named, as a client's `checkout` or `branch` returns it. */
export interface ClientFrontier {
  /** The version checked out, or named. */
  readonly frontier: readonly Version[];
  /** The branch checked out, or the one just created; absent after a checkout of a bare version. */
  readonly branch?: string;
}

/** A page of a node's history, as a client's `log` returns it. */
export interface ClientLogPage {
  /** The operations, newest first. */
  readonly operations: readonly Operation[];
  /** Pass it as `cursor` for the next page; absent: the history ends here. */
  readonly cursor?: number;
}

/** Options of a client's `docs.log`. */
export interface ClientLogOptions {
  /** The most operations wanted (a node sends at most its own page size, 256 by default). Default 100. */
  readonly limit?: number;
  /** Where the previous page stopped (its `cursor`). Default: from the newest. */
  readonly cursor?: number;
}

/** Options of a client's `docs.put`. */
export interface ClientPutOptions {
  /**
   * The versions the write follows: the siblings the client read (their
   * `version`s). It replaces what the key held at that version; writes the
   * client did not see stay beside it as siblings. Default: it replaces every
   * sibling the node holds.
   */
  readonly parents?: readonly Version[];
}

/**
 * A client's view of the versioned documents of the nodes it talks to
 * (`client.docs`): each request goes to one node, which answers from its
 * own replica; the nodes replicate every write among themselves.
 */
export interface ClientDocuments {
  /**
   * Writes `value` to `key` through a node; resolves with the new version.
   * Sent once to each node in turn, never twice to one node, so that a lost
   * answer cannot make two writes there.
   *
   * @returns a promise rejecting with {@link NoAnswerError} when no node
   *   answered, {@link DocumentRequestError} when the node refused it,
   *   `@vig/wire`'s `InvalidDocFieldError` for a key or value that cannot be sent
   */
  put(key: string, value: unknown, options?: ClientPutOptions): Promise<Version>;
  /** Every sibling of `key` at a node's checked-out version (none when it has no value). */
  get(key: string): Promise<Sibling[]>;
  /** A page of a node's history (writing `key`, when given), newest first. */
  log(key?: string, options?: ClientLogOptions): Promise<ClientLogPage>;
  /** Moves a node's documents to a version or a branch; resolves with where it is then. */
  checkout(target: readonly Version[] | string): Promise<ClientFrontier>;
  /** Names a node's checked-out version as branch `name`; resolves with the version named. */
  branch(name: string): Promise<ClientFrontier>;
}

/** What a client's `log` asks for when no `limit` is given: 100. */
export const DEFAULT_CLIENT_LOG_LIMIT = 100;

/** A documents request, its number left to fill in: everything but the envelope and `request`. */
export type DocRequestBody = DocRequest extends infer R
  ? R extends DocRequest
    ? Omit<R, 'vig' | 'client' | 'request'>
    : never
  : never;

/**
 * The datagrams of `body` as request number `request`, with the client
 * markers, cut to `budget` bytes.
 *
 * @throws `@vig/wire`'s `InvalidDocFieldError` for a field that cannot be encoded
 */
export function docRequestDatagrams(
  body: DocRequestBody,
  request: number,
  budget: number,
): Uint8Array[] {
  const message = { ...body, request, vig: VIG_PROTOCOL_VERSION, client: true } as DocRequest;
  return splitDocMessage(message, budget);
}

/**
 * What a node's `answer` says, as the client method returns it; a `failed`
 * answer, or one of another kind than `expected`, throws.
 *
 * @throws {@link DocumentRequestError}
 */
export function answerOf<K extends Exclude<DocAnswer['kind'], 'failed'>>(
  node: string,
  answer: DocAnswer,
  expected: K,
): Extract<DocAnswer, { kind: K }> {
  if (answer.kind === 'failed') throw new DocumentRequestError(node, answer.code, answer.message);
  if (answer.kind !== expected) {
    throw new DocumentRequestError(
      node,
      'invalid-answer',
      `a "${answer.kind}" answer to a request expecting "${expected}"`,
    );
  }
  return answer as Extract<DocAnswer, { kind: K }>;
}

/**
 * The page a `history` answer holds.
 *
 * @throws {@link DocumentRequestError} (`invalid-answer`) when its batch does not decode
 */
export function logPageOf(
  node: string,
  answer: Extract<DocAnswer, { kind: 'history' }>,
): ClientLogPage {
  const decoded = decodeOperations(answer.batch);
  if (!decoded.ok) {
    throw new DocumentRequestError(node, 'invalid-answer', decoded.error.message, {
      cause: decoded.error,
    });
  }
  return {
    operations: decoded.operations,
    ...(answer.cursor === undefined ? {} : { cursor: answer.cursor }),
  };
}

/** A `frontier` answer as the client returns it. */
export function frontierOf(answer: Extract<DocAnswer, { kind: 'frontier' }>): ClientFrontier {
  return {
    frontier: answer.frontier,
    ...(answer.branch === undefined ? {} : { branch: answer.branch }),
  };
}
