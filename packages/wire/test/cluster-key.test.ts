import crypto from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isVigError } from '@vig/crdt-core';
import {
  CLUSTER_KEY_TEXT_LENGTH,
  InvalidKeyFileError,
  clusterKeyId,
  createKeyring,
  formatClusterKey,
  formatKeyId,
  generateClusterKey,
  parseClusterKey,
  parseKeyFile,
} from '@vig/wire';
import type { EnvelopeCrypto } from '@vig/wire';
import { keyIdOf, randomKey, testCrypto } from './node-crypto.js';

/** What `action` throws, or undefined. */
function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}

describe('cluster keys', () => {
  it('reads 44 characters of base64 as Buffer does, and formats them back', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 32, maxLength: 32 }), (bytes) => {
        const text = Buffer.from(bytes).toString('base64');
        expect(text).toHaveLength(CLUSTER_KEY_TEXT_LENGTH);
        expect(Buffer.from(parseClusterKey(text)).equals(Buffer.from(bytes))).toBe(true);
        expect(formatClusterKey(bytes)).toBe(text);
      }),
      { seed: 3, numRuns: 500 },
    );
    expect(parseClusterKey(`  ${randomKey()}\n`)).toHaveLength(32);
  });

  it('refuses anything but 32 bytes or canonical padded base64, never echoing the key', () => {
    const key = randomKey();
    const bad: unknown[] = [
      key.slice(0, 43),
      `${key.slice(0, 43)}==`,
      key.replaceAll('+', '-').replaceAll('/', '_').replace(/=$/, 'A'),
      `${key.slice(0, 20)} ${key.slice(21)}`,
      new Uint8Array(31),
      new Uint8Array(33),
      undefined,
      32,
    ];
    for (const value of bad) {
      const error = thrownBy(() => parseClusterKey(value as string, 'primary'));
      expect(isVigError(error, 'InvalidClusterKeyError'), String(value)).toBe(true);
      expect(String(error)).not.toContain(key.slice(0, 12));
      expect(String(error)).toMatch(/^InvalidClusterKeyError: cluster key primary /);
    }
    // Bits set after the last byte: "…B=" would read as the same key as "…A=".
    const zeroKey = 'A'.repeat(43) + '=';
    expect(parseClusterKey(zeroKey)).toEqual(new Uint8Array(32));
    expect(isVigError(thrownBy(() => parseClusterKey('A'.repeat(42) + 'B=')))).toBe(true);
  });

  it('gives a key the id its SHA-256 starts with, and new keys from the random source', () => {
    const key = randomKey();
    expect(formatKeyId(clusterKeyId(testCrypto, parseClusterKey(key)))).toBe(keyIdOf(key));
    const generated = generateClusterKey(testCrypto);
    expect(generated).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    expect(generated).not.toBe(generateClusterKey(testCrypto));
    expect(formatKeyId(0x0a)).toBe('0000000a');
  });
});

describe('parseKeyFile', () => {
  it('takes the first key as primary and the rest as accepted, skipping blanks and comments', () => {
    const [first, second, third] = [randomKey(), randomKey(), randomKey()];
    const keys = parseKeyFile(
      `# cluster "prod"\r\n\n  ${first}   # the new key\r\n#${second}\n${second}\n\t${third}\n`,
    );
    expect(Buffer.from(keys.primary).toString('base64')).toBe(first);
    expect(keys.accepted.map((key) => Buffer.from(key).toString('base64'))).toEqual([
      second,
      third,
    ]);
  });

  it('refuses a file without keys, or a line that is not one key, naming the line only', () => {
    const key = randomKey();
    const cases: [string, number | undefined, RegExp][] = [
      ['', undefined, /holds no key/],
      ['# only a comment\n\n', undefined, /holds no key/],
      [`${key}\n${key.slice(0, 40)}\n`, 2, /line 2, holds 40 characters/],
      [`${key} ${key}\n`, 1, /line 1, holds more than one word/],
    ];
    for (const [text, line, message] of cases) {
      const error = thrownBy(() => parseKeyFile(text, '/etc/vig/cluster.key'));
      expect(error).toBeInstanceOf(InvalidKeyFileError);
      if (!(error instanceof InvalidKeyFileError)) continue;
      expect(error.line).toBe(line);
      expect(error.source).toBe('/etc/vig/cluster.key');
      expect(error.message).toMatch(message);
      expect(error.message).toContain('key file /etc/vig/cluster.key');
      expect(error.message).not.toContain(key.slice(0, 12));
    }
  });
});

describe('createKeyring', () => {
  it('keeps a key given twice once, the primary first', () => {
    const [primary, other] = [randomKey(), randomKey()];
    const ring = createKeyring({ primary, accepted: [other, primary, other], crypto: testCrypto });
    expect(ring.keyIds).toEqual([keyIdOf(primary), keyIdOf(other)]);
    expect(ring.entries.size).toBe(2);
    expect(ring.label).toBe('vig');
    expect(Object.isFrozen(ring)).toBe(true);
  });

  it('refuses a bad label, a bad key, missing crypto, and two keys with one id', () => {
    const primary = randomKey();
    const refusals: [() => unknown, string, RegExp][] = [
      [() => createKeyring({ primary, label: '', crypto: testCrypto }), 'label', /0 UTF-8 bytes/],
      [
        () => createKeyring({ primary, label: 'x'.repeat(256), crypto: testCrypto }),
        'label',
        /256 UTF-8 bytes/,
      ],
      [
        () => createKeyring({ primary, label: '\ud800', crypto: testCrypto }),
        'label',
        /lone surrogate/,
      ],
      [() => createKeyring({ primary, crypto: undefined as never }), 'crypto', /missing/],
      [
        () => createKeyring({ primary, accepted: [randomKey()], crypto: collidingCrypto }),
        'accepted',
        /two different keys with the id 00000000/,
      ],
    ];
    for (const [action, field, message] of refusals) {
      const error = thrownBy(action);
      expect(isVigError(error, 'InvalidKeyringError'), String(error)).toBe(true);
      expect((error as { field?: string }).field).toBe(field);
      expect(String(error)).toMatch(message);
    }
    const badKey = thrownBy(() =>
      createKeyring({ primary, accepted: ['nope'], crypto: testCrypto }),
    );
    expect(isVigError(badKey, 'InvalidClusterKeyError')).toBe(true);
    expect(String(badKey)).toContain('cluster key accepted[0] is 4 characters');
    expect(
      createKeyring({ primary, label: 'é'.repeat(127), crypto: testCrypto }).label,
    ).toHaveLength(127);
  });
});

/** Real AES, but every key's SHA-256 starts with four zero bytes. */
const collidingCrypto: EnvelopeCrypto = {
  ...testCrypto,
  sha256: (bytes) => {
    const digest = crypto.createHash('sha256').update(bytes).digest();
    digest.fill(0, 0, 4);
    return digest;
  },
};
