import { oneLine } from './one-line.js';
import { UsageError } from './usage-error.js';

/** The longest piece of a bad JSON argument quoted back in the message. */
const MAX_QUOTED = 60;

/**
 * Reads the JSON argument of `vig doc put`: any JSON value (an object, an
 * array, a string in its double quotes, a number, `true`, `false`, `null`).
 *
 * @throws {@link UsageError} naming the text (cut short if long), what
 * `JSON.parse` found wrong and the expected form
 */
export function parseJsonArgument(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const quoted = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
    const problem = error instanceof Error ? oneLine(error.message) : String(error);
    throw new UsageError(
      `JSON ${JSON.stringify(quoted)} is invalid (${problem}): expected a JSON value quoted for the shell, such as '{"title":"Draft"}' or '"Draft"' for a string`,
      { cause: error },
    );
  }
}
