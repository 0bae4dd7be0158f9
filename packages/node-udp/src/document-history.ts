import type { Operation, Version, VersionedStore } from '@vig/crdt-core';
import { sameVersions } from './same-versions.js';

/** How many operations {@link DocumentHistory.log} lists when no `limit` is given: 100. */
export const DEFAULT_LOG_LIMIT = 100;

/** Options of a node's `docs.log`. */
export interface LogOptions {
  /** The most operations listed (a positive integer). Default {@link DEFAULT_LOG_LIMIT}. */
  readonly limit?: number;
  /**
   * Lists only operations that came before this one (in the order listed):
   * pass the last version of a page to get the next. Default: from the newest.
   */
  readonly before?: Version;
  /**
   * Lists every operation the node holds, not only those in the history of
   * the checked-out version. Default false.
   */
  readonly all?: boolean;
}

/**
 * An index of the operations that wrote each key, by their position in the
 * store's local order (the order the node came to hold them, parents always
 * before children): what a node's `docs.log` walks, newest first, a page at
 * a time.
 */
export class DocumentHistory {
  readonly #store: VersionedStore;
  /** Key → positions of the operations that wrote it, ascending. */
  readonly #byKey = new Map<string, number[]>();

  constructor(store: VersionedStore) {
    this.#store = store;
  }

  /** Indexes operations the store now holds, in the order it came to hold them. */
  append(operations: readonly Pick<Operation, 'version' | 'writes'>[]): void {
    for (const { version, writes } of operations) {
      const position = this.#store.positionOf(version);
      for (const write of writes) {
        const positions = this.#byKey.get(write.key);
        if (positions === undefined) this.#byKey.set(write.key, [position]);
        else if ((positions.at(-1) ?? -1) < position) positions.push(position);
      }
    }
  }

  /**
   * The operations (writing `key`, when given), newest first: those in the
   * history of the checked-out version, or all of them with `all`, at most
   * `limit`, starting after `before`. Costs time in proportion to the
   * operations passed over, never to the whole history unless the filter
   * makes it walk that far.
   *
   * @throws crdt-core's `UnknownVersionError` for a `before` this node does not hold
   */
  log(key: string | undefined, options: LogOptions = {}): Operation[] {
    const store = this.#store;
    const limit = options.limit ?? DEFAULT_LOG_LIMIT;
    const positions = key === undefined ? undefined : (this.#byKey.get(key) ?? []);
    let end = positions === undefined ? store.size : positions.length;
    if (options.before !== undefined) {
      const before = store.positionOf(options.before);
      end = positions === undefined ? before : lowerBound(positions, before);
    }
    const frontier = options.all === true ? undefined : store.frontier;
    const everything = frontier === undefined || sameVersions(frontier, store.heads);
    const listed: Operation[] = [];
    for (let index = end - 1; index >= 0 && listed.length < limit; index--) {
      const version = store.versionAt(positions === undefined ? index : positions[index]);
      if (everything || store.contains(frontier, version)) listed.push(store.operation(version));
    }
    return listed;
  }
}

/** The first index of ascending `values` holding a value ≥ `value`. */
function lowerBound(values: readonly number[], value: number): number {
  let low = 0;
  let high = values.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (values[middle] < value) low = middle + 1;
    else high = middle;
  }
  return low;
}
