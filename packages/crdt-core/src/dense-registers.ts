import { MAX_INDEX } from './vector-entries.js';
import type { MergeCollector } from './merge-result.js';
import {
  allocateRegisters,
  holdsOnlyValidValues,
  largestValueOfWidth,
  registerWidthFor,
} from './register-width.js';
import { mergeRegisters } from './register-merge.js';
import { SparseTable } from './sparse-table.js';
import type { DenseEntries, RegisterArray } from './vector-entries.js';

/**
 * The dense form of a vector: `registers[i]` is the value at `offset + i`, 0
 * meaning no entry, in the narrowest register width that holds every value.
 * The allocation may reach past the entries (room left by growth), so the
 * lowest and highest entries are tracked apart from it.
 */
export class DenseRegisters {
  readonly kind = 'dense';
  /** Index of `registers[0]`. */
  offset: number;
  registers: RegisterArray;
  /** The largest value the registers' width holds (kept with `registers`). */
  #limit: number;
  /** Number of non-zero registers. */
  size: number;
  /** Lowest index with a non-zero register. */
  lowest: number;
  /** Highest index with a non-zero register. */
  highest: number;

  private constructor(
    offset: number,
    registers: RegisterArray,
    size: number,
    lowest: number,
    highest: number,
  ) {
    this.offset = offset;
    this.registers = registers;
    this.#limit = largestValueOfWidth(registers.BYTES_PER_ELEMENT);
    this.size = size;
    this.lowest = lowest;
    this.highest = highest;
  }

  /**
   * Dense registers holding a table's entries, allocated for the indices
   * `lowest..highest` and values up to `largest` (both covering the table's own).
   */
  static fromTable(
    table: SparseTable,
    lowest: number,
    highest: number,
    largest: number,
  ): DenseRegisters {
    const registers = allocateRegisters(registerWidthFor(largest), highest - lowest + 1);
    table.forEach((index, value) => {
      registers[index - lowest] = value;
    });
    return new DenseRegisters(lowest, registers, table.size, table.lowest, table.highest);
  }

  /** Memory held by the registers. */
  get byteSize(): number {
    return this.registers.byteLength;
  }

  /** The value at `index` (a valid index), 0 when absent. */
  get(index: number): number {
    const position = index - this.offset;
    return position >= 0 && position < this.registers.length ? this.registers[position] : 0;
  }

  /**
   * True when the allocation already covers `lowest..highest` in a width that
   * holds `largest`, so merging such entries needs no preparation.
   */
  holds(lowest: number, highest: number, largest: number): boolean {
    return (
      lowest >= this.offset &&
      highest < this.offset + this.registers.length &&
      largest <= this.#limit
    );
  }

  /**
   * True when dense `registers` at `offset` can merge with no validation and
   * no preparation: unsigned integer registers, no wider than ours, inside
   * our allocation (hence at valid indices).
   */
  canMergeDirectly(offset: number, registers: RegisterArray): boolean {
    return (
      holdsOnlyValidValues(registers) &&
      registers.BYTES_PER_ELEMENT <= this.registers.BYTES_PER_ELEMENT &&
      Number.isInteger(offset) &&
      offset >= this.offset &&
      offset + registers.length <= this.offset + this.registers.length
    );
  }

  /**
   * Grows the allocation to cover `lowest..highest` and widens the registers
   * to hold `largest`. Growth leaves room (half the current length) on the
   * side that grew, so a vector filled one index at a time copies
   * O(n) registers in all, not O(n²).
   */
  prepare(lowest: number, highest: number, largest: number): void {
    const { offset, registers } = this;
    const end = offset + registers.length;
    const room = registers.length >> 1;
    const nextOffset = lowest < offset ? Math.max(0, Math.min(lowest, offset - room)) : offset;
    const nextEnd =
      highest >= end ? Math.min(MAX_INDEX + 1, Math.max(highest + 1, end + room)) : end;
    const width = Math.max(registers.BYTES_PER_ELEMENT, registerWidthFor(largest));
    if (nextOffset === offset && nextEnd === end && width === registers.BYTES_PER_ELEMENT) return;
    const next = allocateRegisters(width, nextEnd - nextOffset);
    next.set(registers, offset - nextOffset);
    this.offset = nextOffset;
    this.registers = next;
    this.#limit = largestValueOfWidth(width);
  }

  /** Sets `index` (inside the allocation) to `value` (fitting the width) when larger; true if it grew. */
  raise(index: number, value: number): boolean {
    const position = index - this.offset;
    const current = this.registers[position];
    if (value <= current) return false;
    this.registers[position] = value;
    if (current === 0) this.#added(index);
    return true;
  }

  /**
   * Merges parallel arrays of indices and values (zeros skipped), collecting
   * sparse outputs. Every non-zero entry must lie inside the allocation and
   * fit the width (see {@link DenseRegisters.prepare}).
   */
  mergeSparse(indices: readonly number[], values: readonly number[], output: MergeCollector): void {
    // #mergeEntry written out, with the registers and offset held in locals.
    const registers = this.registers;
    const offset = this.offset;
    const length = indices.length;
    for (let i = 0; i < length; i++) {
      const value = values[i];
      if (value === 0) continue;
      const index = indices[i];
      const position = index - offset;
      const current = registers[position];
      if (value > current) {
        registers[position] = value;
        if (current === 0) this.#added(index);
        output.addGrew(index, value);
      } else if (value < current) {
        output.addLarger(index, current);
      }
    }
  }

  /** Merges a sparse table's entries, collecting sparse outputs; same conditions as {@link DenseRegisters.mergeSparse}. */
  mergeTable(source: SparseTable, output: MergeCollector): void {
    const { keys, values } = source;
    for (let slot = 0; slot < values.length; slot++) {
      const value = values[slot];
      if (value !== 0) this.#mergeEntry(keys[slot], value, output);
    }
  }

  /**
   * Merges dense registers starting at `offset` in one pass and collects both
   * outputs as dense registers aligned with `incoming`; each output's
   * registers are taken only once something goes in them. Every non-zero
   * register must lie inside the allocation and fit the width.
   */
  mergeDense(offset: number, incoming: RegisterArray, output: MergeCollector): void {
    output.startDense(offset);
    const added = mergeRegisters(this.registers, offset - this.offset, incoming, output);
    if (added > 0) {
      // Every non-zero incoming register is non-zero here now, so its ends bound the entries.
      this.size += added;
      let first = 0;
      while (incoming[first] === 0) first++;
      let last = incoming.length - 1;
      while (incoming[last] === 0) last--;
      if (offset + first < this.lowest) this.lowest = offset + first;
      if (offset + last > this.highest) this.highest = offset + last;
    }
  }

  /** Calls `visit` for every non-zero register, in ascending index order. */
  forEach(visit: (index: number, value: number) => void): void {
    const { offset, registers } = this;
    for (let i = 0; i < registers.length; i++) {
      const value = registers[i];
      if (value !== 0) visit(offset + i, value);
    }
  }

  /** A copy of the registers from the lowest to the highest entry. */
  toEntries(): DenseEntries {
    const start = this.lowest - this.offset;
    return {
      kind: 'dense',
      offset: this.lowest,
      registers: this.registers.slice(start, start + this.highest - this.lowest + 1),
    };
  }

  /** A sparse table with the same entries, with room for `extra` more before it grows. */
  toTable(extra: number): SparseTable {
    const table = new SparseTable(this.size + extra);
    this.forEach((index, value) => table.raise(index, value));
    return table;
  }

  /** An independent copy. */
  clone(): DenseRegisters {
    return new DenseRegisters(
      this.offset,
      this.registers.slice(),
      this.size,
      this.lowest,
      this.highest,
    );
  }

  #mergeEntry(index: number, value: number, output: MergeCollector): void {
    const registers = this.registers;
    const position = index - this.offset;
    const current = registers[position];
    if (value > current) {
      registers[position] = value;
      if (current === 0) this.#added(index);
      output.addGrew(index, value);
    } else if (value < current) {
      output.addLarger(index, current);
    }
  }

  #added(index: number): void {
    this.size++;
    if (index < this.lowest) this.lowest = index;
    if (index > this.highest) this.highest = index;
  }
}
