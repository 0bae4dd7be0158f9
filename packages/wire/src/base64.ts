// Strict base64 (RFC 4648, standard alphabet, padded), for cluster keys: the
// text `openssl rand -base64 32` and `base64` print. Written here rather than
// taken from Buffer or atob, which accept whitespace, missing padding and
// non-canonical final characters: a key with a typo must be refused, not read
// as another key.

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Each character's 6-bit value, or -1. */
const values = new Int8Array(128).fill(-1);
for (let value = 0; value < alphabet.length; value++) values[alphabet.charCodeAt(value)] = value;

/** `bytes` as padded standard base64. */
export function encodeBase64(bytes: Uint8Array): string {
  let text = '';
  for (let position = 0; position < bytes.length; position += 3) {
    const first = bytes[position] ?? 0;
    const second = bytes[position + 1] ?? 0;
    const third = bytes[position + 2] ?? 0;
    const left = bytes.length - position;
    text += alphabet[first >>> 2];
    text += alphabet[((first & 3) << 4) | (second >>> 4)];
    text += left > 1 ? alphabet[((second & 15) << 2) | (third >>> 6)] : '=';
    text += left > 2 ? alphabet[third & 63] : '=';
  }
  return text;
}

/**
 * The bytes of padded, canonical standard base64 `text`, or `undefined` when
 * it is anything else (a character outside the alphabet, whitespace, missing
 * or misplaced padding, bits set after the last byte).
 */
export function decodeBase64(text: string): Uint8Array | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const bytes = new Uint8Array((text.length / 4) * 3 - padding);
  let bits = 0;
  let count = 0;
  let written = 0;
  for (let position = 0; position < text.length - padding; position++) {
    const code = text.charCodeAt(position);
    const value = code < 128 ? (values[code] ?? -1) : -1;
    if (value < 0) return undefined;
    bits = ((bits << 6) | value) & 0xffffff;
    count += 6;
    if (count >= 8) {
      count -= 8;
      bytes[written++] = (bits >>> count) & 0xff;
    }
  }
  // Canonical: the bits left over after the last byte are zero.
  if ((bits & ((1 << count) - 1)) !== 0) return undefined;
  return written === bytes.length ? bytes : undefined;
}
