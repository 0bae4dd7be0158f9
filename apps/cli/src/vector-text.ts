/**
 * How a vector reads on a terminal: `0=5 3=7`, ascending by index, cut short
 * after a few dozen entries so a 16384-register HyperLogLog stays one line.
 */

/** The most entries printed before the rest is summarised as "… (N more)". */
export const MAX_PRINTED_ENTRIES = 32;

/** `{0: 5, 3: 7}` as `0=5 3=7`; an empty vector as `(empty)`. */
export function vectorText(record: Readonly<Record<number, number>>): string {
  const entries = Object.entries(record)
    .map(([index, value]) => [Number(index), value] as const)
    .sort(([left], [right]) => left - right);
  if (entries.length === 0) return '(empty)';
  const shown = entries
    .slice(0, MAX_PRINTED_ENTRIES)
    .map(([index, value]) => `${index}=${value}`)
    .join(' ');
  const hidden = entries.length - MAX_PRINTED_ENTRIES;
  return hidden > 0 ? `${shown} … (${hidden} more)` : shown;
}
