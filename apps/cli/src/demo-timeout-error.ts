import { VigError } from '@vig/crdt-core';

/** The demo cluster did not reach a state (membership, or a write on every node) in time. */
export class DemoTimeoutError extends VigError {
  static override readonly name = 'DemoTimeoutError';
  override readonly name = 'DemoTimeoutError';
  /** What was awaited, such as "page:home on every node". */
  readonly awaited: string;
  /** How long the demo waited, in milliseconds. */
  readonly limit: number;

  constructor(awaited: string, limit: number, progress: string, options?: ErrorOptions) {
    super(
      `the demo waited ${limit} ms for ${awaited} and gave up (${progress}); expected it within a second on loopback`,
      options,
    );
    this.awaited = awaited;
    this.limit = limit;
  }
}
