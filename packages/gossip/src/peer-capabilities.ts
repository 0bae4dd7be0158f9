/**
 * What the engine knows about each peer's protocol: whether its messages
 * carried `vig` (so it is a Vig node and may receive extensions: sync
 * messages and the dense field), and which encoding options every datagram
 * to it must respect.
 */
import type { SplitOptions } from '@vig/wire';
import { RecencyMap } from './recency-map.js';
import type { PeerAddress } from './transport.js';

/**
 * The largest datagram a peer not known to be a Vig node reads: the Ruby
 * prototype reads 1500 bytes per datagram.
 */
export const PLAIN_PEER_MAX_DATAGRAM_BYTES = 1500;

/** Options of {@link PeerCapabilities}. */
export interface PeerCapabilitiesOptions {
  /**
   * Whether `address` is a known peer (one with a peer key): known peers are
   * remembered for good, since the store bounds how many there are.
   */
  readonly isKnownPeer: (address: PeerAddress) => boolean;
  /** The most other senders remembered, least recently heard from forgotten first. */
  readonly maxStrangers: number;
}

/** A sender heard from without `vig`. */
const PLAIN = -1;

/**
 * Remembers which senders showed the `vig` marker, and the version they
 * sent: known peers for good, other senders (clients, strangers, spoofed
 * addresses) in a bounded table, so any number of source addresses costs
 * bounded memory.
 */
export class PeerCapabilities {
  /** Version per known peer, or {@link PLAIN} when heard from only without `vig`. */
  readonly #known = new Map<PeerAddress, number>();
  readonly #strangers: RecencyMap<PeerAddress, number>;
  readonly #isKnownPeer: (address: PeerAddress) => boolean;

  constructor(options: PeerCapabilitiesOptions) {
    this.#isKnownPeer = options.isKnownPeer;
    this.#strangers = new RecencyMap(options.maxStrangers);
  }

  /** Notes the `vig` field of a message received from `sender` (absent: a plain message). */
  noteVersion(sender: PeerAddress, vig: number | undefined): void {
    const known = this.#known.get(sender);
    if (known !== undefined) {
      if (vig !== undefined && vig !== known) this.#known.set(sender, vig);
      return;
    }
    const stranger = this.#strangers.get(sender);
    const version = vig ?? stranger ?? PLAIN;
    if (this.#isKnownPeer(sender)) {
      this.#strangers.delete(sender);
      this.#known.set(sender, version);
    } else if (stranger !== version || vig !== undefined) {
      this.#strangers.set(sender, version);
    } else {
      this.#strangers.refresh(sender);
    }
  }

  /** Whether `peer` has sent messages and none of them carried `vig`: a Ruby or Clojure node. */
  isPlainPeer(peer: PeerAddress): boolean {
    return this.#versionOf(peer) === PLAIN;
  }

  /** Whether `peer` has shown it is a Vig node. */
  isVigPeer(peer: PeerAddress): boolean {
    const version = this.#versionOf(peer);
    return version !== undefined && version !== PLAIN;
  }

  /** The `vig` protocol version `peer` last sent, if it ever sent one. */
  vigVersion(peer: PeerAddress): number | undefined {
    const version = this.#versionOf(peer);
    return version === PLAIN ? undefined : version;
  }

  /** Senders remembered outside the known peers (at most `maxStrangers`). */
  get strangers(): number {
    return this.#strangers.size;
  }

  #versionOf(peer: PeerAddress): number | undefined {
    return this.#known.get(peer) ?? this.#strangers.get(peer);
  }

  /**
   * The split options for a vignette message to `peer`: never dense (plain
   * peers cannot read it, and the sparse map is as small for the vectors
   * gossip carries today), and at most {@link PLAIN_PEER_MAX_DATAGRAM_BYTES}
   * unless `peer` is a Vig node.
   */
  splitOptionsFor(peer: PeerAddress, budget: number): SplitOptions {
    const limit = this.isVigPeer(peer) ? budget : Math.min(budget, PLAIN_PEER_MAX_DATAGRAM_BYTES);
    return { budget: limit, dense: 'never' };
  }
}
