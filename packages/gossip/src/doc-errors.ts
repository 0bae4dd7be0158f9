import { VigError } from '@vig/crdt-core';

/**
 * A local write to a node's doc replica whose operation would not fit the
 * largest doc message (`maxDocMessageBytes`): no peer could receive it, so
 * nothing is written.
 */
export class DocWriteTooLargeError extends VigError {
  static override readonly name = 'DocWriteTooLargeError';
  override readonly name = 'DocWriteTooLargeError';
  /** The encoded operation's size in bytes. */
  readonly byteLength: number;
  /** The limit it broke. */
  readonly limit: number;

  constructor(byteLength: number, limit: number, options?: ErrorOptions) {
    super(
      `the write's operation takes ${byteLength} bytes: expected at most ${limit} (maxDocMessageBytes), the largest doc message a peer receives`,
      options,
    );
    this.byteLength = byteLength;
    this.limit = limit;
  }
}

/**
 * A local write with a value outside msgpack or a key too long to travel
 * (`cause`: the wire's `OperationEncodeError`): nothing is written.
 */
export class DocWriteEncodeError extends VigError {
  static override readonly name = 'DocWriteEncodeError';
  override readonly name = 'DocWriteEncodeError';

  constructor(problem: string, options?: ErrorOptions) {
    super(`the write cannot travel between nodes: ${problem}`, options);
  }
}
