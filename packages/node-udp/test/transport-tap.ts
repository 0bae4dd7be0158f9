import type { PeerAddress, Transport } from '@vig/gossip';

/** One datagram a tap saw arrive. */
export interface TappedDatagram {
  /** A copy of the bytes as they came off the wire. */
  readonly bytes: Uint8Array;
  readonly from: PeerAddress;
}

/** A transport that records every datagram it receives, as an eavesdropper would. */
export interface TransportTap extends Transport {
  /** What arrived, in order (at most `limit` datagrams). */
  readonly received: readonly TappedDatagram[];
}

/**
 * Wraps `inner` so that every datagram received is also kept, as raw bytes
 * (below any sealing put on top), up to `limit` datagrams.
 */
export function tapTransport(inner: Transport, limit = 10_000): TransportTap {
  const received: TappedDatagram[] = [];
  return {
    localAddress: inner.localAddress,
    maxDatagramBytes: inner.maxDatagramBytes,
    received,
    send: (to, bytes) => inner.send(to, bytes),
    onReceive: (handler) =>
      inner.onReceive((bytes, from) => {
        if (received.length < limit) received.push({ bytes: bytes.slice(), from });
        handler(bytes, from);
      }),
    close: () => inner.close(),
  };
}
