import { EMPTY_ENTRIES, MAX_INDEX, MAX_VALUE } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_KEY_BYTES, decodeMessage, encodeMessage } from '@vig/wire';
import { decodeOk, expectSameMessage, foldEntries, hex, messageOf, sparse } from './helpers.js';

describe('encodeMessage and decodeMessage', () => {
  it('writes the Ruby shape {key, vector, ttl} as plain msgpack, byte for byte', () => {
    const bytes = encodeMessage({ key: 'k', vector: sparse([1, 2]), ttl: 5, full: false });
    // fixmap(3) "key" "k" "vector" {1: 2} "ttl" 5
    expect(bytes).toEqual(hex('83 a36b6579 a16b a6766563746f72 81 01 02 a374746c 05'));
  });

  it('writes full only when true, and reads its absence as false', () => {
    const withFull = encodeMessage(messageOf(sparse([1, 2]), { key: 'k', full: true }));
    expect(withFull).toEqual(
      hex('84 a36b6579 a16b a6766563746f72 81 01 02 a374746c 05 a466756c6c c3'),
    );
    expect(decodeOk(withFull).full).toBe(true);
    expect(decodeOk(encodeMessage(messageOf(sparse([1, 2])))).full).toBe(false);
  });

  it('round-trips sparse entries into sparse entries', () => {
    const message = messageOf(sparse([17, 4], [902, 2], [16383, 19], [0, 1]));
    const decoded = decodeOk(encodeMessage(message));
    expect(decoded.vector.kind).toBe('sparse');
    expectSameMessage(decoded, message);
  });

  it('round-trips an empty vector (a request for the whole vector)', () => {
    const bytes = encodeMessage(messageOf(EMPTY_ENTRIES, { key: 'k' }));
    expect(bytes).toEqual(hex('83 a36b6579 a16b a6766563746f72 80 a374746c 05'));
    const decoded = decodeOk(bytes);
    expect(decoded.vector).toEqual(EMPTY_ENTRIES);
  });

  it('writes integers in their smallest encodings and reads them back', () => {
    const boundaries = [0, 127, 128, 255, 256, 65535, 65536, 0xffff_ffff];
    for (const index of boundaries) {
      for (const value of [...boundaries, 2 ** 32, MAX_VALUE]) {
        const message = messageOf(sparse([index, value === 0 ? 1 : value]));
        expectSameMessage(decodeOk(encodeMessage(message)), message);
      }
    }
    const sizes = (value: number) =>
      encodeMessage(messageOf(sparse([0, value]))).length -
      encodeMessage(messageOf(sparse([0, 1]))).length +
      1;
    expect([127, 128, 255, 256, 65535, 65536, 0xffff_ffff, 2 ** 32].map(sizes)).toEqual([
      1, 2, 2, 3, 3, 5, 5, 9,
    ]);
  });

  it('carries the largest index and the largest value', () => {
    const bytes = encodeMessage(messageOf(sparse([MAX_INDEX, MAX_VALUE]), { key: 'k' }));
    expect(bytes).toEqual(
      hex('83 a36b6579 a16b a6766563746f72 81 ceffffffff cf001fffffffffffff a374746c 05'),
    );
    expect(foldEntries(decodeOk(bytes).vector)).toEqual(new Map([[MAX_INDEX, MAX_VALUE]]));
  });

  it('round-trips unicode keys, a leading byte-order mark included', () => {
    for (const key of ['ключ', '日本語のキー', 'emoji 🙂 key', '\uFEFFbom', '', 'x'.repeat(40)]) {
      const message = messageOf(sparse([1, 1]), { key });
      expect(decodeOk(encodeMessage(message)).key).toBe(key);
    }
  });

  it('writes keys of 32 bytes and more as str16, never str8 (which pre-2013 readers lack)', () => {
    const bytes = encodeMessage(messageOf(EMPTY_ENTRIES, { key: 'x'.repeat(32) }));
    expect([...bytes.subarray(5, 8)]).toEqual([0xda, 0x00, 0x20]);
    const short = encodeMessage(messageOf(EMPTY_ENTRIES, { key: 'x'.repeat(31) }));
    expect(short[5]).toBe(0xa0 | 31);
  });

  it('accepts a key of exactly maxKeyBytes, counting UTF-8 bytes', () => {
    const key = 'é'.repeat(DEFAULT_MAX_KEY_BYTES / 2);
    expect(decodeOk(encodeMessage(messageOf(EMPTY_ENTRIES, { key }))).key).toBe(key);
  });

  it('carries ttl 0 and large ttls', () => {
    for (const ttl of [0, 1, 50, 300, MAX_VALUE]) {
      expect(decodeOk(encodeMessage(messageOf(EMPTY_ENTRIES, { ttl }))).ttl).toBe(ttl);
    }
  });

  it('writes a repeated index once, with its largest value, since decoders keep only one', () => {
    const bytes = encodeMessage(
      messageOf({ kind: 'sparse', indices: [5, 9, 5, 9], values: [9, 1, 2, 0] }, { key: 'k' }),
    );
    const decoded = decodeOk(bytes);
    expect(decoded.vector).toEqual({ kind: 'sparse', indices: [5, 9], values: [9, 1] });
  });

  it('leaves zero values out and still writes the smallest map header', () => {
    // 17 entries, 2 of them zero: the header reserved for 17 (map16) shrinks to a fixmap.
    const indices = Array.from({ length: 17 }, (_, i) => i);
    const values = indices.map((i) => (i < 2 ? 0 : i));
    const bytes = encodeMessage(messageOf({ kind: 'sparse', indices, values }, { key: 'k' }));
    expect(bytes[14]).toBe(0x80 | 15);
    expect(foldEntries(decodeOk(bytes).vector)).toEqual(
      new Map(indices.slice(2).map((i) => [i, i])),
    );
  });

  it('writes dense entries as a plain vector map by default', () => {
    const registers = new Uint8Array([0, 3, 0, 7]);
    const message = messageOf({ kind: 'dense', offset: 10, registers }, { key: 'k' });
    const bytes = encodeMessage(message);
    expect(bytes).toEqual(hex('83 a36b6579 a16b a6766563746f72 82 0b03 0d07 a374746c 05'));
    expectSameMessage(decodeOk(bytes), message);
  });

  it('returns results that later encodes never overwrite', () => {
    const first = encodeMessage(messageOf(sparse([1, 1]), { key: 'first' }));
    const copy = first.slice();
    for (let i = 0; i < 2000; i++) encodeMessage(messageOf(sparse([i, i + 1]), { key: 'other' }));
    expect(first).toEqual(copy);
    expect(decodeOk(first).key).toBe('first');
  });

  it('decodes from a view into a larger buffer', () => {
    const bytes = encodeMessage(messageOf(sparse([3, 4])));
    const padded = new Uint8Array(bytes.length + 20);
    padded.set(bytes, 10);
    const view = padded.subarray(10, 10 + bytes.length);
    expectSameMessage(decodeOk(view), messageOf(sparse([3, 4])));
  });

  it('gives the same result however often it decodes the same bytes', () => {
    const bytes = encodeMessage(messageOf(sparse([1, 2], [3, 4])));
    const first = decodeMessage(bytes);
    const second = decodeMessage(bytes);
    expect(first).toEqual(second);
  });
});
