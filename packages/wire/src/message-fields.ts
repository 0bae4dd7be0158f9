// The field names of a vignette message, as the bytes the encoder writes
// (fixstr headers included) and as codes the decoder matches them to.

/** `"key"` as a msgpack fixstr. */
export const KEY_FIELD = Uint8Array.of(0xa3, 0x6b, 0x65, 0x79);
/** `"vector"` as a msgpack fixstr. */
export const VECTOR_FIELD = Uint8Array.of(0xa6, 0x76, 0x65, 0x63, 0x74, 0x6f, 0x72);
/** `"ttl"` as a msgpack fixstr. */
export const TTL_FIELD = Uint8Array.of(0xa3, 0x74, 0x74, 0x6c);
/** `"full"` as a msgpack fixstr followed by `true` (the field is only written when true). */
export const FULL_FIELD_TRUE = Uint8Array.of(0xa4, 0x66, 0x75, 0x6c, 0x6c, 0xc3);
/** `"dense"` as a msgpack fixstr. */
export const DENSE_FIELD = Uint8Array.of(0xa5, 0x64, 0x65, 0x6e, 0x73, 0x65);

/** `"vig"` as a msgpack fixstr. */
export const VIG_FIELD = Uint8Array.of(0xa3, 0x76, 0x69, 0x67);
/** `"client"` as a msgpack fixstr. */
export const CLIENT_FIELD = Uint8Array.of(0xa6, 0x63, 0x6c, 0x69, 0x65, 0x6e, 0x74);

/** Writes `field` at `position` byte by byte (faster than `set` for a few bytes); returns the next position. */
export function writeFieldAt(bytes: Uint8Array, position: number, field: Uint8Array): number {
  for (let i = 0; i < field.length; i++) bytes[position + i] = field[i];
  return position + field.length;
}

/** Codes for the field names read from a message (plain numbers keep the switch on them fast). */
export const UNKNOWN_FIELD_CODE = 0;
export const KEY_FIELD_CODE = 1;
export const VECTOR_FIELD_CODE = 2;
export const TTL_FIELD_CODE = 3;
export const FULL_FIELD_CODE = 4;
export const DENSE_FIELD_CODE = 5;
export const VIG_FIELD_CODE = 6;
export const CLIENT_FIELD_CODE = 7;

/** Matches the name in `bytes[start .. start + length)` against the known fields. */
export function fieldCodeAt(bytes: Uint8Array, start: number, length: number): number {
  const first = bytes[start];
  switch (length) {
    case 3:
      if (first === 0x6b && bytes[start + 1] === 0x65 && bytes[start + 2] === 0x79) {
        return KEY_FIELD_CODE;
      }
      if (first === 0x74 && bytes[start + 1] === 0x74 && bytes[start + 2] === 0x6c) {
        return TTL_FIELD_CODE;
      }
      if (first === 0x76 && bytes[start + 1] === 0x69 && bytes[start + 2] === 0x67) {
        return VIG_FIELD_CODE;
      }
      return UNKNOWN_FIELD_CODE;
    case 4:
      return first === 0x66 && matchesRest(bytes, start, FULL_FIELD_TRUE, 4)
        ? FULL_FIELD_CODE
        : UNKNOWN_FIELD_CODE;
    case 5:
      return first === 0x64 && matchesRest(bytes, start, DENSE_FIELD, 5)
        ? DENSE_FIELD_CODE
        : UNKNOWN_FIELD_CODE;
    case 6:
      if (first === 0x76) {
        return matchesRest(bytes, start, VECTOR_FIELD, 6) ? VECTOR_FIELD_CODE : UNKNOWN_FIELD_CODE;
      }
      return first === 0x63 && matchesRest(bytes, start, CLIENT_FIELD, 6)
        ? CLIENT_FIELD_CODE
        : UNKNOWN_FIELD_CODE;
    default:
      return UNKNOWN_FIELD_CODE;
  }
}

/** True when the name's bytes equal `field`'s (after its one-byte header). */
function matchesRest(bytes: Uint8Array, start: number, field: Uint8Array, length: number): boolean {
  for (let i = 1; i < length; i++) {
    if (bytes[start + i] !== field[i + 1]) return false;
  }
  return true;
}
