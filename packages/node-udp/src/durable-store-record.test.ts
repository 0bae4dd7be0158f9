import { MaxVector } from '@vig/crdt-core';
import { decodeMessage, encodeMessage } from '@vig/wire';
import { describe, expect, it } from 'vitest';
import { CorruptRecordError } from './durable-store-errors.js';
import { decodeRecord, encodeRecord } from './durable-store-record.js';

function hyperLogLog(): MaxVector {
  const vector = new MaxVector();
  for (let register = 0; register < 16384; register++) vector.raise(register, 1 + (register % 30));
  return vector;
}

describe('encodeRecord', () => {
  it('stores the vector as the vignette message { key, vector, ttl: 0, full: true }', () => {
    const bytes = encodeRecord('views:home', MaxVector.from({ 0: 120, 3: 7 }));
    const decoded = decodeMessage(bytes);
    expect(decoded).toEqual({
      ok: true,
      message: {
        key: 'views:home',
        vector: { kind: 'sparse', indices: [0, 3], values: [120, 7] },
        ttl: 0,
        full: true,
      },
    });
  });

  it('stores HyperLogLog registers in the compact dense field', () => {
    const vector = hyperLogLog();
    const bytes = encodeRecord('hll', vector);
    const asMap = encodeMessage({ key: 'hll', vector: vector.toEntries(), ttl: 0, full: true });
    expect(bytes.length).toBeLessThan(16384 + 64);
    expect(asMap.length).toBeGreaterThan(3 * 16384);
  });

  it('returns bytes of its own, not a view into the encoder slab', () => {
    const first = encodeRecord('a', MaxVector.from({ 1: 1 }));
    const before = Array.from(first);
    encodeRecord('b', MaxVector.from({ 2: 2 }));
    expect(Array.from(first)).toEqual(before);
    expect(first.byteOffset).toBe(0);
    expect(first.buffer.byteLength).toBe(first.byteLength);
  });
});

describe('decodeRecord', () => {
  it('gives back the vector, in dense form for registers', () => {
    const vector = hyperLogLog();
    const decoded = decodeRecord('hll', encodeRecord('hll', vector));
    expect(decoded.equals(vector)).toBe(true);
    expect(decoded.representation).toBe('dense');
  });

  it('reads vectors of more entries than a datagram may carry', () => {
    const vector = new MaxVector();
    for (let index = 0; index < 100_000; index++) vector.raise(index * 3, index + 1);
    expect(decodeRecord('big', encodeRecord('big', vector)).equals(vector)).toBe(true);
  });

  it('refuses bytes that are not a vignette message, saying why', () => {
    const garbage = new Uint8Array([0xc1, 0x00]);
    expect(() => decodeRecord('a', garbage)).toThrow(CorruptRecordError);
    const truncated = encodeRecord('a', MaxVector.from({ 0: 1 })).subarray(0, 5);
    expect(() => decodeRecord('a', truncated)).toThrow(
      /record "a" was skipped: the value is not a vignette message \(truncated/,
    );
  });

  it('refuses the vector of another key', () => {
    const bytes = encodeRecord('b', MaxVector.from({ 0: 1 }));
    expect(() => decodeRecord('a', bytes)).toThrow(
      'record "a" was skipped: the value is the vector of "b"',
    );
  });
});
