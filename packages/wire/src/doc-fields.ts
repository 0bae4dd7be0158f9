// The field names of doc messages, and which kind has which, in the order the
// encoder writes them (between the `doc` field and the envelope's `vig` and
// `client`).

import type { DocKind } from './doc-message.js';

/** Fields each kind carries, in written order; `?` marks an optional one. */
export const DOC_KIND_FIELDS: Readonly<Record<DocKind, readonly string[]>> = {
  digest: ['digest', 'heads?'],
  recent: ['reply', 'heads', 'complete', 'versions', 'from?'],
  ops: ['batch', 'ttl', 'next?'],
  part: ['id', 'index', 'count', 'bytes'],
  put: ['request', 'key', 'value', 'parents?'],
  get: ['request', 'key'],
  log: ['request', 'limit', 'key?', 'cursor?'],
  checkout: ['request', 'target'],
  branch: ['request', 'name'],
  written: ['request', 'version'],
  siblings: ['request', 'key', 'siblings'],
  history: ['request', 'batch', 'cursor?'],
  frontier: ['request', 'frontier', 'branch?'],
  failed: ['request', 'code', 'message'],
};

/** `"doc"` as a msgpack fixstr: the first field of every doc message. */
export const DOC_FIELD = Uint8Array.of(0xa3, 0x64, 0x6f, 0x63);

/**
 * True when a field name `doc` (as the fixstr {@link DOC_FIELD}, exactly)
 * starts at `position`. Reads only bytes that are there.
 */
export function isDocFieldAt(bytes: Uint8Array, position: number): boolean {
  return (
    position + 4 <= bytes.length &&
    bytes[position] === 0xa3 &&
    bytes[position + 1] === 0x64 &&
    bytes[position + 2] === 0x6f &&
    bytes[position + 3] === 0x63
  );
}

/** Whether `kind` is a doc kind. */
export function isDocKind(kind: string): kind is DocKind {
  return Object.prototype.hasOwnProperty.call(DOC_KIND_FIELDS, kind);
}
