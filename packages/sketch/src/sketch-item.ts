/**
 * An item a sketch counts or tests: a string, read as its UTF-8 bytes, or the
 * bytes themselves. `"é"` and `new Uint8Array([0xc3, 0xa9])` are the same item.
 */
export type SketchItem = string | Uint8Array;

/** The bytes of an item and how many of them count (the buffer may be longer). */
export interface ItemBytes {
  bytes: Uint8Array;
  length: number;
}

let scratch = new Uint8Array(256);
const result: ItemBytes = { bytes: scratch, length: 0 };

/**
 * The UTF-8 bytes of `item` (as `TextEncoder` gives them: a lone surrogate
 * becomes U+FFFD). Strings are encoded into a shared scratch buffer, valid
 * until the next call; byte arrays are returned as they are. The result
 * object itself is shared too: read it before the next call.
 */
export function itemBytes(item: SketchItem): ItemBytes {
  if (typeof item !== 'string') {
    result.bytes = item;
    result.length = item.length;
    return result;
  }
  if (scratch.length < item.length * 3) scratch = new Uint8Array(item.length * 3);
  const bytes = scratch;
  let length = 0;
  for (let position = 0; position < item.length; position++) {
    let code = item.charCodeAt(position);
    if (code < 0x80) {
      bytes[length++] = code;
      continue;
    }
    if (code < 0x800) {
      bytes[length++] = 0xc0 | (code >>> 6);
      bytes[length++] = 0x80 | (code & 0x3f);
      continue;
    }
    if (code >= 0xd800 && code <= 0xdfff) {
      const next = position + 1 < item.length ? item.charCodeAt(position + 1) : 0;
      if (code <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) {
        code = 0x10000 + ((code - 0xd800) << 10) + (next - 0xdc00);
        position++;
        bytes[length++] = 0xf0 | (code >>> 18);
        bytes[length++] = 0x80 | ((code >>> 12) & 0x3f);
        bytes[length++] = 0x80 | ((code >>> 6) & 0x3f);
        bytes[length++] = 0x80 | (code & 0x3f);
        continue;
      }
      code = 0xfffd;
    }
    bytes[length++] = 0xe0 | (code >>> 12);
    bytes[length++] = 0x80 | ((code >>> 6) & 0x3f);
    bytes[length++] = 0x80 | (code & 0x3f);
  }
  result.bytes = bytes;
  result.length = length;
  return result;
}
