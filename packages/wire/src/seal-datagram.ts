import { SealTimestampError } from './envelope-errors.js';
import {
  MAX_SEALED_TIMESTAMP,
  SEALED_HEADER_BYTES,
  SEALED_MARKER,
  SEALED_OVERHEAD,
  TAG_BYTES,
  associatedData,
  writeSealedHeader,
} from './envelope-format.js';
import type { Keyring } from './keyring.js';

/**
 * Seals one datagram with the keyring's primary key: a 24-byte header
 * (marker, version, key id, `timestamp`, nonce), the AES-256-GCM ciphertext
 * and the 16-byte tag, authenticating the header and the cluster label.
 * The result is {@link SEALED_OVERHEAD} (40) bytes longer than `plaintext`.
 *
 * @param timestamp the sender's clock in ms since 1970 (default `Date.now()`):
 *   receivers judge freshness by it (see {@link createReplayGuard})
 * @throws {@link SealTimestampError} for a timestamp that is not an integer in 0..2^48−1
 */
export function sealDatagram(
  keyring: Keyring,
  plaintext: Uint8Array,
  timestamp: number = Date.now(),
): Uint8Array {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0 || timestamp > MAX_SEALED_TIMESTAMP) {
    throw new SealTimestampError(timestamp);
  }
  const sealed = new Uint8Array(SEALED_OVERHEAD + plaintext.byteLength);
  const nonce = keyring.nonces.next();
  writeSealedHeader(sealed, keyring.primary.id, timestamp, nonce);
  const { ciphertext, tag } = keyring.primary.aead.seal(
    nonce,
    associatedData(sealed, keyring.labelBytes),
    plaintext,
  );
  sealed.set(ciphertext, SEALED_HEADER_BYTES);
  sealed.set(tag.subarray(0, TAG_BYTES), SEALED_HEADER_BYTES + plaintext.byteLength);
  return sealed;
}

/**
 * Whether `bytes` starts like a sealed datagram (its first byte is 0xc1,
 * which no msgpack message starts with). Says nothing of whether it opens.
 */
export function isSealedDatagram(bytes: Uint8Array): boolean {
  return bytes instanceof Uint8Array && bytes[0] === SEALED_MARKER;
}
