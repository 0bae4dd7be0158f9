import type { MaxVector, VectorEntries } from '@vig/crdt-core';

/**
 * Where a sketch handle reads and writes its key: a Vig node, a client, or
 * anything else that merges entries into a key under element-wise max.
 * `VigNode` and `VigClient` of `@vig/node-udp` are sketch stores as they are.
 */
export interface SketchStore {
  /** Merges `entries` into `key`; resolves once the store holds them. */
  put(key: string, entries: VectorEntries): Promise<unknown>;
  /** The vector of `key`, or undefined (or an empty vector) when there is none. */
  get(key: string): MaxVector | undefined | Promise<MaxVector | undefined>;
}
