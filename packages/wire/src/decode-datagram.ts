import type { WireDecodeError } from './decode-errors.js';
import { decodeMessage } from './decode-message.js';
import type { DecodeOptions } from './decode-message.js';
import { decodeSyncMessage } from './decode-sync-message.js';
import type { VignetteMessage } from './message.js';
import { isSyncFieldAt } from './sync-fields.js';
import type { SyncMessage } from './sync-message.js';

/** What {@link decodeDatagram} returns: a vignette message, a sync message, or why the datagram was dropped. */
export type DatagramDecodeResult =
  | { readonly ok: true; readonly kind: 'message'; readonly message: VignetteMessage }
  | { readonly ok: true; readonly kind: 'sync'; readonly sync: SyncMessage }
  | { readonly ok: false; readonly error: WireDecodeError };

/**
 * Whether `bytes` hold a sync message rather than a vignette message, judged
 * from the first field name alone: true when they start with a non-empty
 * msgpack map (fixmap, map16 or map32) whose first key is the fixstr `"sync"`.
 * A few byte comparisons; nothing else is read or checked.
 */
export function isSyncDatagram(bytes: Uint8Array): boolean {
  if (!(bytes instanceof Uint8Array) || bytes.length < 6) return false;
  const first = bytes[0];
  if (first > 0x80 && first <= 0x8f) return isSyncFieldAt(bytes, 1);
  if (first === 0xde) return (bytes[1] | bytes[2]) !== 0 && isSyncFieldAt(bytes, 3);
  if (first === 0xdf) {
    return (bytes[1] | bytes[2] | bytes[3] | bytes[4]) !== 0 && isSyncFieldAt(bytes, 5);
  }
  return false;
}

/**
 * Decodes one datagram from a peer: a sync message when its first map key is
 * the fixstr `"sync"` (see {@link isSyncDatagram}), decoded by
 * {@link decodeSyncMessage}; anything else goes to {@link decodeMessage}
 * unchanged, so messages from the Ruby and Clojure peers decode exactly as
 * they do there. Never throws.
 */
export function decodeDatagram(bytes: Uint8Array, options?: DecodeOptions): DatagramDecodeResult {
  if (isSyncDatagram(bytes)) {
    const decoded = decodeSyncMessage(bytes, options);
    return decoded.ok ? { ok: true, kind: 'sync', sync: decoded.sync } : decoded;
  }
  const decoded = decodeMessage(bytes, options);
  return decoded.ok ? { ok: true, kind: 'message', message: decoded.message } : decoded;
}
