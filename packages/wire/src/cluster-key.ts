import { readUint32BE } from './big-endian.js';
import { decodeBase64, encodeBase64 } from './base64.js';
import { InvalidClusterKeyError } from './cluster-key-errors.js';
import type { EnvelopeCrypto } from './envelope-crypto.js';

/** The length of a cluster key: 32 bytes, an AES-256 key. */
export const CLUSTER_KEY_BYTES = 32;

/** The length of a cluster key as text: 44 characters of padded base64. */
export const CLUSTER_KEY_TEXT_LENGTH = 44;

/** A cluster key as given: 32 bytes, or their padded standard base64. */
export type ClusterKeyInput = string | Uint8Array;

/**
 * The 32 bytes of a cluster key given as bytes or as base64 text (leading
 * and trailing white space ignored). Returns a copy.
 *
 * @throws {@link InvalidClusterKeyError} naming `where`; the message never holds the key
 */
export function parseClusterKey(key: ClusterKeyInput, where = 'key'): Uint8Array {
  if (key instanceof Uint8Array) {
    if (key.byteLength !== CLUSTER_KEY_BYTES) {
      throw new InvalidClusterKeyError(where, `is ${key.byteLength} bytes`);
    }
    return key.slice();
  }
  if (typeof key !== 'string') {
    throw new InvalidClusterKeyError(where, `is ${key === null ? 'null' : typeof key}`);
  }
  const text = key.trim();
  if (text.length !== CLUSTER_KEY_TEXT_LENGTH) {
    throw new InvalidClusterKeyError(where, `is ${text.length} characters of text`);
  }
  const bytes = decodeBase64(text);
  if (bytes?.byteLength !== CLUSTER_KEY_BYTES) {
    throw new InvalidClusterKeyError(where, 'is not padded, canonical standard base64');
  }
  return bytes;
}

/** A cluster key as the text a key file holds: 44 characters of padded standard base64. */
export function formatClusterKey(key: Uint8Array): string {
  return encodeBase64(parseClusterKey(key));
}

/** A new cluster key from `crypto`'s secure random source, as base64 text. */
export function generateClusterKey(crypto: EnvelopeCrypto): string {
  return formatClusterKey(crypto.randomBytes(CLUSTER_KEY_BYTES));
}

/**
 * A key's id: the first 4 bytes of its SHA-256, as a big-endian unsigned
 * integer. Sealed datagrams carry it so that the receiver picks the key
 * without trial decryption. The same as the first 8 hex digits of
 * `base64 -d <<< KEY | sha256sum`.
 */
export function clusterKeyId(crypto: EnvelopeCrypto, key: Uint8Array): number {
  return readUint32BE(crypto.sha256(key), 0);
}

/** A key id as 8 lowercase hex digits, as metrics and messages show it. */
export function formatKeyId(id: number): string {
  return id.toString(16).padStart(8, '0');
}
