import { VigError } from '@vig/crdt-core';

/**
 * No node answered a client's request within its timeout: every node was
 * tried in turn, each for `timeout` milliseconds (a write counts as answered
 * only when the node's answer shows it holds the entries).
 */
export class NoAnswerError extends VigError {
  static override readonly name = 'NoAnswerError';
  override readonly name = 'NoAnswerError';
  /** The nodes tried, in the order they were tried. */
  readonly nodes: readonly string[];
  /** Milliseconds each node was given. */
  readonly timeout: number;

  constructor(nodes: readonly string[], timeout: number, options?: ErrorOptions) {
    super(`no node answered within ${timeout} ms (tried ${nodes.join(', ')})`, options);
    this.nodes = Object.freeze([...nodes]);
    this.timeout = timeout;
  }
}

/** An option of `createClient` that is missing, of the wrong type, or out of its range. */
export class ClientOptionsError extends VigError {
  static override readonly name = 'ClientOptionsError';
  override readonly name = 'ClientOptionsError';
  /** The option that was wrong (`nodes`, `timeout`, `bind`…). */
  readonly option: string;

  constructor(option: string, problem: string, expected: string, options?: ErrorOptions) {
    super(`client option ${option} ${problem}: expected ${expected}`, options);
    this.option = option;
  }
}

/** A request to a client after its `close()`, or one still waiting when it closed. */
export class ClientClosedError extends VigError {
  static override readonly name = 'ClientClosedError';
  override readonly name = 'ClientClosedError';

  constructor(options?: ErrorOptions) {
    super('the client is closed: expected an open client (create a new one)', options);
  }
}

/**
 * A node refused a client's documents request, or answered it with
 * something the client cannot read. `code` is the node's failure code
 * (`no-docs`, `invalid-request`, `unknown-version`, `unknown-branch`,
 * `too-large`, `refused`, or a later one), or `invalid-answer` for an answer
 * that does not decode.
 */
export class DocumentRequestError extends VigError {
  static override readonly name = 'DocumentRequestError';
  override readonly name = 'DocumentRequestError';
  /** Why: the node's failure code, or `invalid-answer`. */
  readonly code: string;
  /** The node that answered. */
  readonly node: string;

  constructor(node: string, code: string, detail: string, options?: ErrorOptions) {
    super(`node ${node} refused the request (${code}): ${detail}`, options);
    this.code = code;
    this.node = node;
  }
}
