import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { md5 } from './md5.js';

const nodeMd5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('md5', () => {
  it('matches RFC 1321 test vectors', () => {
    const encode = (text: string) => new TextEncoder().encode(text);
    expect(hex(md5(encode('')))).toBe('d41d8cd98f00b204e9800998ecf8427e');
    expect(hex(md5(encode('abc')))).toBe('900150983cd24fb0d6963f7d28e17f72');
    expect(hex(md5(encode('message digest')))).toBe('f96b697d7cb7938d525a2f31aaf161d0');
  });

  it('matches node:crypto on random inputs of every padding length', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        expect(hex(md5(bytes))).toBe(nodeMd5(bytes));
      }),
      { numRuns: 1000 },
    );
    for (let length = 0; length <= 130; length++) {
      const bytes = Uint8Array.from({ length }, (_, position) => (position * 31 + 7) & 0xff);
      expect(hex(md5(bytes))).toBe(nodeMd5(bytes));
    }
  });

  it('hashes only the first `length` bytes', () => {
    const bytes = new TextEncoder().encode('abcdef');
    expect(hex(md5(bytes, 3))).toBe('900150983cd24fb0d6963f7d28e17f72');
  });
});
