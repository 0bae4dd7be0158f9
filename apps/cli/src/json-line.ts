import type { TextOutput } from './cli-io.js';

/** Writes `value` as one line of JSON, as `--json` output is. */
export function writeJsonLine(output: TextOutput, value: unknown): void {
  output.write(`${JSON.stringify(value)}\n`);
}
