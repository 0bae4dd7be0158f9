import { VigError } from '@vig/crdt-core';

/** `vig keygen FILE` without `--force` for a FILE that exists: a key is never overwritten by accident. */
export class KeyFileExistsError extends VigError {
  static override readonly name = 'KeyFileExistsError';
  override readonly name = 'KeyFileExistsError';
  /** The file. */
  readonly path: string;

  constructor(path: string, options?: ErrorOptions) {
    super(
      `key file ${path} already exists: expected a new file (vig keygen --force replaces it, and the key it holds is lost)`,
      options,
    );
    this.path = path;
  }
}
