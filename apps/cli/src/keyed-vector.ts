import type { MaxVector } from '@vig/crdt-core';

/**
 * The JSON shape `vig get`, `vig search` and `vig agg` print:
 * `{"key":"foo","vector":{"0":5,"3":7}}`. For `agg` the key is the pattern.
 */
export interface KeyedVector {
  /** The key (or, for an aggregate, the pattern). */
  readonly key: string;
  /** Index → value; an unknown key has `{}`. */
  readonly vector: Record<number, number>;
}

/** `key` and `vector` in the printed shape; a missing vector reads as empty. */
export function keyedVector(key: string, vector: MaxVector | undefined): KeyedVector {
  return { key, vector: vector?.toRecord() ?? {} };
}
