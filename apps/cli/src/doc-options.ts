import type { JsonOption } from './answer-line.js';
import type { ClientOptions } from './client-options.js';
import { UsageError } from './usage-error.js';

/** The options every `vig doc` subcommand takes: the client options and `--json`. */
export interface DocOptions extends ClientOptions, JsonOption {}

/**
 * Checks the KEY argument of a document command: any text but the empty one
 * (a document key is never a pattern, so `%` and `*` are ordinary characters).
 *
 * @throws {@link UsageError} for an empty key
 */
export function docKey(key: string): string {
  if (key.length === 0) throw new UsageError('key is empty: expected a key such as title');
  return key;
}
