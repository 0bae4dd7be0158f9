import { DenseRegisters } from './dense-registers.js';
import { summarizeDense, summarizeSparse } from './entries-summary.js';
import type { EntriesSummary } from './entries-summary.js';
import { EMPTY_MERGE_RESULT, SparseMergeOutput } from './merge-result.js';
import type { MergeResult } from './merge-result.js';
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
 * One collector serves every merge: a merge runs no callbacks, so merges
 * never overlap, and reusing it keeps allocation off the hot path.
 */
const sparseOutput = new SparseMergeOutput();

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
    if (incoming instanceof MaxVector) return this.#mergeVector(incoming);
    if (incoming.kind === 'dense') {
      return this.#mergeDense(incoming.offset, incoming.registers, undefined);
    }
    return this.#mergeSparse(incoming.indices, incoming.values);
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

  #mergeVector(source: MaxVector): MergeResult {
    if (source === this) return EMPTY_MERGE_RESULT;
    const storage = source.#storage;
    if (storage.kind === 'sparse') return this.#mergeTable(storage);
    // A dense vector's width is the one its largest value needs.
    const summary: EntriesSummary = {
      count: storage.size,
      lowest: storage.lowest,
      highest: storage.highest,
      largest: largestValueOfWidth(storage.registers.BYTES_PER_ELEMENT),
    };
    return this.#mergeDense(storage.offset, storage.registers, summary);
  }

  // Each storage kind is called at a call site of its own, so every site stays
  // monomorphic and the engine can inline the loops.

  #mergeSparse(indices: readonly number[], values: readonly number[]): MergeResult {
    const summary = summarizeSparse(indices, values);
    if (summary.count === 0) return EMPTY_MERGE_RESULT;
    this.#prepare(summary.count, summary.lowest, summary.highest, summary.largest, false);
    const storage = this.#storage;
    sparseOutput.start();
    if (storage.kind === 'dense') {
      storage.mergeSparse(indices, values, sparseOutput);
    } else {
      storage.mergeSparse(indices, values, sparseOutput);
      this.#settle(storage);
    }
    return sparseOutput.finish();
  }

  #mergeTable(source: SparseTable): MergeResult {
    if (source.size === 0) return EMPTY_MERGE_RESULT;
    this.#prepare(source.size, source.lowest, source.highest, source.largest, true);
    const storage = this.#storage;
    sparseOutput.start();
    if (storage.kind === 'dense') {
      storage.mergeTable(source, sparseOutput);
    } else {
      storage.mergeTable(source, sparseOutput);
      this.#settle(storage);
    }
    return sparseOutput.finish();
  }

  /** `summary` is given for trusted registers (another vector's); otherwise they are validated. */
  #mergeDense(
    offset: number,
    registers: RegisterArray,
    trustedSummary: EntriesSummary | undefined,
  ): MergeResult {
    const storage = this.#storage;
    // The hot case (HyperLogLog into HyperLogLog) needs neither a scan nor preparation.
    if (storage.kind === 'dense' && storage.canMergeDirectly(offset, registers)) {
      return storage.mergeDense(offset, registers);
    }
    const summary = trustedSummary ?? summarizeDense(offset, registers);
    if (summary.count === 0) return EMPTY_MERGE_RESULT;
    this.#prepare(summary.count, summary.lowest, summary.highest, summary.largest, true);
    const prepared = this.#storage;
    if (prepared.kind === 'dense') return prepared.mergeDense(offset, registers);
    sparseOutput.start();
    prepared.mergeDense(offset, registers, sparseOutput);
    this.#settle(prepared);
    return sparseOutput.finish();
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
