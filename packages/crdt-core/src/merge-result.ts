import { EMPTY_ENTRIES } from './vector-entries.js';
import type { SparseEntries, VectorEntries } from './vector-entries.js';

/**
 * What a merge tells the protocol, computed in the same pass that merges.
 *
 * Both are sparse entries for sparse input, and dense entries aligned with the
 * input's registers when dense input merges into a dense vector. An empty
 * output is the shared {@link EMPTY_ENTRIES}.
 */
export interface MergeResult {
  /** Entries that grew here, with their new values: what to forward to other peers. */
  readonly grew: VectorEntries;
  /**
   * Entries, among the indices sent, where the local value was larger than
   * the one sent, with the local value: what to reply to the sender.
   */
  readonly larger: VectorEntries;
}

/** The result of a merge that changed nothing and found nothing larger (shared, frozen). */
export const EMPTY_MERGE_RESULT: MergeResult = Object.freeze({
  grew: EMPTY_ENTRIES,
  larger: EMPTY_ENTRIES,
});

/** Initial room of a pair buffer; a buffer grown past {@link RETAINED_PAIRS} is let go after use. */
const INITIAL_PAIRS = 64;
const RETAINED_PAIRS = 65_536;

/** Pairs collected in typed arrays that double when full. */
class PairBuffer {
  indices = new Float64Array(INITIAL_PAIRS);
  values = new Float64Array(INITIAL_PAIRS);
  count = 0;

  add(index: number, value: number): void {
    const count = this.count;
    if (count === this.indices.length) this.#grow();
    this.indices[count] = index;
    this.values[count] = value;
    this.count = count + 1;
  }

  /** The pairs as sparse entries of exactly sized arrays; the buffer is empty afterwards. */
  take(): SparseEntries {
    const count = this.count;
    if (count === 0) return EMPTY_ENTRIES;
    this.count = 0;
    const entries: SparseEntries = {
      kind: 'sparse',
      indices: copyOut(this.indices, count),
      values: copyOut(this.values, count),
    };
    if (this.indices.length > RETAINED_PAIRS) {
      this.indices = new Float64Array(INITIAL_PAIRS);
      this.values = new Float64Array(INITIAL_PAIRS);
    }
    return entries;
  }

  #grow(): void {
    const indices = new Float64Array(this.indices.length * 2);
    const values = new Float64Array(this.values.length * 2);
    indices.set(this.indices);
    values.set(this.values);
    this.indices = indices;
    this.values = values;
  }
}

/** A sized array is filled faster than one grown by `push`. */
function copyOut(source: Float64Array, count: number): number[] {
  const array = new Array<number>(count);
  for (let i = 0; i < count; i++) array[i] = source[i];
  return array;
}

/**
 * Collects a merge's sparse outputs in reusable typed buffers, then copies
 * them into exactly sized arrays, so a merge allocates only what it returns
 * (nothing when nothing grew and nothing was larger).
 */
export class SparseMergeOutput {
  readonly #grew = new PairBuffer();
  readonly #larger = new PairBuffer();

  /** Forgets anything collected (after a merge that threw, say). */
  start(): void {
    this.#grew.count = 0;
    this.#larger.count = 0;
  }

  /** Records that `index` grew to `value`. */
  addGrew(index: number, value: number): void {
    this.#grew.add(index, value);
  }

  /** Records that the local `value` at `index` is larger than the one sent. */
  addLarger(index: number, value: number): void {
    this.#larger.add(index, value);
  }

  /** The collected outputs; the collector is empty again afterwards. */
  finish(): MergeResult {
    if (this.#grew.count === 0 && this.#larger.count === 0) return EMPTY_MERGE_RESULT;
    return { grew: this.#grew.take(), larger: this.#larger.take() };
  }
}
