// Exact sizes of the msgpack encodings the writer produces, so that the
// splitter can fill datagrams without encoding to find out.

/** Bytes of a non-negative integer (below 2^64) in its smallest msgpack encoding. */
export function unsignedIntegerSize(value: number): number {
  if (value < 0x80) return 1;
  if (value < 0x100) return 2;
  if (value < 0x1_0000) return 3;
  if (value <= 0xffff_ffff) return 5;
  return 9;
}

/** Bytes of a map or array header for `count` elements. */
export function containerHeaderSize(count: number): number {
  if (count < 0x10) return 1;
  if (count < 0x1_0000) return 3;
  return 5;
}

/** Bytes of a string header the writer uses (fixstr, str16 or str32; never str8). */
export function stringHeaderSize(byteLength: number): number {
  if (byteLength < 0x20) return 1;
  if (byteLength < 0x1_0000) return 3;
  return 5;
}

/** Bytes of a bin header (bin8, bin16 or bin32). */
export function binaryHeaderSize(byteLength: number): number {
  if (byteLength < 0x100) return 2;
  if (byteLength < 0x1_0000) return 3;
  return 5;
}
