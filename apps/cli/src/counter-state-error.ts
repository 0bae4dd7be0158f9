import { VigError } from '@vig/crdt-core';

/** A file in `vig`'s state folder (`writer-id`, `counters.json`) holds something `vig` did not write. */
export class CounterStateError extends VigError {
  static override readonly name = 'CounterStateError';
  override readonly name = 'CounterStateError';
  /** The file. */
  readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(`${path} ${problem}`, options);
    this.path = path;
  }
}
