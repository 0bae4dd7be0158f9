import { VigError } from '@vig/crdt-core';

/** A node's documents used on a node created with `docs: false`. */
export class DocumentsDisabledError extends VigError {
  static override readonly name = 'DocumentsDisabledError';
  override readonly name = 'DocumentsDisabledError';
  /** The node's address. */
  readonly address: string;
  /** What was asked: `docs.put`, `docs.get`, … */
  readonly operation: string;

  constructor(address: string, operation: string, options?: ErrorOptions) {
    super(
      `node ${address} was created with docs: false: cannot ${operation} (expected a node created with docs enabled, the default)`,
      options,
    );
    this.address = address;
    this.operation = operation;
  }
}

/**
 * An argument of a documents call that is out of its range: a branch name
 * that cannot be stored, a `log` limit that is not a positive integer, a
 * value the store cannot keep.
 */
export class DocumentArgumentError extends VigError {
  static override readonly name = 'DocumentArgumentError';
  override readonly name = 'DocumentArgumentError';
  /** The argument that was wrong (`name`, `limit`, `writes`, …). */
  readonly argument: string;

  constructor(argument: string, problem: string, expected: string, options?: ErrorOptions) {
    super(`${argument} ${problem}: expected ${expected}`, options);
    this.argument = argument;
  }
}
