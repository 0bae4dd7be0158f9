import { MaxVector } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hllCount, hllDelta } from './hyperloglog.js';
import { InvalidRedisHllError, UnexportableHllError } from './redis-hll-errors.js';
import { exportRedisHll } from './redis-hll-export.js';
import { importRedisHll } from './redis-hll-import.js';

const registerArbitrary = (maxRank: number) =>
  fc.dictionary(
    fc.integer({ min: 0, max: 16383 }).map(String),
    fc.integer({ min: 1, max: maxRank }),
    { maxKeys: 400 },
  );

describe('exportRedisHll and importRedisHll', () => {
  it('round-trips every register through the dense and sparse encodings', () => {
    fc.assert(
      fc.property(registerArbitrary(32), fc.constantFrom('dense', 'sparse'), (record, encoding) => {
        const vector = MaxVector.from(
          Object.fromEntries(Object.entries(record).map(([k, v]) => [Number(k), v])),
        );
        const value = exportRedisHll(vector, { encoding });
        const imported = importRedisHll(value);
        expect(imported.encoding).toBe(encoding);
        expect(imported.cachedCount).toBeUndefined();
        expect(MaxVector.fromEntries(imported.entries).equals(vector)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('writes an empty HLL as Redis does: one XZERO:16384 opcode', () => {
    expect([...exportRedisHll(new MaxVector())]).toEqual([
      0x48, 0x59, 0x4c, 0x4c, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x80, 0x7f, 0xff,
    ]);
  });

  it('chooses sparse for small sets and dense for large ones or ranks above 32', () => {
    const small = hllDelta(Array.from({ length: 100 }, (_, item) => `s${item}`));
    expect(importRedisHll(exportRedisHll(small)).encoding).toBe('sparse');
    const large = hllDelta(Array.from({ length: 20_000 }, (_, item) => `l${item}`));
    const value = exportRedisHll(large);
    expect(value.length).toBe(16 + 12288);
    expect(hllCount(importRedisHll(value).entries)).toBe(hllCount(large));
    const highRank = MaxVector.from({ 5: 40 });
    expect(importRedisHll(exportRedisHll(highRank)).encoding).toBe('dense');
    expect(() => exportRedisHll(highRank, { encoding: 'sparse' })).toThrow(UnexportableHllError);
    expect(() => exportRedisHll(MaxVector.from({ 16384: 1 }))).toThrow(UnexportableHllError);
  });

  it('reads a cached count that is not marked stale', () => {
    const value = exportRedisHll(new MaxVector());
    value[8] = 7;
    value[15] = 0;
    expect(importRedisHll(value).cachedCount).toBe(7);
  });

  it('rejects values that are not Redis HLLs', () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    const sparse = exportRedisHll(new MaxVector());
    const dense = exportRedisHll(new MaxVector(), { encoding: 'dense' });
    const cases = [
      encode('HYLL'),
      encode('NOPE000000000000\x7f\xff'),
      Uint8Array.from([...sparse.subarray(0, 4), 2, ...sparse.subarray(5)]),
      dense.subarray(0, dense.length - 1),
      sparse.subarray(0, 17),
      Uint8Array.from([...sparse, 0]),
      sparse.subarray(0, 16),
    ];
    for (const value of cases) expect(() => importRedisHll(value)).toThrow(InvalidRedisHllError);
  });
});
