import { describe, expect, it } from 'vitest';
import { nodeEnvelopeCrypto } from './node-envelope-crypto.js';

const hex = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'hex'));
const toHex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');

// Test case 16 of McGrew and Viega, "The Galois/Counter Mode of Operation (GCM)":
// AES-256, a 96-bit IV, 20 bytes of associated data.
const vector = {
  key: 'feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308',
  iv: 'cafebabefacedbaddecaf888',
  aad: 'feedfacedeadbeeffeedfacedeadbeefabaddad2',
  plaintext:
    'd9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39',
  ciphertext:
    '522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662',
  tag: '76fc6ece0f4e1768cddf8853bb2d551b',
};

describe('nodeEnvelopeCrypto', () => {
  it('seals and opens as the GCM specification’s AES-256 test vector says', () => {
    const key = nodeEnvelopeCrypto.aes256Gcm(hex(vector.key));
    const sealed = key.seal(hex(vector.iv), hex(vector.aad), hex(vector.plaintext));
    expect(toHex(sealed.ciphertext)).toBe(vector.ciphertext);
    expect(toHex(sealed.tag)).toBe(vector.tag);
    const opened = key.open(
      hex(vector.iv),
      hex(vector.aad),
      hex(vector.ciphertext),
      hex(vector.tag),
    );
    expect(opened === undefined ? undefined : toHex(opened)).toBe(vector.plaintext);
  });

  it('opens nothing when the tag, the associated data or the ciphertext differ, never throwing', () => {
    const key = nodeEnvelopeCrypto.aes256Gcm(hex(vector.key));
    const [iv, aad, ciphertext, tag] = [vector.iv, vector.aad, vector.ciphertext, vector.tag].map(
      hex,
    );
    const flipped = (bytes: Uint8Array): Uint8Array => {
      const copy = bytes.slice();
      copy[0] ^= 1;
      return copy;
    };
    expect(key.open(iv, flipped(aad), ciphertext, tag)).toBeUndefined();
    expect(key.open(iv, aad, flipped(ciphertext), tag)).toBeUndefined();
    expect(key.open(iv, aad, ciphertext, flipped(tag))).toBeUndefined();
    expect(key.open(iv, aad, ciphertext, tag.subarray(0, 4))).toBeUndefined();
    expect(key.open(new Uint8Array(0), aad, ciphertext, tag)).toBeUndefined();
  });

  it('keeps no reference to the key bytes it was given', () => {
    const bytes = hex(vector.key);
    const key = nodeEnvelopeCrypto.aes256Gcm(bytes);
    bytes.fill(0);
    const sealed = key.seal(hex(vector.iv), hex(vector.aad), hex(vector.plaintext));
    expect(toHex(sealed.tag)).toBe(vector.tag);
  });

  it('hashes with SHA-256 and draws random bytes', () => {
    expect(toHex(nodeEnvelopeCrypto.sha256(new TextEncoder().encode('abc')))).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
    const random = nodeEnvelopeCrypto.randomBytes(32);
    expect(random).toHaveLength(32);
    expect(toHex(random)).not.toBe(toHex(nodeEnvelopeCrypto.randomBytes(32)));
  });
});
