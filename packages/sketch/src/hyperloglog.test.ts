import { MaxVector } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { InvalidRegisterError } from './hyperloglog-errors.js';
import { InvalidSketchParameterError } from './sketch-errors.js';
import { HLL_PROFILES } from './hyperloglog-profiles.js';
import { redisProfile } from './hyperloglog-redis-profile.js';
import { hllAdd, hllCount, hllCountUnion, hllDelta, hllRegister } from './hyperloglog.js';

describe('hllRegister (redis profile)', () => {
  it('gives the registers Redis 7.0.15 sets (PFADD then PFDEBUG GETREG)', () => {
    const expected: [string, number, number][] = [
      ['a', 12711, 2],
      ['hello', 9216, 1],
      ['', 5938, 2],
      ['alice', 1341, 6],
      ['héllo wörld', 4396, 1],
      ['0123456789abcdef', 5949, 1],
    ];
    for (const [item, index, rank] of expected) {
      expect(hllRegister(item)).toEqual({ index, rank });
      expect(hllRegister(new TextEncoder().encode(item))).toEqual({ index, rank });
    }
  });

  it('encodes strings as UTF-8 the way TextEncoder does, lone surrogates included', () => {
    for (const item of ['😀 emoji', 'a\uD800b', '\uDC00', 'ü€', 'x'.repeat(300)]) {
      expect(hllRegister(item)).toEqual(hllRegister(new TextEncoder().encode(item)));
    }
  });

  it('keeps ranks within 1..65-p and indices within 0..2^p-1 for p = 4 and p = 18', () => {
    for (const precision of [4, 18]) {
      const profile = redisProfile(precision);
      for (let item = 0; item < 5000; item++) {
        const { index, rank } = hllRegister(`item-${item}`, { profile });
        expect(index).toBeLessThan(2 ** precision);
        expect(rank).toBeGreaterThanOrEqual(1);
        expect(rank).toBeLessThanOrEqual(65 - precision);
      }
    }
  });

  it('rejects precisions outside 4..18', () => {
    for (const precision of [3, 19, 14.5, Number.NaN]) {
      expect(() => redisProfile(precision)).toThrow(InvalidSketchParameterError);
    }
  });
});

describe('hllDelta and hllCount', () => {
  it('counts 5 distinct items as 5, repeated or not', () => {
    const delta = hllDelta(['a', 'b', 'c', 'd', 'e', 'a', 'c']);
    expect(hllCount(delta)).toBe(5);
    expect(hllCount(MaxVector.fromEntries(delta))).toBe(5);
  });

  it('counts an empty vector as 0', () => {
    expect(hllCount(new MaxVector())).toBe(0);
    expect(hllCount(hllDelta([]))).toBe(0);
  });

  it('gives the max rank per register, ascending by index', () => {
    const items = Array.from({ length: 3000 }, (_, item) => `user:${item}`);
    const delta = hllDelta(items);
    const registers = new Uint8Array(16384);
    for (const item of items) hllAdd(registers, item);
    expect(delta.kind).toBe('sparse');
    if (delta.kind !== 'sparse') return;
    expect([...delta.indices]).toEqual([...delta.indices].sort((left, right) => left - right));
    for (let position = 0; position < delta.indices.length; position++) {
      expect(registers[delta.indices[position]]).toBe(delta.values[position]);
    }
    expect(hllCount({ kind: 'dense', offset: 0, registers })).toBe(hllCount(delta));
  });

  it('counts a union as the count of the element-wise max', () => {
    const first = hllDelta(Array.from({ length: 2000 }, (_, item) => `x${item}`));
    const second = hllDelta(Array.from({ length: 2000 }, (_, item) => `x${item + 1000}`));
    const merged = MaxVector.fromEntries(first);
    merged.merge(second);
    expect(hllCountUnion([first, second])).toBe(hllCount(merged));
    expect(Math.abs(hllCountUnion([first, second]) - 3000)).toBeLessThan(3000 * 0.05);
  });

  it('rejects registers the profile cannot produce', () => {
    expect(() => hllCount(MaxVector.from({ 16384: 1 }))).toThrow(InvalidRegisterError);
    expect(() => hllCount(MaxVector.from({ 3: 52 }))).toThrow(InvalidRegisterError);
  });

  it('stays within 6 × 1.04/√m of n from 1 to 10^7 (sampled), for p = 14', () => {
    const bound = (6 * 1.04) / Math.sqrt(16384);
    const registers = new Uint8Array(16384);
    const checkpoints = new Set([1, 2, 3, 10, 50, 100, 500, 1000, 5000, 10_000, 40_000]);
    for (let power = 5; power <= 7; power += 0.25) checkpoints.add(Math.round(10 ** power));
    const last = Math.max(...checkpoints);
    // Items are 12 bytes, "acc:" and the item's number: distinct, and no string built per item.
    const item = new Uint8Array(12);
    const view = new DataView(item.buffer);
    item.set([0x61, 0x63, 0x63, 0x3a]);
    for (let added = 1; added <= last; added++) {
      view.setFloat64(4, added);
      hllAdd(registers, item);
      if (!checkpoints.has(added)) continue;
      const count = hllCount({ kind: 'dense', offset: 0, registers });
      expect(Math.abs(count - added) / added, `n = ${added}`).toBeLessThanOrEqual(bound);
    }
  });

  it('stays within 6 × 1.04/√m for p = 4 and p = 18', () => {
    for (const precision of [4, 18]) {
      const profile = redisProfile(precision);
      const bound = (6 * 1.04) / Math.sqrt(2 ** precision);
      const registers = new Uint8Array(2 ** precision);
      for (let added = 1; added <= 200_000; added++) {
        hllAdd(registers, `precision-${precision}-${added}`, { profile });
        if (added % 20_000 !== 0 && added !== 10) continue;
        const count = hllCount({ kind: 'dense', offset: 0, registers }, { profile });
        expect(
          Math.abs(count - added) / added,
          `p = ${precision}, n = ${added}`,
        ).toBeLessThanOrEqual(bound);
      }
    }
  });

  it('names its profiles', () => {
    expect(HLL_PROFILES.redis.registerCount).toBe(16384);
    expect(HLL_PROFILES.vignette.registerCount).toBe(1024);
  });
});
