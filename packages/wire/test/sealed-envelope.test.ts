import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVigError } from '@vig/crdt-core';
import {
  OPEN_FAILURE_REASONS,
  SEALED_HEADER_BYTES,
  SEALED_MARKER,
  SEALED_OVERHEAD,
  createKeyring,
  decodeDatagram,
  encodeMessage,
  encodeSyncMessage,
  isSealedDatagram,
  openDatagram,
  sealDatagram,
} from '@vig/wire';
import type { Keyring, OpenResult } from '@vig/wire';
import { keyIdOf, randomKey, testCrypto } from './node-crypto.js';

const keyA = randomKey();
const keyB = randomKey();

function keyring(primary: string, accepted: string[] = [], label?: string): Keyring {
  return createKeyring({
    primary,
    accepted,
    crypto: testCrypto,
    ...(label === undefined ? {} : { label }),
  });
}

function text(result: OpenResult): string | undefined {
  return result.ok ? new TextDecoder().decode(result.plaintext) : undefined;
}

const hello = new TextEncoder().encode('hello');
const timestamp = 1_767_225_600_123; // 2026-01-01T00:00:00.123Z

describe('sealDatagram and openDatagram', () => {
  it('round-trips datagrams of 0, 1, 1400 and 65467 bytes, 40 bytes longer when sealed', () => {
    const ring = keyring(keyA);
    for (const size of [0, 1, 1400, 65_467]) {
      const plain = crypto.randomBytes(size);
      const sealed = sealDatagram(ring, plain, timestamp);
      expect(sealed.byteLength).toBe(size + SEALED_OVERHEAD);
      const opened = openDatagram(ring, sealed);
      expect(opened.ok).toBe(true);
      if (!opened.ok) continue;
      expect(Buffer.from(opened.plaintext).equals(plain)).toBe(true);
      expect(opened.timestamp).toBe(timestamp);
      expect(opened.keyId).toBe(keyIdOf(keyA));
    }
    expect(SEALED_OVERHEAD).toBe(40);
    expect(SEALED_HEADER_BYTES).toBe(24);
  });

  it('writes the header as the README says: marker, version, key id, timestamp, nonce', () => {
    const sealed = sealDatagram(keyring(keyA), hello, timestamp);
    const header = Buffer.from(sealed.subarray(0, 24));
    expect(header[0]).toBe(0xc1);
    expect(header[1]).toBe(1);
    expect(header.subarray(2, 6).toString('hex')).toBe(keyIdOf(keyA));
    expect(header.readUIntBE(6, 6)).toBe(timestamp);
    expect(header.subarray(6, 12).toString('hex')).toBe('019b76daa87b'); // as in the README
    // AES-256-GCM as OpenSSL does it, over header + label as associated data.
    const decipher = crypto.createDecipheriv(
      'aes-256-gcm',
      Buffer.from(keyA, 'base64'),
      header.subarray(12, 24),
    );
    decipher.setAAD(Buffer.concat([header, Buffer.from('vig')]));
    decipher.setAuthTag(sealed.subarray(sealed.byteLength - 16));
    const plain = Buffer.concat([
      decipher.update(sealed.subarray(24, sealed.byteLength - 16)),
      decipher.final(),
    ]);
    expect(plain.toString()).toBe('hello');
  });

  it('never looks like a plain message, and plain messages never look sealed', () => {
    const sealed = sealDatagram(keyring(keyA), encodeMessage(plainMessage), timestamp);
    expect(isSealedDatagram(sealed)).toBe(true);
    expect(sealed[0]).toBe(SEALED_MARKER);
    const decoded = decodeDatagram(sealed);
    expect(decoded.ok).toBe(false);
    if (!decoded.ok) expect(decoded.error.reason).toBe('not-msgpack');
    const plain = [
      encodeMessage(plainMessage),
      encodeSyncMessage({ kind: 'want', hashes: Uint32Array.of(1), vig: 1 }),
    ];
    for (const bytes of plain) {
      expect(isSealedDatagram(bytes)).toBe(false);
      expect(openDatagram(keyring(keyA), bytes)).toEqual({ ok: false, reason: 'not-sealed' });
    }
  });

  it('opens with any key of the ring, and seals only with the primary', () => {
    const old = keyring(keyA);
    const rotating = keyring(keyB, [keyA]);
    const fresh = keyring(keyB);
    expect(text(openDatagram(rotating, sealDatagram(old, hello, timestamp)))).toBe('hello');
    const sealedWithB = sealDatagram(rotating, hello, timestamp);
    expect(text(openDatagram(fresh, sealedWithB))).toBe('hello');
    expect(openDatagram(old, sealedWithB)).toEqual({ ok: false, reason: 'unknown-key' });
    expect(rotating.keyIds).toEqual([keyIdOf(keyB), keyIdOf(keyA)]);
  });

  it('refuses another cluster label under the same key (bad-tag)', () => {
    const prod = keyring(keyA, [], 'prod');
    const staging = keyring(keyA, [], 'staging');
    const sealed = sealDatagram(prod, hello, timestamp);
    expect(openDatagram(staging, sealed)).toEqual({ ok: false, reason: 'bad-tag' });
    expect(openDatagram(keyring(keyA), sealed)).toEqual({ ok: false, reason: 'bad-tag' });
    expect(text(openDatagram(keyring(keyA, [], 'prod'), sealed))).toBe('hello');
  });

  it('refuses every single changed byte, by the reason its position gives', () => {
    const ring = keyring(keyA);
    const sealed = sealDatagram(ring, crypto.randomBytes(64), timestamp);
    for (let position = 0; position < sealed.byteLength; position++) {
      const changed = sealed.slice();
      changed[position] ^= 0x01;
      const expected =
        position === 0
          ? 'not-sealed'
          : position === 1
            ? 'bad-version'
            : position < 6
              ? 'unknown-key'
              : 'bad-tag';
      expect(openDatagram(ring, changed), `byte ${position}`).toEqual({
        ok: false,
        reason: expected,
      });
    }
  });

  it('names each failure: not-sealed, bad-version, truncated', () => {
    const ring = keyring(keyA);
    const sealed = sealDatagram(ring, hello, timestamp);
    expect(openDatagram(ring, new Uint8Array(0))).toEqual({ ok: false, reason: 'not-sealed' });
    expect(openDatagram(ring, 'text' as never)).toEqual({ ok: false, reason: 'not-sealed' });
    expect(openDatagram(ring, Uint8Array.of(0xc1))).toEqual({ ok: false, reason: 'truncated' });
    expect(openDatagram(ring, Uint8Array.of(0xc1, 2))).toEqual({
      ok: false,
      reason: 'bad-version',
    });
    for (let length = 2; length < SEALED_OVERHEAD; length++) {
      expect(openDatagram(ring, sealed.subarray(0, length)).ok).toBe(false);
      expect(openDatagram(ring, sealed.subarray(0, length))).toEqual({
        ok: false,
        reason: 'truncated',
      });
    }
    expect(openDatagram(ring, sealed.subarray(0, sealed.byteLength - 1))).toEqual({
      ok: false,
      reason: 'bad-tag',
    });
    expect(OPEN_FAILURE_REASONS).toEqual([
      'not-sealed',
      'bad-version',
      'truncated',
      'unknown-key',
      'bad-tag',
    ]);
  });

  it('never throws on hostile input, sealed-looking or not', () => {
    const ring = keyring(keyA);
    const prefix = sealDatagram(ring, hello, timestamp).subarray(0, 6);
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), (bytes, withPrefix) => {
        const input = withPrefix ? Buffer.concat([prefix, bytes]) : bytes;
        const result = openDatagram(ring, input);
        expect(result.ok).toBe(false);
      }),
      { seed: 7, numRuns: 2_000 },
    );
  });

  it('never repeats a nonce within a keyring, nor between two keyrings of one key', () => {
    const first = keyring(keyA);
    const second = keyring(keyA);
    const nonces = new Set<string>();
    for (let count = 0; count < 1_000; count++) {
      for (const ring of [first, second]) {
        const sealed = sealDatagram(ring, hello, timestamp);
        nonces.add(Buffer.from(sealed.subarray(12, 24)).toString('hex'));
      }
    }
    expect(nonces.size).toBe(2_000);
  });

  it('refuses a timestamp it cannot write, and defaults to Date.now()', () => {
    const ring = keyring(keyA);
    for (const bad of [-1, 1.5, 2 ** 48, Number.NaN]) {
      let thrown: unknown;
      try {
        sealDatagram(ring, hello, bad);
      } catch (error) {
        thrown = error;
      }
      expect(isVigError(thrown, 'SealTimestampError'), String(bad)).toBe(true);
    }
    const before = Date.now();
    const opened = openDatagram(ring, sealDatagram(ring, hello));
    expect(opened.ok && opened.timestamp >= before && opened.timestamp <= Date.now()).toBe(true);
  });
});

const plainMessage = {
  key: 'k',
  vector: { kind: 'sparse', indices: [1], values: [2] },
  ttl: 5,
  full: false,
} as const;
