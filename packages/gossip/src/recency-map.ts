/**
 * A map with a fixed capacity that forgets its least recently refreshed
 * entry first: what the engine keeps per source address, so that datagrams
 * from any number of (spoofed) addresses cost bounded memory.
 */

/** A map of at most `capacity` entries, in order of recency (oldest first). */
export class RecencyMap<K, V> {
  readonly #entries = new Map<K, V>();
  readonly #capacity: number;

  /** @param capacity the most entries kept (at least 1) */
  constructor(capacity: number) {
    this.#capacity = Math.max(1, Math.floor(capacity));
  }

  /** The entries held. */
  get size(): number {
    return this.#entries.size;
  }

  /** The most entries held. */
  get capacity(): number {
    return this.#capacity;
  }

  /** The value of `key`, without changing its recency. */
  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  /** Whether `key` is held. */
  has(key: K): boolean {
    return this.#entries.has(key);
  }

  /** Sets `key` as the most recent entry, forgetting the oldest when over capacity. */
  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.#capacity) this.#deleteOldest();
  }

  /** Makes `key` the most recent entry; nothing if it is not held. */
  refresh(key: K): void {
    const value = this.#entries.get(key);
    if (value === undefined && !this.#entries.has(key)) return;
    this.#entries.delete(key);
    this.#entries.set(key, value as V);
  }

  /** Forgets `key`. */
  delete(key: K): boolean {
    return this.#entries.delete(key);
  }

  /** The least recent entry, if any. */
  oldest(): [K, V] | undefined {
    const first = this.#entries.entries().next();
    return first.done === true ? undefined : first.value;
  }

  /** Forgets everything. */
  clear(): void {
    this.#entries.clear();
  }

  #deleteOldest(): void {
    const first = this.#entries.keys().next();
    if (first.done !== true) this.#entries.delete(first.value);
  }
}
