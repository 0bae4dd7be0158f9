import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MergeCollector } from './merge-result.js';
import { mergeRegisters as mergeInto } from './register-merge.js';
import type { RegisterArray } from './vector-entries.js';

/** Runs a register merge with a fresh collector and returns its outputs. */
function mergeRegisters(local: RegisterArray, start: number, incoming: RegisterArray) {
  const output = new MergeCollector(false);
  output.start();
  const added = mergeInto(local, start, incoming, output);
  return { grew: output.grewRegisters, larger: output.largerRegisters, added };
}

/** The obvious loop, one register at a time: the reference for both merge paths. */
function naiveMerge(local: RegisterArray, start: number, incoming: RegisterArray) {
  const grew = new Array<number>(incoming.length).fill(0);
  const larger = new Array<number>(incoming.length).fill(0);
  let added = 0;
  incoming.forEach((sent, position) => {
    const held = local[start + position] ?? 0;
    if (sent > held) {
      local[start + position] = sent;
      grew[position] = sent;
      if (held === 0) added++;
    } else if (sent !== 0 && sent < held) {
      larger[position] = held;
    }
  });
  return { grew, larger, added };
}

const byteArbitrary = fc.oneof(
  fc.constantFrom(0, 1, 127, 128, 254, 255),
  fc.integer({ min: 0, max: 255 }),
);

describe('mergeRegisters', () => {
  it('merges one-byte registers four lanes at a time exactly like the plain loop', () => {
    fc.assert(
      fc.property(
        fc.array(byteArbitrary, { maxLength: 70 }),
        fc.array(byteArbitrary, { maxLength: 70 }),
        fc.integer({ min: 0, max: 3 }),
        fc.integer({ min: 0, max: 8 }),
        (localCells, incomingCells, incomingShift, start) => {
          const local = new Uint8Array(start + incomingCells.length + 3);
          local.set(localCells.slice(0, local.length));
          const incoming = new Uint8Array(incomingCells.length + incomingShift)
            .fill(9)
            .subarray(incomingShift);
          incoming.set(incomingCells);
          const reference = local.slice();
          const expected = naiveMerge(reference, start, incoming);
          const { grew, larger, added } = mergeRegisters(local, start, incoming);
          expect([...local]).toEqual([...reference]);
          expect([...(grew ?? new Uint8Array(incoming.length))]).toEqual(expected.grew);
          expect([...(larger ?? new Uint8Array(incoming.length))]).toEqual(expected.larger);
          expect(grew === undefined).toBe(expected.grew.every((value) => value === 0));
          expect(larger === undefined).toBe(expected.larger.every((value) => value === 0));
          expect(added).toBe(expected.added);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('merges wider registers with outputs in the local width', () => {
    const local = new Uint32Array([0, 70_000, 5, 0]);
    const { grew, larger, added } = mergeRegisters(local, 1, new Uint16Array([60_000, 9, 7]));
    expect([...local]).toEqual([0, 70_000, 9, 7]);
    expect(grew).toEqual(new Uint32Array([0, 9, 7]));
    expect(larger).toEqual(new Uint32Array([70_000, 0, 0]));
    expect(added).toBe(1);
  });
});
