import { VigError } from '@vig/crdt-core';

/** `vig keygen FILE` could not write FILE: a missing folder, no permission, a full disk… */
export class KeyFileWriteError extends VigError {
  static override readonly name = 'KeyFileWriteError';
  override readonly name = 'KeyFileWriteError';
  /** The file. */
  readonly path: string;

  constructor(path: string, problem: string, options?: ErrorOptions) {
    super(
      `could not write key file ${path}: ${problem}; expected a path where a new file can be written`,
      options,
    );
    this.path = path;
  }
}
