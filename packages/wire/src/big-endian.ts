// Big-endian integers in byte arrays, for the sealed envelope's header
// (network byte order). Positions are the caller's to check.

/** The unsigned 32-bit big-endian integer at `offset`. */
export function readUint32BE(bytes: Uint8Array, offset: number): number {
  return (
    (((bytes[offset] ?? 0) << 24) |
      ((bytes[offset + 1] ?? 0) << 16) |
      ((bytes[offset + 2] ?? 0) << 8) |
      (bytes[offset + 3] ?? 0)) >>>
    0
  );
}

/** Writes `value` (0..2^32−1) as an unsigned 32-bit big-endian integer at `offset`. */
export function writeUint32BE(bytes: Uint8Array, offset: number, value: number): void {
  bytes[offset] = value >>> 24;
  bytes[offset + 1] = (value >>> 16) & 0xff;
  bytes[offset + 2] = (value >>> 8) & 0xff;
  bytes[offset + 3] = value & 0xff;
}

/** The unsigned 48-bit big-endian integer at `offset`. */
export function readUint48BE(bytes: Uint8Array, offset: number): number {
  const high = ((bytes[offset] ?? 0) << 8) | (bytes[offset + 1] ?? 0);
  return high * 2 ** 32 + readUint32BE(bytes, offset + 2);
}

/** Writes `value` (0..2^48−1) as an unsigned 48-bit big-endian integer at `offset`. */
export function writeUint48BE(bytes: Uint8Array, offset: number, value: number): void {
  const high = Math.floor(value / 2 ** 32);
  bytes[offset] = high >>> 8;
  bytes[offset + 1] = high & 0xff;
  writeUint32BE(bytes, offset + 2, value >>> 0);
}
