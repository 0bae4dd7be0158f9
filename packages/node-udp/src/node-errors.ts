import { VigError } from '@vig/crdt-core';

/**
 * An option of `createNode` that is missing, of the wrong type, or out of its
 * range: the storage choice (exactly one of `dataDir` and `memory: true`), a
 * seed that is not `host:port`, a membership or gossip setting the engine
 * refuses. `option` names it; `cause` holds the engine's own error, if any.
 */
export class NodeOptionsError extends VigError {
  static override readonly name = 'NodeOptionsError';
  override readonly name = 'NodeOptionsError';
  /** The option that was wrong (`dataDir`, `memory`, `seeds`, `membership`, `gossip`, …). */
  readonly option: string;

  constructor(option: string, problem: string, expected: string, options?: ErrorOptions) {
    super(`node option ${option} ${problem}: expected ${expected}`, options);
    this.option = option;
  }
}

/** A node asked to start or write after `stop()`: a stopped node has closed its socket and store. */
export class NodeStoppedError extends VigError {
  static override readonly name = 'NodeStoppedError';
  override readonly name = 'NodeStoppedError';
  /** The node's address. */
  readonly address: string;
  /** What was asked of it: `start` or `put`. */
  readonly operation: string;

  constructor(address: string, operation: string, options?: ErrorOptions) {
    super(
      `node ${address} is stopped: cannot ${operation} (expected a running node; create a new one with the same dataDir)`,
      options,
    );
    this.address = address;
    this.operation = operation;
  }
}
