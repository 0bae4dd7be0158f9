// The sealed envelope's layout (see the README, "Sealed datagrams"):
//
//   offset  bytes  field
//        0      1  marker 0xc1 (never valid msgpack)
//        1      1  version (1)
//        2      4  key id: the first 4 bytes of SHA-256(key)
//        6      6  sender timestamp, ms since 1970, unsigned big-endian
//       12     12  nonce
//       24      n  ciphertext (AES-256-GCM of the plain datagram)
//     24+n     16  tag
//
// The associated data is the 24-byte header followed by the cluster label's
// UTF-8 bytes (the header has a fixed length, so the two cannot run together).

import { readUint32BE, readUint48BE, writeUint32BE, writeUint48BE } from './big-endian.js';
import { NONCE_BYTES } from './nonce-sequence.js';

/**
 * The first byte of every sealed datagram: 0xc1, the one byte msgpack never
 * uses. A plain vignette or sync message is a msgpack map (first byte
 * 0x80–0x8f, 0xde or 0xdf), so the two can never be confused.
 */
export const SEALED_MARKER = 0xc1;

/** The envelope format this package writes and reads: 1, the second byte. */
export const SEALED_VERSION = 1;

/** Where the key id starts. */
export const KEY_ID_OFFSET = 2;

/** Where the sender timestamp starts. */
export const TIMESTAMP_OFFSET = 6;

/** Where the nonce starts. */
export const NONCE_OFFSET = 12;

/** The header's length: marker, version, key id, timestamp and nonce, 24 bytes. */
export const SEALED_HEADER_BYTES = NONCE_OFFSET + NONCE_BYTES;

/** The length of the authentication tag that ends a sealed datagram: 16 bytes. */
export const TAG_BYTES = 16;

/**
 * What sealing adds to every datagram: the 24-byte header and the 16-byte
 * tag, 40 bytes. A transport that seals carries 40 bytes less of plain
 * datagram than the network does.
 */
export const SEALED_OVERHEAD = SEALED_HEADER_BYTES + TAG_BYTES;

/** The largest sender timestamp the header holds: 2^48 − 1 ms, in the year 10889. */
export const MAX_SEALED_TIMESTAMP = 2 ** 48 - 1;

/** Writes the header at the start of `sealed`. */
export function writeSealedHeader(
  sealed: Uint8Array,
  keyId: number,
  timestamp: number,
  nonce: Uint8Array,
): void {
  sealed[0] = SEALED_MARKER;
  sealed[1] = SEALED_VERSION;
  writeUint32BE(sealed, KEY_ID_OFFSET, keyId);
  writeUint48BE(sealed, TIMESTAMP_OFFSET, timestamp);
  sealed.set(nonce, NONCE_OFFSET);
}

/** The key id of a sealed datagram at least {@link SEALED_HEADER_BYTES} long. */
export function readSealedKeyId(sealed: Uint8Array): number {
  return readUint32BE(sealed, KEY_ID_OFFSET);
}

/** The sender timestamp of a sealed datagram at least {@link SEALED_HEADER_BYTES} long. */
export function readSealedTimestamp(sealed: Uint8Array): number {
  return readUint48BE(sealed, TIMESTAMP_OFFSET);
}

/** The associated data of a sealed datagram: its header, then the cluster label. */
export function associatedData(sealed: Uint8Array, labelBytes: Uint8Array): Uint8Array {
  const data = new Uint8Array(SEALED_HEADER_BYTES + labelBytes.byteLength);
  data.set(sealed.subarray(0, SEALED_HEADER_BYTES), 0);
  data.set(labelBytes, SEALED_HEADER_BYTES);
  return data;
}
