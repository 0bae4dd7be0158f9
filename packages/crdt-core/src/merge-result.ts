import { allocateRegisters } from './register-width.js';
import { EMPTY_ENTRIES } from './vector-entries.js';
import type { RegisterArray, SparseEntries, VectorEntries } from './vector-entries.js';

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

/** Pairs a scratch collector keeps between merges; one grown past this is let go after use. */
const RETAINED_PAIRS = 65_536;

/**
 * An empty array whose elements are stored as doubles from the start, so
 * every store into a collector array takes the same path (indices above 2^31
 * are doubles anyway) and never changes the array's element kind.
 */
function doubleArray(): number[] {
  const array = [0.5];
  array.length = 0;
  return array;
}

/** Sparse entries the collector owns and fills again on each use. */
interface OwnedSparseEntries {
  readonly kind: 'sparse';
  indices: number[];
  values: number[];
}

/** Dense entries the collector owns and points at new registers on each use. */
interface OwnedDenseEntries {
  readonly kind: 'dense';
  offset: number;
  registers: RegisterArray;
}

/**
 * Collects a merge's outputs as it runs. Sparse outputs go into plain arrays
 * kept between merges (written in place, never pushed); dense outputs into
 * register arrays handed out on first use.
 *
 * A scratch collector (`reuse` false) backs {@link MaxVector.merge}: its
 * {@link MergeCollector.result} copies the sparse outputs out into exactly
 * sized arrays and hands over freshly allocated dense ones. A reusing
 * collector backs a {@link MergeOutput}: {@link MergeCollector.publish}
 * exposes its own arrays, and dense register arrays are zeroed and reused.
 *
 * Merges run no callbacks, so they never overlap and one scratch collector
 * serves them all.
 */
export class MergeCollector {
  readonly reuse: boolean;
  grewIndices = doubleArray();
  grewValues = doubleArray();
  grewCount = 0;
  largerIndices = doubleArray();
  largerValues = doubleArray();
  largerCount = 0;
  /** True when this merge's outputs are dense (dense input into a dense vector). */
  dense = false;
  /** The offset of the dense input, which both dense outputs share. */
  denseOffset = 0;
  /** This merge's dense outputs; undefined until something goes in them. */
  grewRegisters: RegisterArray | undefined = undefined;
  largerRegisters: RegisterArray | undefined = undefined;

  // Reusing collectors only: what `grew` and `larger` show, and register
  // arrays kept for the next dense merge (dirty once handed out).
  grewEntries: VectorEntries = EMPTY_ENTRIES;
  largerEntries: VectorEntries = EMPTY_ENTRIES;
  #grewSparse: OwnedSparseEntries;
  #largerSparse: OwnedSparseEntries;
  #grewDense: OwnedDenseEntries | undefined;
  #largerDense: OwnedDenseEntries | undefined;
  #spareGrew: RegisterArray | undefined;
  #spareLarger: RegisterArray | undefined;

  constructor(reuse: boolean) {
    this.reuse = reuse;
    this.#grewSparse = { kind: 'sparse', indices: this.grewIndices, values: this.grewValues };
    this.#largerSparse = { kind: 'sparse', indices: this.largerIndices, values: this.largerValues };
  }

  /** Forgets the previous merge's outputs (their arrays stay until overwritten). */
  start(): void {
    this.grewCount = 0;
    this.largerCount = 0;
    this.dense = false;
    this.grewRegisters = undefined;
    this.largerRegisters = undefined;
  }

  /** Records that `index` grew to `value`. */
  addGrew(index: number, value: number): void {
    const count = this.grewCount;
    // `count` is at most the length, so this overwrites or appends: never a hole.
    this.grewIndices[count] = index;
    this.grewValues[count] = value;
    this.grewCount = count + 1;
  }

  /** Records that the local `value` at `index` is larger than the one sent. */
  addLarger(index: number, value: number): void {
    const count = this.largerCount;
    this.largerIndices[count] = index;
    this.largerValues[count] = value;
    this.largerCount = count + 1;
  }

  /** Marks this merge's outputs as dense registers aligned with input at `offset`. */
  startDense(offset: number): void {
    this.dense = true;
    this.denseOffset = offset;
  }

  /** Zeroed registers for the dense `grew` output, `length` registers of `width` bytes. */
  takeGrewRegisters(width: number, length: number): RegisterArray {
    let registers: RegisterArray;
    if (!this.reuse) {
      registers = allocateRegisters(width, length);
    } else {
      registers = reusable(this.#spareGrew, width, length);
      this.#spareGrew = registers;
    }
    this.grewRegisters = registers;
    return registers;
  }

  /** Zeroed registers for the dense `larger` output. */
  takeLargerRegisters(width: number, length: number): RegisterArray {
    let registers: RegisterArray;
    if (!this.reuse) {
      registers = allocateRegisters(width, length);
    } else {
      registers = reusable(this.#spareLarger, width, length);
      this.#spareLarger = registers;
    }
    this.largerRegisters = registers;
    return registers;
  }

  /**
   * Before a merge into this (reusing) collector: lets go of any array of its
   * own that `incoming` reads from, so the merge cannot overwrite its input.
   */
  detachFrom(incoming: VectorEntries): void {
    if (incoming.kind === 'sparse') {
      const { indices, values } = incoming;
      if (
        indices === this.grewIndices ||
        values === this.grewValues ||
        indices === this.largerIndices ||
        values === this.largerValues
      ) {
        this.grewIndices = doubleArray();
        this.grewValues = doubleArray();
        this.largerIndices = doubleArray();
        this.largerValues = doubleArray();
        this.#grewSparse = { kind: 'sparse', indices: this.grewIndices, values: this.grewValues };
        this.#largerSparse = {
          kind: 'sparse',
          indices: this.largerIndices,
          values: this.largerValues,
        };
      }
      return;
    }
    const buffer = incoming.registers.buffer;
    if (this.#spareGrew?.buffer === buffer) this.#spareGrew = undefined;
    if (this.#spareLarger?.buffer === buffer) this.#spareLarger = undefined;
  }

  /** The outputs as a fresh {@link MergeResult} (scratch collectors). */
  result(): MergeResult {
    if (this.dense) {
      const { grewRegisters, largerRegisters, denseOffset } = this;
      if (grewRegisters === undefined && largerRegisters === undefined) {
        return EMPTY_MERGE_RESULT;
      }
      return {
        grew:
          grewRegisters === undefined ? EMPTY_ENTRIES : denseEntries(denseOffset, grewRegisters),
        larger:
          largerRegisters === undefined
            ? EMPTY_ENTRIES
            : denseEntries(denseOffset, largerRegisters),
      };
    }
    const grewCount = this.grewCount;
    const largerCount = this.largerCount;
    if (grewCount === 0 && largerCount === 0) return EMPTY_MERGE_RESULT;
    const result: MergeResult = {
      grew:
        grewCount === 0
          ? EMPTY_ENTRIES
          : sparseEntries(
              this.grewIndices.slice(0, grewCount),
              this.grewValues.slice(0, grewCount),
            ),
      larger:
        largerCount === 0
          ? EMPTY_ENTRIES
          : sparseEntries(
              this.largerIndices.slice(0, largerCount),
              this.largerValues.slice(0, largerCount),
            ),
    };
    if (this.grewIndices.length > RETAINED_PAIRS) {
      this.grewIndices = doubleArray();
      this.grewValues = doubleArray();
    }
    if (this.largerIndices.length > RETAINED_PAIRS) {
      this.largerIndices = doubleArray();
      this.largerValues = doubleArray();
    }
    return result;
  }

  /** Shows the outputs as {@link grewEntries} and {@link largerEntries} (reusing collectors). */
  publish(): void {
    if (this.dense) {
      const grewRegisters = this.grewRegisters;
      const largerRegisters = this.largerRegisters;
      if (grewRegisters === undefined) {
        this.grewEntries = EMPTY_ENTRIES;
      } else {
        const owned = (this.#grewDense ??= { kind: 'dense', offset: 0, registers: grewRegisters });
        owned.offset = this.denseOffset;
        owned.registers = grewRegisters;
        this.grewEntries = owned;
      }
      if (largerRegisters === undefined) {
        this.largerEntries = EMPTY_ENTRIES;
      } else {
        const owned = (this.#largerDense ??= {
          kind: 'dense',
          offset: 0,
          registers: largerRegisters,
        });
        owned.offset = this.denseOffset;
        owned.registers = largerRegisters;
        this.largerEntries = owned;
      }
      return;
    }
    const grewCount = this.grewCount;
    if (grewCount === 0) {
      this.grewEntries = EMPTY_ENTRIES;
    } else {
      // Shrinking goes through the runtime, so it is done only when needed.
      if (this.grewIndices.length !== grewCount) {
        this.grewIndices.length = grewCount;
        this.grewValues.length = grewCount;
      }
      this.grewEntries = this.#grewSparse;
    }
    const largerCount = this.largerCount;
    if (largerCount === 0) {
      this.largerEntries = EMPTY_ENTRIES;
    } else {
      if (this.largerIndices.length !== largerCount) {
        this.largerIndices.length = largerCount;
        this.largerValues.length = largerCount;
      }
      this.largerEntries = this.#largerSparse;
    }
  }
}

/** `spare` zeroed if it has the right width and length, otherwise new registers. */
function reusable(spare: RegisterArray | undefined, width: number, length: number): RegisterArray {
  if (spare === undefined || spare.length !== length || spare.BYTES_PER_ELEMENT !== width) {
    return allocateRegisters(width, length);
  }
  spare.fill(0);
  return spare;
}

function sparseEntries(indices: number[], values: number[]): SparseEntries {
  return { kind: 'sparse', indices, values };
}

function denseEntries(offset: number, registers: RegisterArray): VectorEntries {
  return { kind: 'dense', offset, registers };
}

/** Gives `MaxVector` the collector behind an output; set once, below. */
let collectorOfOutput: (output: MergeOutput) => MergeCollector;

/**
 * A reusable home for merge outputs, for hot callers of
 * {@link MaxVector.mergeInto}: the merge writes `grew` and `larger` into
 * arrays this object owns instead of allocating new ones, so a steady stream
 * of merges allocates nothing once the arrays have grown to size.
 *
 * `grew` and `larger` have the same content as {@link MergeResult}'s, but
 * they, and the arrays inside them, are overwritten by the next merge into
 * this output: read, encode or copy them before that. A merge that throws
 * leaves the output as it was. An output keeps the memory of its largest
 * merge for as long as it lives.
 *
 * @example
 * ```ts
 * const output = new MergeOutput();
 * for (const message of inbox) {
 *   const { grew, larger } = vector.mergeInto(message, output);
 *   forward(encode(grew)); // encode now: the next merge reuses these arrays
 *   reply(encode(larger));
 * }
 * ```
 */
export class MergeOutput implements MergeResult {
  readonly #collector = new MergeCollector(true);

  static {
    collectorOfOutput = (output) => output.#collector;
  }

  /** Entries that grew in the last merge into this output (see {@link MergeResult.grew}). */
  get grew(): VectorEntries {
    return this.#collector.grewEntries;
  }

  /** Entries found larger locally in the last merge into this output (see {@link MergeResult.larger}). */
  get larger(): VectorEntries {
    return this.#collector.largerEntries;
  }
}

/** The collector behind `output` (internal: not exported from the package). */
export function collectorOf(output: MergeOutput): MergeCollector {
  return collectorOfOutput(output);
}
