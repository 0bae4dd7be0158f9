import { MaxVector } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { HLL_PROFILES } from './hyperloglog-profiles.js';
import { vignetteEstimate, vignetteRegister } from './hyperloglog-vignette-profile.js';
import { hllAdd, hllCount, hllDelta } from './hyperloglog.js';

const profile = HLL_PROFILES.vignette;

describe('the vignette profile', () => {
  it("gives the Ruby prototype's (bucket, rank) for fixed items", () => {
    // Derived by transcribing lib/hll.rb (HyperLogLog.vector) into Python:
    //   h = struct.unpack('<L', hashlib.md5(s.encode()).digest()[:4])[0]   # unpack("L") on x86
    //   bucket = h & 1023; rank = 32 - math.floor(math.log(h) / math.log(2))
    // (Python's math.log is C's log(), as Ruby's Math.log is.)
    const expected: [string, number, number, number][] = [
      ['alice', 0xb2e28463, 99, 1],
      ['bob', 0xbc519d9f, 415, 1],
      ['hll', 0x0e476c9f, 159, 5],
      ['0.5', 0x36cb10d3, 211, 3],
      ['0.123456789', 0xf30575cd, 461, 1],
      ['vignette', 0x767d5f12, 786, 2],
      ['', 0xd98c1dd4, 468, 1],
      ['héllo', 0x47e850be, 190, 2],
    ];
    for (const [item, word, index, rank] of expected) {
      expect(word & 1023).toBe(index);
      expect(vignetteRegister(item)).toEqual({ index, rank });
      expect(hllDelta([item], { profile })).toEqual({
        kind: 'sparse',
        indices: [index],
        values: [rank],
      });
    }
  });

  it('estimates as the Ruby prototype does: linear counting for small sets', () => {
    // 3 buckets set: est = 0.721·1024² / (3 small terms + 1021) ≈ 740 ≤ 2500, so
    // 1024 · ln(1024 / 1021) = 3.0044… rounds to 3.
    expect(hllCount(MaxVector.from({ 1: 1, 2: 5, 900: 2 }), { profile })).toBe(3);
    const histogram = new Array<number>(34).fill(0);
    histogram[0] = 1024;
    expect(vignetteEstimate(histogram)).toBe(0);
  });

  it('counts within 6 × 1.04/√1024 over sampled n', () => {
    const bound = (6 * 1.04) / Math.sqrt(1024);
    const registers = new Uint8Array(1024);
    for (let added = 1; added <= 100_000; added++) {
      hllAdd(registers, `vignette-${added}`, { profile });
      if (![1, 10, 100, 1000, 10_000, 50_000, 100_000].includes(added)) continue;
      const count = hllCount({ kind: 'dense', offset: 0, registers }, { profile });
      expect(Math.abs(count - added) / added, `n = ${added}`).toBeLessThanOrEqual(bound);
    }
  });
});
