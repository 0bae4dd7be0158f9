import { isVigError } from '@vig/crdt-core';

/**
 * Error text as a single line: line breaks and runs of spaces become one
 * space, so every failure of `vig` is exactly one line on stderr.
 */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The one line that reports `error`: a Vig error's message, or any other error's name and message. */
export function failureLine(error: unknown): string {
  if (isVigError(error)) return oneLine(error.message);
  if (error instanceof Error) return oneLine(`${error.name}: ${error.message}`);
  return oneLine(String(error));
}
