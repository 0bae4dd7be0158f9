import { isPattern } from '@vig/crdt-core';
import { UsageError } from './usage-error.js';

/**
 * Throws unless `key` names one key: not empty, and not a `%` or `*`
 * pattern. `command` (such as `vig put`) is named in the message.
 *
 * @throws {@link UsageError}
 */
export function assertOneKey(key: string, command: string): void {
  if (key.length === 0) throw new UsageError('key is empty: expected a key such as views:home');
  if (isPattern(key)) {
    throw new UsageError(
      `key ${JSON.stringify(key)} is a pattern: ${command} takes one key (without % or *)`,
    );
  }
}
