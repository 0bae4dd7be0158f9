/** The bytes of all `datagrams`. */
export function totalBytes(datagrams: readonly Uint8Array[]): number {
  let bytes = 0;
  for (const datagram of datagrams) bytes += datagram.byteLength;
  return bytes;
}
