import { InvalidKeyringError } from './cluster-key-errors.js';
import { clusterKeyId, formatKeyId, parseClusterKey } from './cluster-key.js';
import type { ClusterKeyInput } from './cluster-key.js';
import type { AeadKey, EnvelopeCrypto } from './envelope-crypto.js';
import { NONCE_BYTES, NonceSequence } from './nonce-sequence.js';
import { utf8ByteLength, writeUtf8At } from './utf8.js';

/** The cluster label used when none is given: `vig`. */
export const DEFAULT_CLUSTER_LABEL = 'vig';

/** The longest cluster label, in UTF-8 bytes: 255. */
export const MAX_CLUSTER_LABEL_BYTES = 255;

/** What {@link createKeyring} takes. */
export interface KeyringOptions {
  /** The key datagrams are sealed with (and opened with): 32 bytes or their base64. */
  readonly primary: ClusterKeyInput;
  /** Keys also accepted when opening, never used to seal: the keys being rotated in or out. */
  readonly accepted?: readonly ClusterKeyInput[];
  /**
   * The cluster's label, authenticated with every datagram: two clusters
   * with different labels never accept each other's datagrams, even under
   * the same key. 1..255 UTF-8 bytes; default {@link DEFAULT_CLUSTER_LABEL}.
   */
  readonly label?: string;
  /** The AES-256-GCM, SHA-256 and random primitives (`nodeEnvelopeCrypto` from `@vig/node-udp` in Node). */
  readonly crypto: EnvelopeCrypto;
}

/** One key of a keyring, ready to use. */
export interface KeyringEntry {
  /** Its id: the first 4 bytes of its SHA-256, big-endian. */
  readonly id: number;
  /** The id as 8 hex digits, as metrics show it. */
  readonly keyId: string;
  /** The key itself (its bytes are not kept elsewhere in the keyring). */
  readonly aead: AeadKey;
}

/**
 * The keys one node seals and opens datagrams with: one primary key (seals,
 * and opens) and any number of accepted keys (open only), under one cluster
 * label. Rotating keys without downtime: install the new key as accepted
 * everywhere, then make it primary everywhere (keeping the old one
 * accepted), then remove the old one. Plain data, but for the nonce
 * sequence, which advances with every datagram sealed.
 */
export interface Keyring {
  /** The cluster label. */
  readonly label: string;
  /** The label as UTF-8, the associated data's tail. */
  readonly labelBytes: Uint8Array;
  /** The key that seals. */
  readonly primary: KeyringEntry;
  /** Every key that opens, by id, the primary key included. */
  readonly entries: ReadonlyMap<number, KeyringEntry>;
  /** Every key's id, as hex, the primary key's first. */
  readonly keyIds: readonly string[];
  /** The nonces sealing uses, never repeated within this keyring. */
  readonly nonces: NonceSequence;
}

/**
 * A keyring from keys given as bytes or base64 text. A key given twice is
 * kept once.
 *
 * @example
 * ```ts
 * import { createKeyring, openDatagram, sealDatagram } from '@vig/wire';
 * import { nodeEnvelopeCrypto } from '@vig/node-udp';
 *
 * const keyring = createKeyring({
 *   primary: process.env.VIG_CLUSTER_KEY ?? '', // 44 characters of base64
 *   label: 'prod',
 *   crypto: nodeEnvelopeCrypto,
 * });
 * const sealed = sealDatagram(keyring, new TextEncoder().encode('hello'));
 * const opened = openDatagram(keyring, sealed);
 * if (opened.ok) console.log(new TextDecoder().decode(opened.plaintext)); // hello
 * ```
 *
 * @throws {@link InvalidClusterKeyError} for a key that is not 32 bytes or their base64
 * @throws {@link InvalidKeyringError} for a label that is not 1..255 UTF-8 bytes, two
 *   different keys with the same id, or `crypto` missing
 */
export function createKeyring(options: KeyringOptions): Keyring {
  const crypto = checkCrypto(options.crypto);
  const label = options.label ?? DEFAULT_CLUSTER_LABEL;
  const labelBytes = encodeLabel(label);
  const accepted = options.accepted ?? [];
  if (!Array.isArray(accepted)) {
    throw new InvalidKeyringError('accepted', `is ${typeof accepted}`, 'an array of keys');
  }
  const keys = [
    parseClusterKey(options.primary, 'primary'),
    ...(accepted as readonly ClusterKeyInput[]).map((key, index) =>
      parseClusterKey(key, `accepted[${index}]`),
    ),
  ];
  const entries = new Map<number, KeyringEntry>();
  const seen = new Map<number, Uint8Array>();
  for (const key of keys) {
    const id = clusterKeyId(crypto, key);
    const earlier = seen.get(id);
    if (earlier !== undefined) {
      if (sameBytes(earlier, key)) continue;
      throw new InvalidKeyringError(
        'accepted',
        `holds two different keys with the id ${formatKeyId(id)}`,
        'keys whose SHA-256 differ in the first 4 bytes (generate a new key)',
      );
    }
    seen.set(id, key);
    entries.set(id, Object.freeze({ id, keyId: formatKeyId(id), aead: crypto.aes256Gcm(key) }));
  }
  const primary = [...entries.values()][0];
  if (primary === undefined) throw new InvalidKeyringError('primary', 'is missing', 'a key');
  return Object.freeze({
    label,
    labelBytes,
    primary,
    entries,
    keyIds: Object.freeze([...entries.values()].map((entry) => entry.keyId)),
    nonces: new NonceSequence(crypto.randomBytes(NONCE_BYTES)),
  });
}

/** `crypto`, when it has the three primitives. */
function checkCrypto(crypto: EnvelopeCrypto | undefined): EnvelopeCrypto {
  const complete =
    typeof crypto === 'object' &&
    crypto !== null &&
    typeof crypto.aes256Gcm === 'function' &&
    typeof crypto.sha256 === 'function' &&
    typeof crypto.randomBytes === 'function';
  if (!complete) {
    throw new InvalidKeyringError(
      'crypto',
      'is missing or incomplete',
      'aes256Gcm, sha256 and randomBytes (nodeEnvelopeCrypto from @vig/node-udp in Node)',
    );
  }
  return crypto;
}

/** The label as UTF-8. */
function encodeLabel(label: string): Uint8Array {
  const length = typeof label === 'string' ? utf8ByteLength(label) : -1;
  if (length < 1 || length > MAX_CLUSTER_LABEL_BYTES) {
    const problem =
      typeof label !== 'string'
        ? `is ${typeof label}`
        : length < 0
          ? 'holds a lone surrogate'
          : `is ${length} UTF-8 bytes`;
    throw new InvalidKeyringError(
      'label',
      problem,
      `a string of 1..${MAX_CLUSTER_LABEL_BYTES} UTF-8 bytes`,
    );
  }
  const bytes = new Uint8Array(length);
  writeUtf8At(bytes, 0, label);
  return bytes;
}

function sameBytes(first: Uint8Array, second: Uint8Array): boolean {
  return (
    first.byteLength === second.byteLength && first.every((byte, index) => byte === second[index])
  );
}
