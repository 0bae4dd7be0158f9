const vigErrorMarker = Symbol.for('vig.error');

/**
 * The base of every error Vig throws or returns. Each failure has its own
 * subclass with a fixed `name`; check it with {@link isVigError} (which works
 * across duplicate copies of a package) and `error.name`.
 */
export abstract class VigError extends Error {
  /** Marks Vig errors independently of class identity. */
  readonly [vigErrorMarker] = true as const;
  abstract override readonly name: string;
}

/**
 * True when `value` is an error thrown by any Vig package, optionally of the
 * given `name` (e.g. `"InvalidIndexError"`).
 */
export function isVigError(value: unknown, name?: string): value is VigError {
  if (typeof value !== 'object' || value === null || !(vigErrorMarker in value)) return false;
  return name === undefined || (value as { name?: unknown }).name === name;
}
