import { InvalidPeerAddressError, formatPeerAddress, parsePeerAddress } from '@vig/gossip';
import type { PeerAddress } from '@vig/gossip';

/** Host and port of a peer, as `socket.send` takes them. */
export interface PeerEndpoint {
  readonly host: string;
  readonly port: number;
}

/** How many addresses each direction remembers; past that, it starts afresh. */
const CACHE_LIMIT = 4096;

/**
 * Translates between peer addresses and socket endpoints, both ways, with a
 * bounded memory of recent ones: a node talks to the same few peers over and
 * over, so each datagram costs a map lookup instead of a parse or a format.
 */
export class EndpointCache {
  readonly #endpoints = new Map<string, PeerEndpoint>();
  readonly #addresses = new Map<string, Map<number, PeerAddress | null>>();
  #addressCount = 0;

  /**
   * Host and port of `address`.
   *
   * @throws {@link InvalidPeerAddressError} when it is not `host:port` with a port in 1..65535
   */
  endpoint(address: PeerAddress): PeerEndpoint {
    const known = this.#endpoints.get(address);
    if (known !== undefined) return known;
    const parsed = typeof address === 'string' ? parsePeerAddress(address) : undefined;
    if (parsed === undefined) throw new InvalidPeerAddressError(String(address));
    if (this.#endpoints.size >= CACHE_LIMIT) this.#endpoints.clear();
    this.#endpoints.set(address, parsed);
    return parsed;
  }

  /**
   * The canonical address of a sender (IPv6 in brackets), or undefined when
   * it has none, as for a link-local IPv6 sender with a zone (`fe80::1%eth0`).
   */
  address(host: string, port: number): PeerAddress | undefined {
    let byPort = this.#addresses.get(host);
    const known = byPort?.get(port);
    if (known !== undefined) return known ?? undefined;
    if (this.#addressCount >= CACHE_LIMIT) {
      this.#addresses.clear();
      this.#addressCount = 0;
      byPort = undefined;
    }
    if (byPort === undefined) {
      byPort = new Map();
      this.#addresses.set(host, byPort);
    }
    const formatted = formatOrNull(host, port);
    byPort.set(port, formatted);
    this.#addressCount += 1;
    return formatted ?? undefined;
  }
}

/** `host:port`, or null when that is no valid peer address. */
function formatOrNull(host: string, port: number): PeerAddress | null {
  try {
    return formatPeerAddress(host, port);
  } catch {
    return null;
  }
}
