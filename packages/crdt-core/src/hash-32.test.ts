import { describe, expect, it } from 'vitest';
import { fmix32, fnv1a32, murmur3x86_32, murmurMixBlock } from './hash-32.js';

const utf8 = new TextEncoder();
const encodeItem = (item: string): Uint8Array => utf8.encode(item);

describe('fnv1a32', () => {
  it('matches the published FNV-1a 32-bit test vectors', () => {
    expect(fnv1a32(encodeItem(''))).toBe(0x811c9dc5);
    expect(fnv1a32(encodeItem('a'))).toBe(0xe40c292c);
    expect(fnv1a32(encodeItem('foobar'))).toBe(0xbf9cf968);
  });
});

describe('murmur3x86_32', () => {
  it('matches the reference MurmurHash3_x86_32 test vectors', () => {
    expect(murmur3x86_32(encodeItem(''), 0)).toBe(0);
    expect(murmur3x86_32(encodeItem(''), 1)).toBe(0x514e28b7);
    expect(murmur3x86_32(encodeItem(''), 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3x86_32(encodeItem('test'), 0)).toBe(0xba6bd213);
    expect(murmur3x86_32(encodeItem('Hello, world!'), 0x9747b28c)).toBe(0x24884cba);
    expect(
      murmur3x86_32(encodeItem('The quick brown fox jumps over the lazy dog'), 0x9747b28c),
    ).toBe(0x2fa826cd);
  });

  it('covers every tail length', () => {
    expect(murmur3x86_32(new Uint8Array([0x21, 0x43, 0x65, 0x87]), 0)).toBe(0xf55b516b);
    expect(murmur3x86_32(new Uint8Array([0x21, 0x43, 0x65]), 0)).toBe(0x7e4a8634);
    expect(murmur3x86_32(new Uint8Array([0x21, 0x43]), 0)).toBe(0xa0f7b07a);
    expect(murmur3x86_32(new Uint8Array([0x21]), 0)).toBe(0x72661cf4);
    expect(murmur3x86_32(new Uint8Array([0, 0, 0, 0]), 0)).toBe(0x2362f9de);
  });
});

describe('prefix lengths', () => {
  it('hashes only the first `length` bytes, as a buffer of exactly those bytes would hash', () => {
    const scratch = encodeItem('The quick brown fox');
    for (let length = 0; length <= scratch.length; length++) {
      const exact = scratch.slice(0, length);
      expect(fnv1a32(scratch, length)).toBe(fnv1a32(exact));
      expect(murmur3x86_32(scratch, 7, length)).toBe(murmur3x86_32(exact, 7));
    }
  });

  it('builds murmur3x86_32 of whole words from murmurMixBlock and fmix32', () => {
    const bytes = new Uint8Array([0x21, 0x43, 0x65, 0x87]);
    expect(fmix32(murmurMixBlock(0, 0x87654321) ^ 4)).toBe(murmur3x86_32(bytes, 0));
  });
});
