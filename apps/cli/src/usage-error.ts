import { VigError } from '@vig/crdt-core';

/**
 * A command line `vig` cannot run: a value in the wrong form (`INDEX=VALUE`,
 * `HOST:PORT`, a count), or arguments that do not go together. The command
 * exits with code 2 and prints the message as one line.
 */
export class UsageError extends VigError {
  static override readonly name = 'UsageError';
  override readonly name = 'UsageError';

  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
  }
}
