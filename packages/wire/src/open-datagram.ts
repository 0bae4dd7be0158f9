import {
  NONCE_OFFSET,
  SEALED_HEADER_BYTES,
  SEALED_MARKER,
  SEALED_OVERHEAD,
  SEALED_VERSION,
  TAG_BYTES,
  associatedData,
  readSealedKeyId,
  readSealedTimestamp,
} from './envelope-format.js';
import type { Keyring } from './keyring.js';

/**
 * Why a datagram did not open, in the order they are checked:
 *
 * - `not-sealed`: empty, not bytes, or a first byte other than 0xc1 (a plain
 *   vignette or sync message, or anything else);
 * - `bad-version`: an envelope version this package does not read (the
 *   second byte);
 * - `truncated`: shorter than the 40 bytes of header and tag;
 * - `unknown-key`: sealed with a key that is not in the keyring;
 * - `bad-tag`: the tag does not verify: another cluster label, bytes changed
 *   on the way, or (once in 2^32) another key with the same id.
 */
export type OpenFailureReason =
  'not-sealed' | 'bad-version' | 'truncated' | 'unknown-key' | 'bad-tag';

/** Every {@link OpenFailureReason}, in the order they are checked. */
export const OPEN_FAILURE_REASONS: readonly OpenFailureReason[] = Object.freeze([
  'not-sealed',
  'bad-version',
  'truncated',
  'unknown-key',
  'bad-tag',
]);

/** An opened datagram: the plain bytes, when and with which key it was sealed. */
export interface OpenedDatagram {
  readonly ok: true;
  /** The plain datagram, a fresh array. */
  readonly plaintext: Uint8Array;
  /** The sender's timestamp (ms since 1970, by the sender's clock), authenticated. */
  readonly timestamp: number;
  /** The id of the key it was sealed with, as 8 hex digits. */
  readonly keyId: string;
}

/** A datagram that did not open, and why. */
export interface OpenFailure {
  readonly ok: false;
  readonly reason: OpenFailureReason;
}

/** What {@link openDatagram} returns. */
export type OpenResult = OpenedDatagram | OpenFailure;

/** One frozen failure per reason: hostile input costs no allocation. */
const failures = Object.fromEntries(
  OPEN_FAILURE_REASONS.map((reason) => [reason, Object.freeze({ ok: false, reason })]),
) as Readonly<Record<OpenFailureReason, OpenFailure>>;

/**
 * Opens one sealed datagram with whichever of the keyring's keys its key id
 * names (no trial decryption), checking the tag over the header and the
 * keyring's cluster label. Never throws: anything that does not open comes
 * back as `{ ok: false, reason }`, to be dropped and counted.
 * Freshness (replays) is judged apart, from the timestamp: see
 * {@link createReplayGuard}.
 */
export function openDatagram(keyring: Keyring, bytes: Uint8Array): OpenResult {
  if (!(bytes instanceof Uint8Array) || bytes[0] !== SEALED_MARKER) return failures['not-sealed'];
  if (bytes.byteLength >= 2 && bytes[1] !== SEALED_VERSION) return failures['bad-version'];
  if (bytes.byteLength < SEALED_OVERHEAD) return failures.truncated;
  const entry = keyring.entries.get(readSealedKeyId(bytes));
  if (entry === undefined) return failures['unknown-key'];
  const tagStart = bytes.byteLength - TAG_BYTES;
  const plaintext = entry.aead.open(
    bytes.subarray(NONCE_OFFSET, SEALED_HEADER_BYTES),
    associatedData(bytes, keyring.labelBytes),
    bytes.subarray(SEALED_HEADER_BYTES, tagStart),
    bytes.subarray(tagStart),
  );
  if (plaintext === undefined) return failures['bad-tag'];
  return { ok: true, plaintext, timestamp: readSealedTimestamp(bytes), keyId: entry.keyId };
}
