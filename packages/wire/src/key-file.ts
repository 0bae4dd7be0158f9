import { InvalidClusterKeyError, InvalidKeyFileError } from './cluster-key-errors.js';
import { parseClusterKey } from './cluster-key.js';

/** The keys a key file holds: the primary key (seals and opens) and the keys also accepted (open only). */
export interface KeyFileKeys {
  /** The first key in the file: datagrams are sealed with it. */
  readonly primary: Uint8Array;
  /** The keys after it, in file order: datagrams sealed with them are accepted too. */
  readonly accepted: readonly Uint8Array[];
}

/**
 * Reads the text of a key file: one base64 cluster key per line, the first
 * the primary key and the others accepted; blank lines are skipped, and `#`
 * starts a comment running to the end of its line (base64 has no `#`).
 *
 * ```text
 * # cluster "prod", rotated 2026-03-01
 * uozNaSd8Yb38/f1gUbaZzIFErTCxfwWZhjV+DEWCe2s=   # new primary
 * 9QZyK6jHnl6qShnz8QNeBQSxBBskTo0QQZz+6rUsBxc=   # old key, still accepted
 * ```
 *
 * @param source names the file in errors
 * @throws {@link InvalidKeyFileError} for a file with no key or a line that is not one key
 *   (`cause`: the line's {@link InvalidClusterKeyError}); messages never hold key material
 */
export function parseKeyFile(text: string, source = 'key file'): KeyFileKeys {
  if (typeof text !== 'string') {
    throw new InvalidKeyFileError(source, undefined, `is ${typeof text}, not text`);
  }
  const keys: Uint8Array[] = [];
  const lines = text.split(/\r?\n/);
  for (const [index, line] of lines.entries()) {
    const content = line.replace(/#.*$/, '').trim();
    if (content.length === 0) continue;
    try {
      keys.push(parseClusterKey(content, `on line ${index + 1}`));
    } catch (error) {
      const problem =
        error instanceof InvalidClusterKeyError ? lineProblem(content) : 'is unreadable';
      throw new InvalidKeyFileError(source, index + 1, problem, { cause: error });
    }
  }
  const [primary, ...accepted] = keys;
  if (primary === undefined) throw new InvalidKeyFileError(source, undefined, 'holds no key');
  return { primary, accepted };
}

/** What is wrong with a line that is not a key, without repeating the line. */
function lineProblem(content: string): string {
  if (/\s/.test(content)) return 'holds more than one word';
  return `holds ${content.length} characters that are not one cluster key`;
}
