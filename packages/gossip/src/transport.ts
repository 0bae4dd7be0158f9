import { VigError } from '@vig/crdt-core';

/**
 * Where a peer listens, as `host:port` (IPv6 hosts in brackets:
 * `[::1]:7946`). The same string a `n:host:port` peer key carries.
 */
export type PeerAddress = string & { readonly __peerAddress: true };

/** Receives one datagram and the address it came from. */
export type DatagramHandler = (bytes: Uint8Array, from: PeerAddress) => void;

/**
 * What the protocol engine sends and receives through: unreliable, unordered
 * datagrams, as UDP gives. Implementations: the simulated network
 * (`@vig/gossip/testing`) and `@vig/node-udp`'s dgram transport. Every one
 * passes `runTransportTests` from `@vig/gossip/testing`.
 */
export interface Transport {
  /** This end's address, as peers see it and as it appears in `n:` keys. */
  readonly localAddress: PeerAddress;
  /** The largest datagram `send` accepts. */
  readonly maxDatagramBytes: number;
  /**
   * Sends one datagram. Loss is silent, as with UDP: the engine repairs it.
   *
   * @throws {@link TransportClosedError} after `close`
   * @throws {@link DatagramTooLargeError} above `maxDatagramBytes`
   */
  send(to: PeerAddress, bytes: Uint8Array): void;
  /** Sets the one receiver of incoming datagrams (replacing any earlier one). */
  onReceive(handler: DatagramHandler): void;
  /** Stops receiving and releases every resource; later sends throw. */
  close(): Promise<void>;
}

/** A send on a transport after `close`. */
export class TransportClosedError extends VigError {
  static override readonly name = 'TransportClosedError';
  override readonly name = 'TransportClosedError';
  readonly address: string;

  constructor(address: string, options?: ErrorOptions) {
    super(`transport ${address} is closed: nothing more can be sent`, options);
    this.address = address;
  }
}

/** A datagram larger than the transport carries. */
export class DatagramTooLargeError extends VigError {
  static override readonly name = 'DatagramTooLargeError';
  override readonly name = 'DatagramTooLargeError';
  readonly size: number;
  readonly limit: number;

  constructor(size: number, limit: number, options?: ErrorOptions) {
    super(`datagram of ${size} bytes is over the transport's limit of ${limit} bytes`, options);
    this.size = size;
    this.limit = limit;
  }
}

/** An address that is not `host:port` with a port in 1..65535. */
export class InvalidPeerAddressError extends VigError {
  static override readonly name = 'InvalidPeerAddressError';
  override readonly name = 'InvalidPeerAddressError';
  readonly address: string;

  constructor(address: string, options?: ErrorOptions) {
    super(
      `peer address ${JSON.stringify(address)} is invalid: expected host:port (IPv6 as [host]:port) with a port in 1..65535`,
      options,
    );
    this.address = address;
  }
}

const addressPattern = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/;

/** Host and port of an address, or undefined when it is not `host:port`. */
export function parsePeerAddress(address: string): { host: string; port: number } | undefined {
  const match = addressPattern.exec(address);
  if (match === null) return undefined;
  const port = Number(match[3]);
  if (port < 1 || port > 65_535) return undefined;
  return { host: match[1] ?? match[2] ?? '', port };
}

/**
 * The string as a {@link PeerAddress}.
 *
 * @throws {@link InvalidPeerAddressError}
 */
export function peerAddress(address: string): PeerAddress {
  if (parsePeerAddress(address) === undefined) throw new InvalidPeerAddressError(address);
  return address as PeerAddress;
}

/** `host` and `port` as an address (brackets around IPv6 hosts). */
export function formatPeerAddress(host: string, port: number): PeerAddress {
  return peerAddress(host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);
}
