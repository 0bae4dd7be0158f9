import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { itemHashPair } from './item-hash.js';

describe('itemHashPair', () => {
  it('reads strings as UTF-8, so a string and its bytes are the same item', () => {
    expect(itemHashPair('é')).toEqual(itemHashPair(new Uint8Array([0xc3, 0xa9])));
  });

  it('returns unsigned 32-bit integers', () => {
    fc.assert(
      fc.property(fc.string(), (item) => {
        const { first, second } = itemHashPair(item);
        expect(first >>> 0).toBe(first);
        expect(second >>> 0).toBe(second);
      }),
    );
  });
});
