import type { TextOutput } from './cli-io.js';
import { writeJsonLine } from './json-line.js';

/** The `--json` flag of a command that prints an answer. */
export interface JsonOption {
  readonly json?: true;
}

/**
 * Prints one answer: `json` as one JSON line when `--json` was given, else
 * `text` as one line.
 */
export function writeAnswer(
  output: TextOutput,
  options: JsonOption,
  json: unknown,
  text: string,
): void {
  if (options.json === true) writeJsonLine(output, json);
  else output.write(`${text}\n`);
}
