import { EMPTY_ENTRIES, MAX_INDEX, MAX_VALUE, MaxVector } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DATAGRAM_BUDGET,
  DatagramBudgetError,
  MAX_VIG_PROTOCOL_VERSION,
  encodeMessage,
  splitMessage,
} from '@vig/wire';
import type { DenseMode, VignetteMessage } from '@vig/wire';
import { decodeOk, foldEntries, messageOf, seededRandom } from './helpers.js';

/** Splits, then checks every chunk: within budget, same key/ttl/full/vig/client, union equal to the whole. */
function splitAndCheck(message: VignetteMessage, budget: number, dense: DenseMode): Uint8Array[] {
  const chunks = splitMessage(message, { budget, dense });
  expect(chunks.length).toBeGreaterThan(0);
  const decoded = chunks.map((chunk) => {
    expect(chunk.length).toBeLessThanOrEqual(budget);
    const part = decodeOk(chunk);
    expect(part.key).toBe(message.key);
    expect(part.ttl).toBe(message.ttl);
    expect(part.full).toBe(message.full);
    expect(part.vig).toBe(message.vig);
    expect(part.client).toBe(message.client);
    expect('vig' in part).toBe('vig' in message);
    expect('client' in part).toBe('client' in message);
    return part.vector;
  });
  expect(foldEntries(...decoded)).toEqual(foldEntries(message.vector));
  // Merged into a max vector in any order, the chunks equal the whole.
  const whole = MaxVector.fromEntries(message.vector);
  for (const order of [decoded, [...decoded].reverse()]) {
    const merged = new MaxVector();
    for (const vector of order) merged.merge(vector);
    expect(merged.equals(whole)).toBe(true);
  }
  return chunks;
}

function hyperLogLog(seed: number): VignetteMessage {
  const random = seededRandom(seed);
  const registers = new Uint8Array(16384).map(() => Math.floor(random() * 14));
  return messageOf(
    { kind: 'dense', offset: 0, registers },
    { key: 'hll:visitors:2026-11', full: true },
  );
}

describe('splitMessage', () => {
  it('keeps a small vector in one message, the same as encodeMessage', () => {
    const message = messageOf({ kind: 'sparse', indices: [1, 3], values: [2, 4] });
    expect(splitMessage(message)).toEqual([encodeMessage(message)]);
    expect(DEFAULT_DATAGRAM_BUDGET).toBe(1400);
  });

  it('gives one message for an empty vector', () => {
    const chunks = splitMessage(messageOf(EMPTY_ENTRIES));
    expect(chunks).toHaveLength(1);
    expect(decodeOk(chunks[0] ?? new Uint8Array()).vector).toEqual(EMPTY_ENTRIES);
  });

  it('splits a 16384-register HyperLogLog into nearly full datagrams, sparse or dense', () => {
    const message = hyperLogLog(1);
    const sparseChunks = splitAndCheck(message, 1400, 'never');
    const denseChunks = splitAndCheck(message, 1400, 'always');
    const autoChunks = splitAndCheck(message, 1400, 'auto');
    expect(denseChunks.length).toBeLessThan(sparseChunks.length / 3);
    expect(autoChunks.length).toBe(denseChunks.length);
    // Every chunk but the last is full to within one entry (sparse: at most 4 bytes here).
    for (const chunks of [sparseChunks, denseChunks]) {
      for (const chunk of chunks.slice(0, -1)) expect(chunk.length).toBeGreaterThan(1400 - 5);
    }
  });

  it('keeps full on every chunk: the sender did send its whole vector', () => {
    for (const chunk of splitMessage(hyperLogLog(2))) expect(decodeOk(chunk).full).toBe(true);
  });

  it('fills chunks to the byte across map header sizes (fixmap to map16)', () => {
    // Entries of 2 bytes: a 40-byte budget holds a fixmap of 15, not 16 (map16 costs 2 more).
    const indices = Array.from({ length: 100 }, (_, i) => i);
    const message = messageOf(
      { kind: 'sparse', indices, values: indices.map(() => 1) },
      { key: 'k' },
    );
    const overhead = encodeMessage(messageOf(EMPTY_ENTRIES, { key: 'k' })).length - 1;
    const chunks = splitAndCheck(message, overhead + 1 + 15 * 2, 'never');
    expect(decodeOk(chunks[0] ?? new Uint8Array()).vector.kind === 'sparse').toBe(true);
    expect(chunks).toHaveLength(Math.ceil(100 / 15));
    const roomy = splitAndCheck(message, overhead + 3 + 40 * 2, 'never');
    expect(roomy).toHaveLength(3);
  });

  it('handles the largest indices and values', () => {
    const message = messageOf({
      kind: 'sparse',
      indices: [MAX_INDEX, MAX_INDEX - 1, 0],
      values: [MAX_VALUE, 1, MAX_VALUE],
    });
    for (const mode of ['never', 'auto', 'always'] as const) splitAndCheck(message, 60, mode);
  });

  it('throws DatagramBudgetError when not even one entry fits', () => {
    const hugeKey = messageOf(
      { kind: 'sparse', indices: [1], values: [1] },
      { key: 'k'.repeat(1000) },
    );
    expect(() => splitMessage(hugeKey, { budget: 1000 })).toThrow(DatagramBudgetError);
    expect(() => splitMessage(hugeKey, { budget: 1000 })).toThrow(
      'a message with this key needs at least 1023 bytes: expected it to fit the budget of 1000 bytes (shorten the key or raise the budget)',
    );
    expect(() =>
      splitMessage(messageOf(EMPTY_ENTRIES, { key: 'k'.repeat(1000) }), { budget: 1000 }),
    ).toThrow(DatagramBudgetError);
    expect(splitMessage(hugeKey, { budget: 1023 })).toHaveLength(1);
    expect(() => splitMessage(hugeKey, { budget: 1022 })).toThrow(DatagramBudgetError);
  });

  it('for any vector and budget: chunks within budget whose union is the whole', () => {
    const entry = fc.tuple(
      fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: MAX_INDEX })),
      fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: MAX_VALUE })),
    );
    const sparseVector = fc.array(entry, { maxLength: 300 }).map((pairs): VectorEntries => ({
      kind: 'sparse',
      indices: pairs.map(([index]) => index),
      values: pairs.map(([, value]) => value),
    }));
    const denseVector = fc
      .tuple(
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.array(fc.integer({ min: 0, max: 70_000 }), { maxLength: 600 }),
      )
      .map(([offset, registers]): VectorEntries => ({
        kind: 'dense',
        offset,
        registers: Uint32Array.from(registers),
      }));
    fc.assert(
      fc.property(
        fc.oneof(sparseVector, denseVector),
        fc.integer({ min: 60, max: 2000 }),
        fc.constantFrom<DenseMode>('never', 'auto', 'always'),
        fc.boolean(),
        fc.option(fc.integer({ min: 1, max: MAX_VIG_PROTOCOL_VERSION }), { nil: undefined }),
        fc.option(fc.boolean(), { nil: undefined }),
        (vector, budget, mode, full, vig, client) => {
          const extensions = {
            ...(vig === undefined ? {} : { vig }),
            ...(client === undefined ? {} : { client }),
          };
          // Room for the fields (at most 9 and 8 bytes), so every plain budget stays possible.
          const room = (vig === undefined ? 0 : 9) + (client === undefined ? 0 : 8);
          splitAndCheck(messageOf(vector, { full, ttl: 9, ...extensions }), budget + room, mode);
        },
      ),
      { numRuns: 300, seed: 20261122 },
    );
  });
});
