import { MAX_VALUE, MaxVector } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contentHash, entryHash, keyHash } from './key-hash.js';

// A plain byte-oriented MurmurHash3 x86_32 and FNV-1a, written from their
// published descriptions, so the tests check the documented algorithm and not
// only the numbers the implementation happens to produce.

function rotateLeft(value: number, bits: number): number {
  return (value << bits) | (value >>> (32 - bits));
}

function referenceFmix32(hash: number): number {
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return hash >>> 0;
}

function scrambleBlock(block: number): number {
  return Math.imul(rotateLeft(Math.imul(block, 0xcc9e2d51), 15), 0x1b873593);
}

function referenceMurmur3(bytes: Uint8Array, seed: number): number {
  let hash = seed;
  const blocks = bytes.length >>> 2;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let block = 0; block < blocks; block++) {
    hash ^= scrambleBlock(view.getUint32(block * 4, true));
    hash = (Math.imul(rotateLeft(hash, 13), 5) + 0xe6546b64) | 0;
  }
  let tail = 0;
  const tailStart = blocks * 4;
  for (let position = bytes.length - 1; position >= tailStart; position--) {
    tail = (tail << 8) | bytes[position];
  }
  if (bytes.length > tailStart) hash ^= scrambleBlock(tail);
  return referenceFmix32(hash ^ bytes.length);
}

function littleEndianWords(...words: number[]): Uint8Array {
  const bytes = new Uint8Array(words.length * 4);
  const view = new DataView(bytes.buffer);
  words.forEach((word, position) => view.setUint32(position * 4, word, true));
  return bytes;
}

function referenceFnv1a(key: string): number {
  let hash = 0x811c9dc5;
  for (const unit of toUnits(key)) {
    hash = Math.imul(hash ^ unit, 0x01000193) >>> 0;
  }
  return hash;
}

function toUnits(key: string): number[] {
  const units: number[] = [];
  for (let position = 0; position < key.length; position++) units.push(key.charCodeAt(position));
  return units;
}

function referenceEntry(index: number, value: number): number {
  return referenceMurmur3(
    littleEndianWords(index, value % 2 ** 32, Math.floor(value / 2 ** 32)),
    0,
  );
}

const ascii = new TextEncoder();

describe('the reference algorithms', () => {
  it('match published MurmurHash3 x86_32 test vectors', () => {
    expect(referenceMurmur3(new Uint8Array(0), 0)).toBe(0);
    expect(referenceMurmur3(new Uint8Array(0), 1)).toBe(0x514e28b7);
    expect(referenceMurmur3(new Uint8Array(4), 0)).toBe(0x2362f9de);
    expect(referenceMurmur3(ascii.encode('aaaa'), 0x9747b28c)).toBe(0x5a97808a);
    expect(referenceMurmur3(ascii.encode('abcd'), 0x9747b28c)).toBe(0xf0478627);
    expect(referenceMurmur3(ascii.encode('Hello, world!'), 0x9747b28c)).toBe(0x24884cba);
    expect(
      referenceMurmur3(ascii.encode('The quick brown fox jumps over the lazy dog'), 0x9747b28c),
    ).toBe(0x2fa826cd);
  });

  it('match published FNV-1a 32-bit test vectors', () => {
    expect(referenceFnv1a('')).toBe(0x811c9dc5);
    expect(referenceFnv1a('a')).toBe(0xe40c292c);
    expect(referenceFnv1a('foobar')).toBe(0xbf9cf968);
  });
});

describe('keyHash', () => {
  it('gives the golden values (part of the protocol)', () => {
    expect(keyHash('')).toBe(0xab3e7c0b);
    expect(keyHash('a')).toBe(0x1a80b1b3);
    expect(keyHash('foobar')).toBe(0x0c0da6dc);
    expect(keyHash('views:home')).toBe(0xdbbbc858);
    expect(keyHash('n:127.0.0.1:7946')).toBe(0x77597a55);
    expect(keyHash('é€😀')).toBe(0x5c30732f);
  });

  it('is fmix32 of FNV-1a over the UTF-16 code units', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (key) => {
        expect(keyHash(key)).toBe(referenceFmix32(referenceFnv1a(key)));
      }),
    );
  });

  it('spreads keys differing only in their last character over the top bits', () => {
    const leaves = new Set<number>();
    for (let suffix = 0; suffix < 10; suffix++) leaves.add(keyHash(`views:${suffix}`) >>> 20);
    expect(leaves.size).toBe(10);
  });
});

describe('contentHash', () => {
  it('gives the golden values (part of the protocol)', () => {
    expect(contentHash(new MaxVector())).toBe(0);
    expect(contentHash(MaxVector.from({ 0: 1 }))).toBe(0x6f08baed);
    expect(contentHash(MaxVector.from({ 0: 5, 3: 7 }))).toBe(0x057eb6fe);
    expect(contentHash(MaxVector.from({ 4294967295: MAX_VALUE }))).toBe(0xa3805d54);
    expect(contentHash(MaxVector.from({ 7: 2 ** 32 }))).toBe(0xf3cee74b);
  });

  it('is the sum mod 2^32 of MurmurHash3 of each (index, low, high) entry', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.nat({ max: 0xffff_ffff }).map(String),
          fc.integer({ min: 1, max: MAX_VALUE }),
        ),
        (record) => {
          let expected = 0;
          for (const [index, value] of Object.entries(record)) {
            expected = (expected + referenceEntry(Number(index), value)) >>> 0;
          }
          expect(contentHash(MaxVector.from(record))).toBe(expected);
        },
      ),
    );
  });

  it('is the same for a sparse and a dense vector holding the same values', () => {
    // 0..99 makes a dense vector; index 5000 then fits the hysteresis band, so
    // it stays dense, while the same entries merged at once stay sparse.
    const record: Record<number, number> = {};
    for (let index = 0; index < 100; index++) record[index] = 1 + ((index * 37) % 200);
    const dense = MaxVector.from(record);
    expect(dense.representation).toBe('dense');
    dense.raise(5000, 99);
    const sparse = MaxVector.from({ ...record, 5000: 99 });
    expect(dense.representation).toBe('dense');
    expect(sparse.representation).toBe('sparse');
    expect(dense.equals(sparse)).toBe(true);
    expect(contentHash(dense)).toBe(contentHash(sparse));
  });

  it('does not depend on the order entries were merged in', () => {
    fc.assert(
      fc.property(
        fc
          .uniqueArray(fc.tuple(fc.nat({ max: 2000 }), fc.integer({ min: 1, max: MAX_VALUE })), {
            selector: ([index]) => index,
            maxLength: 300,
          })
          .chain((entries) =>
            fc.tuple(
              fc.constant(entries),
              fc.shuffledSubarray(entries, {
                minLength: entries.length,
              }),
            ),
          ),
        ([entries, shuffled]) => {
          const inOrder = new MaxVector();
          for (const [index, value] of entries) inOrder.raise(index, value);
          const reordered = new MaxVector();
          for (const [index, value] of shuffled) reordered.raise(index, value);
          expect(contentHash(reordered)).toBe(contentHash(inOrder));
        },
      ),
    );
  });

  it('differs for different vectors (sampled)', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.nat({ max: 50 }).map(String), fc.integer({ min: 1, max: MAX_VALUE })),
        fc.dictionary(fc.nat({ max: 50 }).map(String), fc.integer({ min: 1, max: MAX_VALUE })),
        (left, right) => {
          const leftVector = MaxVector.from(left);
          const rightVector = MaxVector.from(right);
          fc.pre(!leftVector.equals(rightVector));
          expect(contentHash(leftVector)).not.toBe(contentHash(rightVector));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('tells apart values that differ only in their high or low 32 bits', () => {
    const base = contentHash(MaxVector.from({ 3: 5 }));
    expect(contentHash(MaxVector.from({ 3: 5 + 2 ** 32 }))).not.toBe(base);
    expect(contentHash(MaxVector.from({ 3: 2 ** 40 }))).not.toBe(
      contentHash(MaxVector.from({ 3: 2 ** 40 + 1 })),
    );
  });
});

describe('entryHash', () => {
  it('gives the golden values (part of the protocol)', () => {
    expect(entryHash(0, 0)).toBe(0x63852afc);
    expect(entryHash(0xdbbbc858, 0x057eb6fe)).toBe(0x091d04c6);
    expect(entryHash(0xffff_ffff, 0xffff_ffff)).toBe(0x627564e8);
  });

  it('is MurmurHash3 of the two words, never 0', () => {
    fc.assert(
      fc.property(fc.nat({ max: 0xffff_ffff }), fc.nat({ max: 0xffff_ffff }), (key, content) => {
        const expected = referenceMurmur3(littleEndianWords(key, content), 0);
        expect(entryHash(key, content)).toBe(expected === 0 ? 1 : expected);
        expect(entryHash(key, content)).not.toBe(0);
      }),
    );
  });

  it('changes with either hash', () => {
    expect(entryHash(1, 2)).not.toBe(entryHash(2, 1));
    expect(entryHash(1, 2)).not.toBe(entryHash(1, 3));
  });
});
