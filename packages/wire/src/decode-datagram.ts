import type { WireDecodeError } from './decode-errors.js';
import { decodeMessage } from './decode-message.js';
import type { DecodeOptions } from './decode-message.js';
import { decodeDocMessage, isDocDatagram } from './decode-doc-message.js';
import type { DocMessage } from './doc-message.js';
import { decodeSyncMessage } from './decode-sync-message.js';
import type { VignetteMessage } from './message.js';
import { firstFieldPosition } from './message-start.js';
import { isSyncFieldAt } from './sync-fields.js';
import type { SyncMessage } from './sync-message.js';

/**
 * What {@link decodeDatagram} returns: a vignette message, a sync message, a
 * doc message, or why the datagram was dropped.
 */
export type DatagramDecodeResult =
  | { readonly ok: true; readonly kind: 'message'; readonly message: VignetteMessage }
  | { readonly ok: true; readonly kind: 'sync'; readonly sync: SyncMessage }
  | { readonly ok: true; readonly kind: 'doc'; readonly doc: DocMessage }
  | { readonly ok: false; readonly error: WireDecodeError };

/**
 * Whether `bytes` hold a sync message rather than a vignette message, judged
 * from the first field name alone: true when they start with a non-empty
 * msgpack map (fixmap, map16 or map32) whose first key is the fixstr `"sync"`.
 * A few byte comparisons; nothing else is read or checked.
 */
export function isSyncDatagram(bytes: Uint8Array): boolean {
  const position = firstFieldPosition(bytes);
  return position > 0 && isSyncFieldAt(bytes, position);
}

/**
 * Decodes one datagram from a peer: a sync message when its first map key is
 * the fixstr `"sync"` (see {@link isSyncDatagram}), decoded by
 * {@link decodeSyncMessage}; a doc message when it is the fixstr `"doc"`
 * (see {@link isDocDatagram}), decoded by {@link decodeDocMessage}; anything
 * else goes to {@link decodeMessage} unchanged, so messages from the Ruby and
 * Clojure peers decode exactly as they do there. Never throws.
 */
export function decodeDatagram(bytes: Uint8Array, options?: DecodeOptions): DatagramDecodeResult {
  if (isDocDatagram(bytes)) {
    const decoded = decodeDocMessage(bytes, options);
    return decoded.ok ? { ok: true, kind: 'doc', doc: decoded.doc } : decoded;
  }
  if (isSyncDatagram(bytes)) {
    const decoded = decodeSyncMessage(bytes, options);
    return decoded.ok ? { ok: true, kind: 'sync', sync: decoded.sync } : decoded;
  }
  const decoded = decodeMessage(bytes, options);
  return decoded.ok ? { ok: true, kind: 'message', message: decoded.message } : decoded;
}
