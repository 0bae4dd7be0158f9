import type { MergeCollector } from './merge-result.js';
import type { RegisterArray } from './vector-entries.js';

/** 2^32 divided by the golden ratio: multiplying by it spreads neighbouring indices apart. */
const HASH_MULTIPLIER = 0x9e37_79b1;

/** The smallest table: tiny vectors stay cheap, and the mask arithmetic needs a power of two. */
const MINIMUM_CAPACITY = 8;

/** Bytes one slot takes: a 4-byte index and an 8-byte value. */
const SLOT_BYTES = 12;

/** The power-of-two capacity that holds `count` entries at a load of at most 1/2. */
function capacityFor(count: number): number {
  let capacity = MINIMUM_CAPACITY;
  while (capacity < count * 2) capacity *= 2;
  return capacity;
}

/**
 * The sparse form of a vector: an open-addressing hash table in two typed
 * arrays, with linear probing and a multiplicative hash.
 *
 * A slot is empty exactly when its value is 0. That needs no tombstones
 * because zero entries are never stored and max never removes one.
 */
export class SparseTable {
  readonly kind = 'sparse';
  /** Slot → index; meaningful only where `values` is non-zero. */
  keys: Uint32Array;
  /** Slot → value; 0 marks an empty slot. */
  values: Float64Array;
  /** Number of entries. */
  size = 0;
  /** Lowest index stored; meaningful once `size > 0`. */
  lowest = Number.MAX_SAFE_INTEGER;
  /** Highest index stored; meaningful once `size > 0`. */
  highest = -1;
  /** Largest value stored (0 when empty). */
  largest = 0;
  #shift: number;
  #mask: number;

  /** An empty table with room for `expectedSize` entries before it grows. */
  constructor(expectedSize = 0) {
    const capacity = capacityFor(expectedSize);
    this.keys = new Uint32Array(capacity);
    this.values = new Float64Array(capacity);
    this.#shift = 32 - Math.log2(capacity);
    this.#mask = capacity - 1;
  }

  /** Memory held by the two slot arrays. */
  get byteSize(): number {
    return this.keys.length * SLOT_BYTES;
  }

  /**
   * The slot holding `index`, or, when it is absent, the bitwise complement
   * (`~slot`, negative) of the empty slot where it belongs.
   */
  slotOf(index: number): number {
    const { keys, values } = this;
    const mask = this.#mask;
    let slot = Math.imul(index, HASH_MULTIPLIER) >>> this.#shift;
    while (values[slot] !== 0) {
      if (keys[slot] === index) return slot;
      slot = (slot + 1) & mask;
    }
    return ~slot;
  }

  /** The value at `index`, 0 when absent. */
  get(index: number): number {
    const slot = this.slotOf(index);
    return slot < 0 ? 0 : this.values[slot];
  }

  /** Sets `index` to `value` when that is larger; true if it grew. */
  raise(index: number, value: number): boolean {
    const slot = this.slotOf(index);
    if (slot < 0) {
      this.#insert(~slot, index, value);
      return true;
    }
    if (value <= this.values[slot]) return false;
    this.values[slot] = value;
    if (value > this.largest) this.largest = value;
    return true;
  }

  /** Merges parallel arrays of indices and values (zeros skipped), collecting both outputs. */
  mergeSparse(indices: readonly number[], values: readonly number[], output: MergeCollector): void {
    // The probe of #mergeEntry, written out: this is the hottest loop, and the
    // engine does not always inline the call.
    const length = indices.length;
    for (let i = 0; i < length; i++) {
      const value = values[i];
      if (value === 0) continue;
      const index = indices[i];
      const { keys, values: slots } = this;
      let slot = Math.imul(index, HASH_MULTIPLIER) >>> this.#shift;
      let current = slots[slot];
      while (current !== 0 && keys[slot] !== index) {
        slot = (slot + 1) & this.#mask;
        current = slots[slot];
      }
      if (current === 0) {
        this.#insert(slot, index, value);
        output.addGrew(index, value);
      } else if (value > current) {
        slots[slot] = value;
        if (value > this.largest) this.largest = value;
        output.addGrew(index, value);
      } else if (value < current) {
        output.addLarger(index, current);
      }
    }
  }

  /** Merges dense registers starting at `offset` (zeros skipped), collecting both outputs. */
  mergeDense(offset: number, registers: RegisterArray, output: MergeCollector): void {
    for (let i = 0; i < registers.length; i++) {
      const value = registers[i];
      if (value !== 0) this.#mergeEntry(offset + i, value, output);
    }
  }

  /** Merges another table's entries, collecting both outputs. */
  mergeTable(source: SparseTable, output: MergeCollector): void {
    const { keys, values } = source;
    for (let slot = 0; slot < values.length; slot++) {
      const value = values[slot];
      if (value !== 0) this.#mergeEntry(keys[slot], value, output);
    }
  }

  /** Calls `visit` for every entry, in slot order. */
  forEach(visit: (index: number, value: number) => void): void {
    const { keys, values } = this;
    for (let slot = 0; slot < values.length; slot++) {
      const value = values[slot];
      if (value !== 0) visit(keys[slot], value);
    }
  }

  /** An independent copy. */
  clone(): SparseTable {
    const copy = new SparseTable();
    copy.keys = this.keys.slice();
    copy.values = this.values.slice();
    copy.#shift = this.#shift;
    copy.#mask = this.#mask;
    copy.size = this.size;
    copy.lowest = this.lowest;
    copy.highest = this.highest;
    copy.largest = this.largest;
    return copy;
  }

  /** One entry of a merge; the probe is written out here because this is the hottest loop. */
  #mergeEntry(index: number, value: number, output: MergeCollector): void {
    const { keys, values } = this;
    const mask = this.#mask;
    let slot = Math.imul(index, HASH_MULTIPLIER) >>> this.#shift;
    let current = values[slot];
    while (current !== 0 && keys[slot] !== index) {
      slot = (slot + 1) & mask;
      current = values[slot];
    }
    if (current === 0) {
      this.#insert(slot, index, value);
      output.addGrew(index, value);
    } else if (value > current) {
      values[slot] = value;
      if (value > this.largest) this.largest = value;
      output.addGrew(index, value);
    } else if (value < current) {
      output.addLarger(index, current);
    }
  }

  /** Stores a new entry in the empty `slot` found for it, growing the table first if full. */
  #insert(slot: number, index: number, value: number): void {
    let target = slot;
    if ((this.size + 1) * 2 > this.values.length) {
      this.#resize(this.values.length * 2);
      target = ~this.slotOf(index);
    }
    this.keys[target] = index;
    this.values[target] = value;
    this.size++;
    if (index < this.lowest) this.lowest = index;
    if (index > this.highest) this.highest = index;
    if (value > this.largest) this.largest = value;
  }

  #resize(capacity: number): void {
    const { keys, values } = this;
    this.keys = new Uint32Array(capacity);
    this.values = new Float64Array(capacity);
    this.#shift = 32 - Math.log2(capacity);
    this.#mask = capacity - 1;
    for (let slot = 0; slot < values.length; slot++) {
      const value = values[slot];
      if (value === 0) continue;
      const index = keys[slot];
      const target = ~this.slotOf(index);
      this.keys[target] = index;
      this.values[target] = value;
    }
  }
}
