/**
 * Key kinds (SPEC §1, §3). Like the Ruby prototype, `*` is checked before `%`:
 * a key holding both is an aggregate pattern.
 */

/** Runs of wildcards: `%` and `*` both match any run of characters. */
const WILDCARD_RUN = /[%*]+/;

/** True when `key` holds `*`: an aggregate pattern, answered with the max over matching keys. */
export function isAggregatePattern(key: string): boolean {
  return key.includes('*');
}

/** True when `key` holds `%` and no `*`: a search pattern, answered key by key. */
export function isSearchPattern(key: string): boolean {
  return !key.includes('*') && key.includes('%');
}

/** True when `key` is a search or aggregate pattern, so it is never stored. */
export function isPattern(key: string): boolean {
  return key.includes('*') || key.includes('%');
}

/** True for a peer key such as `n:10.0.0.7:4000` (one starting `n:` that is not a pattern). */
export function isPeerKey(key: string): boolean {
  return key.startsWith('n:') && !isPattern(key);
}

/** A compiled pattern: true for every key it matches. */
export type KeyMatcher = (key: string) => boolean;

/**
 * Compiles a key pattern into a matcher. Both `%` and `*` match any run of
 * characters, the empty run included; every other character matches itself
 * (`.`, `(`, `\` and the like are not special). The match covers the whole
 * key, unlike the Ruby prototype's unanchored regular expression.
 *
 * @example
 * ```ts
 * const matches = compileKeyPattern('views:%');
 * matches('views:home'); // true
 * matches('page-views:home'); // false
 * ```
 */
export function compileKeyPattern(pattern: string): KeyMatcher {
  const pieces = pattern.split(WILDCARD_RUN);
  if (pieces.length === 1) return (key) => key === pattern;
  const prefix = pieces[0];
  const suffix = pieces[pieces.length - 1];
  const middles = pieces.slice(1, -1);
  const fixedLength = prefix.length + suffix.length;
  return (key) => {
    if (key.length < fixedLength || !key.startsWith(prefix) || !key.endsWith(suffix)) return false;
    // Placing each middle piece at its leftmost possible position leaves the
    // most room for the rest, so this greedy search finds a match if one exists.
    const end = key.length - suffix.length;
    let position = prefix.length;
    for (const middle of middles) {
      const found = key.indexOf(middle, position);
      if (found < 0 || found + middle.length > end) return false;
      position = found + middle.length;
    }
    return true;
  };
}
