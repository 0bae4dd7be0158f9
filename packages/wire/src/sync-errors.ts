// Errors of the sync message codec. Decoding failures are WireDecodeErrors
// (with a `reason`, like the message decoder's); encoding failures are one
// VigError naming the field.

import { VigError } from '@vig/crdt-core';
import { WireDecodeError } from './decode-errors.js';
import type { SyncField } from './sync-message.js';

/**
 * The bytes are a msgpack map but not a well-formed sync message: the first
 * field is not `sync`, an unknown kind, a field of the wrong type or shape (a
 * bin whose length is not a multiple of 4, or of 8 for leaf entries; a list
 * item that is not exactly the array the format says; a peer address, a
 * range bound `from` or `to`, or a member's address or status longer than
 * 255 bytes), a known field sent twice, or a required field missing. `field`
 * names the field.
 */
export class InvalidSyncError extends WireDecodeError {
  static override readonly name = 'InvalidSyncError';
  override readonly name = 'InvalidSyncError';
  override readonly reason = 'invalid-sync';
  /** The field that was wrong or missing (for a list item's member, the member). */
  readonly field: SyncField;

  constructor(field: SyncField, problem: string, options?: ErrorOptions) {
    super(`sync message is invalid: ${problem}`, options);
    this.field = field;
  }
}

/**
 * A list of a sync message holds more than `MAX_SYNC_ITEMS` (4096) items, or
 * a bin more than `MAX_SYNC_HASHES` (16384) 32-bit words: refused before
 * anything is allocated.
 */
export class TooManySyncItemsError extends WireDecodeError {
  static override readonly name = 'TooManySyncItemsError';
  override readonly name = 'TooManySyncItemsError';
  override readonly reason = 'too-many-sync-items';
  /** The list or bin: `buckets`, `leaves`, `peers`, `members`, `hashes` or `entries`. */
  readonly field: SyncField;
  /** The items (or words) it holds. */
  readonly count: number;
  /** The limit it broke. */
  readonly limit: number;

  /** `path` names the field in the message (`"leaves[2].entries"`), `unit` what is counted. */
  constructor(field: SyncField, path: string, count: number, limit: number, unit: string) {
    super(`sync message field ${path} holds ${count} ${unit}: expected at most ${limit}`);
    this.field = field;
    this.count = count;
    this.limit = limit;
  }
}

/**
 * A sync message field that cannot be encoded: an unknown kind; a `vig` not
 * an integer in 1..2^31; a `client` or `reply` not a boolean; a bucket, leaf,
 * `from` or `to` not an integer in 0..2^32−1; `keys`, a heartbeat or a leave
 * marker not an integer in 0..2^53−1; hashes or entries not a `Uint32Array`,
 * entries of odd length, or more than 16384 words in one; a list not an array,
 * or (for {@link encodeSyncMessage}) longer than 4096 items; an address, or a
 * `peers` message's range bound `from` or `to`, or a member's address or
 * status, not a string, holding a lone surrogate, or longer than 255 UTF-8
 * bytes.
 */
export class InvalidSyncFieldError extends VigError {
  static override readonly name = 'InvalidSyncFieldError';
  override readonly name = 'InvalidSyncFieldError';
  /** The field that could not be encoded (for a list item's member, the member). */
  readonly field: SyncField;
  /** The item's position in its list, for a member of a list item; otherwise undefined. */
  readonly item: number | undefined;

  /** `path` names the field in the message (`"peers[3].address"`). */
  constructor(
    field: SyncField,
    item: number | undefined,
    path: string,
    problem: string,
    expected: string,
  ) {
    super(`sync message field ${path} ${problem}: expected ${expected}`);
    this.field = field;
    this.item = item;
  }
}
