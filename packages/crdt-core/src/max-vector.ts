import { DenseRegisters } from './dense-registers.js';
import { summarizeDense, summarizeSparse, summarized } from './entries-summary.js';
import type { EntriesSummary } from './entries-summary.js';
import { MergeCollector, collectorOf } from './merge-result.js';
import type { MergeOutput, MergeResult } from './merge-result.js';
import { largestValueOfWidth, registerWidthFor } from './register-width.js';
import { denseBytes, shouldEnterDense, shouldLeaveDense } from './representation-policy.js';
import { SparseTable } from './sparse-table.js';
import {
  EMPTY_ENTRIES,
  assertIndex,
  assertValue,
  entriesFromRecord,
  isValidIndex,
} from './vector-entries.js';
import type { RegisterArray, VectorEntries } from './vector-entries.js';

/**
 * One collector serves every {@link MaxVector.merge}: a merge runs no
 * callbacks, so merges never overlap, and reusing it keeps allocation down to
 * the result itself.
 */
const scratch = new MergeCollector(false);

/**
 * A sparse vector of integers, index (0..2^32−1) → value (0..2^53−1), a
 * missing index reading as 0, changed only by element-wise max.
 *
 * It stores itself as a hash table in typed arrays (sparse) or as one typed
 * array of registers with an offset (dense), whichever is smaller, and
 * switches by itself; the API is the same either way. Dense becomes the form
 * once it takes no more memory than sparse; a vector leaves dense only when a
 * far-away index would make dense over 4 times larger than sparse, so it
 * never flaps between the two.
 *
 * @example
 * ```ts
 * const local = MaxVector.from({ 0: 5, 3: 7 });
 * const { grew, larger } = local.merge({ kind: 'sparse', indices: [0, 3], values: [9, 2] });
 * // grew: index 0 → 9 (forward to peers); larger: index 3 → 7 (reply to the sender)
 * ```
 */
export class MaxVector {
  #storage: SparseTable | DenseRegisters = new SparseTable();

  /**
   * A vector from a plain record such as `{ 0: 5, 3: 7 }`.
   *
   * @throws {@link InvalidIndexError} or {@link InvalidValueError} for an entry out of range
   */
  static from(record: Readonly<Record<number, number>>): MaxVector {
    return MaxVector.fromEntries(entriesFromRecord(record));
  }

  /**
   * A vector holding `entries` (the max where an index repeats).
   *
   * @throws {@link InvalidIndexError} or {@link InvalidValueError} for an entry out of range
   */
  static fromEntries(entries: VectorEntries): MaxVector {
    const vector = new MaxVector();
    vector.merge(entries);
    return vector;
  }

  /** Number of non-zero entries. */
  get size(): number {
    return this.#storage.size;
  }

  /** How the vector is stored right now: a hash table or a register array. */
  get representation(): 'sparse' | 'dense' {
    return this.#storage.kind;
  }

  /** Bytes held by the typed arrays behind the vector (object headers not counted). */
  get byteSize(): number {
    return this.#storage.byteSize;
  }

  /** The value at `index`; 0 when absent, including for any number that is not a valid index. */
  get(index: number): number {
    return isValidIndex(index) ? this.#storage.get(index) : 0;
  }

  /**
   * Raises the entry at `index` to `value` when that is larger.
   *
   * @returns true if the entry grew
   * @throws {@link InvalidIndexError} or {@link InvalidValueError}; the vector is then unchanged
   */
  raise(index: number, value: number): boolean {
    assertIndex(index);
    assertValue(index, value);
    if (value === 0) return false;
    this.#prepare(1, index, index, value, true);
    const storage = this.#storage;
    if (storage.kind === 'dense') return storage.raise(index, value);
    const grew = storage.raise(index, value);
    if (grew) this.#settle(storage);
    return grew;
  }

  /**
   * Merges `incoming` by element-wise max, in one pass that also finds what
   * the protocol must send on: {@link MergeResult.grew} (to forward) and
   * {@link MergeResult.larger} (to reply). Zero values are ignored.
   *
   * Atomic: every incoming entry is validated before anything changes, and a
   * merge that throws leaves the vector as it was.
   *
   * Outputs are sparse entries, except when dense entries merge into a dense
   * vector: then both are dense entries aligned with the incoming registers.
   * Indices are expected once each; if one repeats, the vector still takes the
   * max, `grew` lists each increase, and `larger` may list an index that a
   * later repeat raised to or above the local value.
   *
   * @throws {@link InvalidIndexError} or {@link InvalidValueError} naming the first bad entry
   */
  merge(incoming: VectorEntries | MaxVector): MergeResult {
    this.#merge(incoming, scratch);
    return scratch.result();
  }

  /**
   * {@link MaxVector.merge} for hot callers: the same merge, validation and
   * outputs, but `grew` and `larger` are written into `output`'s own arrays,
   * which it reuses from merge to merge, instead of into new ones. Returns
   * `output`.
   *
   * The outputs stay valid only until the next merge into the same `output`:
   * encode or copy them first. A merge that throws leaves the vector and
   * `output` as they were. Passing one of `output`'s own entries back in as
   * `incoming` is safe (the output then lets go of those arrays).
   *
   * @throws {@link InvalidIndexError} or {@link InvalidValueError} naming the first bad entry
   */
  mergeInto(incoming: VectorEntries | MaxVector, output: MergeOutput): MergeOutput {
    const collector = collectorOf(output);
    if (!(incoming instanceof MaxVector)) collector.detachFrom(incoming);
    this.#merge(incoming, collector);
    collector.publish();
    return output;
  }

  /** Calls `visit` for every non-zero entry; ascending when dense, unspecified order when sparse. */
  forEach(visit: (index: number, value: number) => void): void {
    this.#storage.forEach(visit);
  }

  /**
   * A snapshot copy of the entries: dense entries (lowest to highest entry)
   * when the vector is dense, sparse entries in ascending index order otherwise.
   */
  toEntries(): VectorEntries {
    const storage = this.#storage;
    if (storage.size === 0) return EMPTY_ENTRIES;
    if (storage.kind === 'dense') return storage.toEntries();
    const indices = new Uint32Array(storage.size);
    let position = 0;
    storage.forEach((index) => {
      indices[position++] = index;
    });
    indices.sort();
    const values = Array.from(indices, (index) => storage.get(index));
    return { kind: 'sparse', indices: Array.from(indices), values };
  }

  /** The entries as a plain record, e.g. `{ "0": 5, "3": 7 }`, for JSON output. */
  toRecord(): Record<number, number> {
    const record: Record<number, number> = {};
    const entries = this.toEntries();
    if (entries.kind === 'dense') {
      const { offset, registers } = entries;
      registers.forEach((value, position) => {
        if (value !== 0) record[offset + position] = value;
      });
    } else {
      entries.indices.forEach((index, position) => {
        record[index] = entries.values[position];
      });
    }
    return record;
  }

  /** An independent copy, in the same representation. */
  clone(): MaxVector {
    const copy = new MaxVector();
    copy.#storage = this.#storage.clone();
    return copy;
  }

  /** True when both hold the same entries, whatever their representations. */
  equals(other: MaxVector): boolean {
    if (other === this) return true;
    if (other.size !== this.size) return false;
    let same = true;
    this.#storage.forEach((index, value) => {
      if (same && other.#storage.get(index) !== value) same = false;
    });
    return same;
  }

  /** Merges `incoming`, collecting both outputs in `output` (which it starts). */
  #merge(incoming: VectorEntries | MaxVector, output: MergeCollector): void {
    if (incoming instanceof MaxVector) {
      this.#mergeVector(incoming, output);
    } else if (incoming.kind === 'dense') {
      this.#mergeDense(incoming.offset, incoming.registers, undefined, output);
    } else {
      this.#mergeSparse(incoming.indices, incoming.values, output);
    }
  }

  #mergeVector(source: MaxVector, output: MergeCollector): void {
    if (source === this) {
      output.start();
      return;
    }
    const storage = source.#storage;
    if (storage.kind === 'sparse') {
      this.#mergeTable(storage, output);
      return;
    }
    // A dense vector's width is the one its largest value needs.
    const summary = summarized(
      storage.size,
      storage.lowest,
      storage.highest,
      largestValueOfWidth(storage.registers.BYTES_PER_ELEMENT),
    );
    this.#mergeDense(storage.offset, storage.registers, summary, output);
  }

  // Each storage kind is called at a call site of its own, so every site stays
  // monomorphic and the engine can inline the loops.

  #mergeSparse(
    indices: readonly number[],
    values: readonly number[],
    output: MergeCollector,
  ): void {
    const summary = summarizeSparse(indices, values);
    output.start();
    if (summary.count === 0) return;
    this.#prepare(summary.count, summary.lowest, summary.highest, summary.largest, false);
    const storage = this.#storage;
    if (storage.kind === 'dense') {
      storage.mergeSparse(indices, values, output);
    } else {
      storage.mergeSparse(indices, values, output);
      this.#settle(storage);
    }
  }

  #mergeTable(source: SparseTable, output: MergeCollector): void {
    output.start();
    if (source.size === 0) return;
    this.#prepare(source.size, source.lowest, source.highest, source.largest, true);
    const storage = this.#storage;
    if (storage.kind === 'dense') {
      storage.mergeTable(source, output);
    } else {
      storage.mergeTable(source, output);
      this.#settle(storage);
    }
  }

  /** `summary` is given for trusted registers (another vector's); otherwise they are validated. */
  #mergeDense(
    offset: number,
    registers: RegisterArray,
    trustedSummary: EntriesSummary | undefined,
    output: MergeCollector,
  ): void {
    const storage = this.#storage;
    // The hot case (HyperLogLog into HyperLogLog) needs neither a scan nor preparation.
    if (storage.kind === 'dense' && storage.canMergeDirectly(offset, registers)) {
      output.start();
      storage.mergeDense(offset, registers, output);
      return;
    }
    const summary = trustedSummary ?? summarizeDense(offset, registers);
    output.start();
    if (summary.count === 0) return;
    this.#prepare(summary.count, summary.lowest, summary.highest, summary.largest, true);
    const prepared = this.#storage;
    if (prepared.kind === 'dense') {
      prepared.mergeDense(offset, registers, output);
    } else {
      prepared.mergeDense(offset, registers, output);
      this.#settle(prepared);
    }
  }

  /**
   * Before a merge writes anything: picks the representation the merged
   * vector should have, judged from the incoming entries' summary, and makes
   * dense storage cover their range and width. A dense vector leaves dense
   * only if even `size + count` entries (the most there can be) would fit
   * sparse in a quarter of the memory; a sparse vector turns dense early only
   * when `count` is exact (no repeated indices), since `max(size, count)` is
   * then the least there can be.
   */
  #prepare(
    count: number,
    lowest: number,
    highest: number,
    largest: number,
    countIsExact: boolean,
  ): void {
    const storage = this.#storage;
    if (storage.kind === 'dense') {
      if (storage.holds(lowest, highest, largest)) return;
      const unionLowest = Math.min(lowest, storage.lowest);
      const unionHighest = Math.max(highest, storage.highest);
      const width = Math.max(storage.registers.BYTES_PER_ELEMENT, registerWidthFor(largest));
      if (shouldLeaveDense(denseBytes(unionLowest, unionHighest, width), storage.size + count)) {
        this.#storage = storage.toTable(count);
      } else {
        storage.prepare(unionLowest, unionHighest, largest);
      }
      return;
    }
    if (!countIsExact) return;
    const unionLowest = Math.min(lowest, storage.lowest);
    const unionHighest = Math.max(highest, storage.highest);
    const unionLargest = Math.max(largest, storage.largest);
    const bytes = denseBytes(unionLowest, unionHighest, registerWidthFor(unionLargest));
    if (shouldEnterDense(bytes, Math.max(storage.size, count))) {
      this.#storage = DenseRegisters.fromTable(storage, unionLowest, unionHighest, unionLargest);
    }
  }

  /** After a sparse merge: turns dense if that is now no larger. */
  #settle(table: SparseTable): void {
    if (table.size === 0) return;
    const bytes = denseBytes(table.lowest, table.highest, registerWidthFor(table.largest));
    if (shouldEnterDense(bytes, table.size)) {
      this.#storage = DenseRegisters.fromTable(table, table.lowest, table.highest, table.largest);
    }
  }
}
