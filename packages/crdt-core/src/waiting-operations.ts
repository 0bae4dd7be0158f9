import type { Operation } from './versioned-operation.js';
import { versionKey } from './versioned-operation.js';

/**
 * Remote operations whose parents have not arrived yet, each filed under the
 * one version it waits for. Bounded: past `limit`, the operation that has
 * waited longest is let go (and reported by the caller).
 */
export class WaitingOperations {
  readonly #byMissing = new Map<string, Operation[]>();
  /** Every waiting operation by its own version key, in arrival order. */
  readonly #byVersion = new Map<string, { operation: Operation; missing: string }>();
  readonly #limit: number;

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#byVersion.size;
  }

  /** True when this operation is already waiting. */
  has(operation: Operation): boolean {
    return this.#byVersion.has(versionKey(operation.version));
  }

  /**
   * Files `operation` under the version it waits for. Returns the operations
   * let go to stay within the limit, with what each waited for.
   */
  add(operation: Operation, missing: string): { operation: Operation; missing: string }[] {
    const key = versionKey(operation.version);
    if (this.#byVersion.has(key)) return [];
    this.#byVersion.set(key, { operation, missing });
    const waiters = this.#byMissing.get(missing);
    if (waiters === undefined) this.#byMissing.set(missing, [operation]);
    else waiters.push(operation);
    const dropped: { operation: Operation; missing: string }[] = [];
    while (this.#byVersion.size > this.#limit) {
      const [oldestKey, oldest] = this.#byVersion.entries().next().value as [
        string,
        { operation: Operation; missing: string },
      ];
      this.#byVersion.delete(oldestKey);
      const siblings = this.#byMissing.get(oldest.missing) ?? [];
      const remaining = siblings.filter((waiting) => waiting !== oldest.operation);
      if (remaining.length === 0) this.#byMissing.delete(oldest.missing);
      else this.#byMissing.set(oldest.missing, remaining);
      dropped.push(oldest);
    }
    return dropped;
  }

  /** Removes and returns the operations that waited for `version` (a version key). */
  release(version: string): Operation[] {
    const waiters = this.#byMissing.get(version);
    if (waiters === undefined) return [];
    this.#byMissing.delete(version);
    for (const operation of waiters) this.#byVersion.delete(versionKey(operation.version));
    return waiters;
  }
}
