/**
 * Error text as a single line: line breaks and runs of spaces become one
 * space, so every failure of `vig` is exactly one line on stderr.
 */
export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
