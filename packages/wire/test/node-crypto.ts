// The envelope's primitives for this package's tests, from node:crypto
// (tests may import node: modules; the package's source may not).
// Deliberately plain: an implementation apart from @vig/node-udp's, so the
// format is checked against AES-GCM as OpenSSL does it, not against itself.

import crypto from 'node:crypto';
import type { EnvelopeCrypto } from '@vig/wire';

/** AES-256-GCM, SHA-256 and random bytes from node:crypto. */
export const testCrypto: EnvelopeCrypto = {
  aes256Gcm: (key) => {
    const secret = Buffer.from(key);
    return {
      seal: (nonce, associatedData, plaintext) => {
        const cipher = crypto.createCipheriv('aes-256-gcm', secret, nonce);
        cipher.setAAD(associatedData);
        const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
        return { ciphertext, tag: cipher.getAuthTag() };
      },
      open: (nonce, associatedData, ciphertext, tag) => {
        const decipher = crypto.createDecipheriv('aes-256-gcm', secret, nonce);
        decipher.setAAD(associatedData);
        decipher.setAuthTag(tag);
        try {
          return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
        } catch {
          return undefined;
        }
      },
    };
  },
  sha256: (bytes) => crypto.createHash('sha256').update(bytes).digest(),
  randomBytes: (length) => crypto.randomBytes(length),
};

/** A new random key as base64 text. */
export function randomKey(): string {
  return crypto.randomBytes(32).toString('base64');
}

/** The first 8 hex digits of SHA-256 of a base64 key: its key id. */
export function keyIdOf(key: string): string {
  return crypto.createHash('sha256').update(Buffer.from(key, 'base64')).digest('hex').slice(0, 8);
}
