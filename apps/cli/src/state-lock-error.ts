import { VigError } from '@vig/crdt-core';

/** Another `vig` held the state folder's lock longer than `vig` waits for it. */
export class StateLockError extends VigError {
  static override readonly name = 'StateLockError';
  override readonly name = 'StateLockError';
  /** The lock file. */
  readonly path: string;

  constructor(path: string, waited: number, holder: string, options?: ErrorOptions) {
    super(
      `waited ${waited} ms for the lock ${path} (held by ${holder}) and gave up: expected another vig counter incr to finish within that; if none runs, remove the file`,
      options,
    );
    this.path = path;
  }
}
