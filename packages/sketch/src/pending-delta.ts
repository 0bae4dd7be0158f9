import { MaxVector } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { grownEntries } from './grown-entries.js';
import type { SketchStore } from './sketch-store.js';
import { WriteBatch } from './write-batch.js';

/**
 * The deltas a handle made this turn, merged into one vector, and the batch
 * that writes them to `key`: only the entries that beat the stored vector.
 */
export class PendingDelta {
  readonly #store: SketchStore;
  readonly #key: string;
  #pending = new MaxVector();
  readonly #batch: WriteBatch;

  constructor(store: SketchStore, key: string) {
    this.#store = store;
    this.#key = key;
    this.#batch = new WriteBatch(() => this.#write());
  }

  /** Merges `delta` into the batch; resolves when the batch is written. */
  add(delta: VectorEntries): Promise<void> {
    this.#pending.merge(delta);
    return this.#batch.schedule();
  }

  /** Resolves once every delta added so far is written. */
  flush(): Promise<void> {
    return this.#pending.size > 0 ? this.#batch.schedule() : this.#batch.settled();
  }

  /** The key's vector as the store holds it, after pending deltas are written. */
  async read(): Promise<MaxVector | undefined> {
    await this.flush();
    return this.#store.get(this.#key);
  }

  async #write(): Promise<void> {
    const taken = this.#pending;
    this.#pending = new MaxVector();
    try {
      const indices: number[] = [];
      const values: number[] = [];
      taken.forEach((index, value) => {
        indices.push(index);
        values.push(value);
      });
      const delta = grownEntries(await this.#store.get(this.#key), indices, values);
      if (delta.indices.length > 0) await this.#store.put(this.#key, delta);
    } catch (error) {
      // Nothing is lost: the taken deltas go back into the batch, for the next write.
      this.#pending.merge(taken);
      throw error;
    }
  }
}
