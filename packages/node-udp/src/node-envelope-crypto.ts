import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createSecretKey,
  randomBytes,
} from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { generateClusterKey } from '@vig/wire';
import type { AeadKey, EnvelopeCrypto } from '@vig/wire';

/** The AEAD of the sealed envelope. */
const ALGORITHM = 'aes-256-gcm';

/** Its tag length, in bytes. */
const TAG_BYTES = 16;

/**
 * The cryptography of `@vig/wire`'s sealed envelope, from `node:crypto`:
 * AES-256-GCM (OpenSSL's, hardware-accelerated where the CPU has AES-NI),
 * SHA-256 and `randomBytes`. Everything is synchronous.
 *
 * @example
 * ```ts
 * import { createKeyring, generateClusterKey } from '@vig/wire';
 * import { nodeEnvelopeCrypto } from '@vig/node-udp';
 *
 * const key = generateClusterKey(nodeEnvelopeCrypto); // 44 characters of base64
 * const keyring = createKeyring({ primary: key, crypto: nodeEnvelopeCrypto });
 * ```
 */
export const nodeEnvelopeCrypto: EnvelopeCrypto = Object.freeze({
  aes256Gcm: (key: Uint8Array): AeadKey => new NodeAesGcmKey(createSecretKey(Buffer.from(key))),
  sha256: (bytes: Uint8Array): Uint8Array => asBytes(createHash('sha256').update(bytes).digest()),
  randomBytes: (length: number): Uint8Array => asBytes(randomBytes(length)),
});

/**
 * A new random cluster key, as the 44 characters of base64 a key file holds
 * (`openssl rand -base64 32` prints the same kind of text).
 */
export function newClusterKey(): string {
  return generateClusterKey(nodeEnvelopeCrypto);
}

/** One AES-256-GCM key, imported once as a `KeyObject`. */
class NodeAesGcmKey implements AeadKey {
  readonly #key: KeyObject;

  constructor(key: KeyObject) {
    this.#key = key;
  }

  seal(
    nonce: Uint8Array,
    associatedData: Uint8Array,
    plaintext: Uint8Array,
  ): { ciphertext: Uint8Array; tag: Uint8Array } {
    const cipher = createCipheriv(ALGORITHM, this.#key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(associatedData);
    const ciphertext = joined(cipher.update(plaintext), cipher.final());
    return { ciphertext, tag: asBytes(cipher.getAuthTag()) };
  }

  open(
    nonce: Uint8Array,
    associatedData: Uint8Array,
    ciphertext: Uint8Array,
    tag: Uint8Array,
  ): Uint8Array | undefined {
    try {
      const decipher = createDecipheriv(ALGORITHM, this.#key, nonce, { authTagLength: TAG_BYTES });
      decipher.setAAD(associatedData);
      decipher.setAuthTag(tag);
      return joined(decipher.update(ciphertext), decipher.final());
    } catch {
      return undefined; // The tag did not verify (or the input was malformed): not opened.
    }
  }
}

/** `head` then `tail` as one plain `Uint8Array` (GCM's `final` adds nothing, in practice). */
function joined(head: Buffer, tail: Buffer): Uint8Array {
  return asBytes(tail.byteLength === 0 ? head : Buffer.concat([head, tail]));
}

/** A `Buffer` as a plain `Uint8Array` over the same memory. */
function asBytes(buffer: Buffer): Uint8Array {
  return new Uint8Array(buffer.buffer, buffer.byteOffset, buffer.byteLength);
}
