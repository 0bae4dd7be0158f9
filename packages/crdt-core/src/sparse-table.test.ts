import { describe, expect, it } from 'vitest';
import { MergeCollector } from './merge-result.js';
import { SparseTable } from './sparse-table.js';

describe('SparseTable', () => {
  it('grows through many resizes and keeps every entry', () => {
    const table = new SparseTable();
    const initialBytes = table.byteSize;
    for (let index = 0; index < 5000; index++) table.raise(index * 65_537, index + 1);
    expect(table.size).toBe(5000);
    expect(table.byteSize).toBeGreaterThan(initialBytes);
    // Load stays at most 1/2.
    expect(table.byteSize / 12).toBeGreaterThanOrEqual(2 * 5000);
    for (let index = 0; index < 5000; index++) expect(table.get(index * 65_537)).toBe(index + 1);
    expect(table.get(3)).toBe(0);
  });

  it('tracks the lowest and highest index and the largest value', () => {
    const table = new SparseTable();
    table.raise(50, 2);
    table.raise(7, 9);
    table.raise(0xffff_ffff, 1);
    expect([table.lowest, table.highest, table.largest]).toEqual([7, 0xffff_ffff, 9]);
  });

  it('stores index 0 and tells it from an empty slot by its value', () => {
    const table = new SparseTable();
    expect(table.get(0)).toBe(0);
    table.raise(0, 4);
    expect(table.get(0)).toBe(4);
    expect(table.size).toBe(1);
  });

  it('finds colliding indices along the probe sequence', () => {
    // Indices that differ only above the bits the hash keeps all start at the same slot.
    const table = new SparseTable();
    const indices = [0, 1, 2, 3].map((step) => step * 2 ** 29);
    indices.forEach((index, position) => table.raise(index, position + 1));
    indices.forEach((index, position) => expect(table.get(index)).toBe(position + 1));
  });

  it('merges and reports both outputs, inserting while it grows', () => {
    const table = new SparseTable();
    table.raise(1, 5);
    const output = new MergeCollector(false);
    output.start();
    const indices = Array.from({ length: 100 }, (_, position) => position);
    const values = indices.map(() => 3);
    table.mergeSparse(indices, values, output);
    const { grew, larger } = output.result();
    expect(grew.kind === 'sparse' && grew.indices.length).toBe(99);
    expect(larger).toEqual({ kind: 'sparse', indices: [1], values: [5] });
    expect(table.size).toBe(100);
  });

  it('clones independently', () => {
    const table = new SparseTable();
    table.raise(4, 4);
    const copy = table.clone();
    copy.raise(4, 8);
    copy.raise(5, 1);
    expect(table.get(4)).toBe(4);
    expect(table.size).toBe(1);
    expect(copy.get(4)).toBe(8);
  });
});
