import { checkSyncMessage } from './check-sync-message.js';
import { createOutputBuffer, reserve, takeWritten } from './msgpack-writer.js';
import { syncListLength, syncMessageSize, writeSyncAt } from './sync-layout.js';
import type { SyncMessage } from './sync-message.js';

const output = createOutputBuffer();

/**
 * Encodes one sync message as plain msgpack: a map whose first field is
 * `sync` (the kind), then the kind's fields (for `peers`, the range bounds
 * `from` and `to` last, each only when present), then `vig`, then `client`
 * (only when true). See the README, "Sync messages (Vig extension)". Send it only
 * to peers known to be Vig nodes.
 *
 * Returns a `Uint8Array` copied out of a reused buffer; small results share
 * a pooled slab, as {@link encodeMessage}'s do.
 *
 * @throws {@link InvalidSyncFieldError} naming the field that cannot be
 *   encoded: an unknown kind, a number out of its range or not an integer,
 *   hashes that are not a `Uint32Array`, leaf entries of odd length, an
 *   address (or a range bound `from`, `to`) longer than 255 UTF-8 bytes, a list of more than 4096 items or a
 *   bin of more than 16384 words (use {@link splitSyncMessage}), and so on.
 */
export function encodeSyncMessage(message: SyncMessage): Uint8Array {
  checkSyncMessage(message, true);
  const count = syncListLength(message);
  output.position = 0;
  const bytes = reserve(output, syncMessageSize(message, 0, count));
  output.position = writeSyncAt(bytes, 0, message, 0, count);
  return takeWritten(output);
}
