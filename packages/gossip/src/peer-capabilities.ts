/**
 * What the engine knows about each peer's protocol: whether its messages
 * carried `vig` (so it is a Vig node and may receive extensions: sync
 * messages and the dense field), and which encoding options every datagram
 * to it must respect.
 */
import type { SplitOptions } from '@vig/wire';
import type { PeerAddress } from './transport.js';

/**
 * The largest datagram a peer not known to be a Vig node reads: the Ruby
 * prototype reads 1500 bytes per datagram.
 */
export const PLAIN_PEER_MAX_DATAGRAM_BYTES = 1500;

/** Remembers which peers showed the `vig` marker, and the version they sent. */
export class PeerCapabilities {
  readonly #vigVersions = new Map<PeerAddress, number>();
  readonly #heardFrom = new Set<PeerAddress>();

  /** Notes the `vig` field of a message received from `sender` (absent: a plain message). */
  noteVersion(sender: PeerAddress, vig: number | undefined): void {
    this.#heardFrom.add(sender);
    if (vig !== undefined) this.#vigVersions.set(sender, vig);
  }

  /** Whether `peer` has sent messages and none of them carried `vig`: a Ruby or Clojure node. */
  isPlainPeer(peer: PeerAddress): boolean {
    return this.#heardFrom.has(peer) && !this.#vigVersions.has(peer);
  }

  /** Whether `peer` has shown it is a Vig node. */
  isVigPeer(peer: PeerAddress): boolean {
    return this.#vigVersions.has(peer);
  }

  /** The `vig` protocol version `peer` last sent, if it ever sent one. */
  vigVersion(peer: PeerAddress): number | undefined {
    return this.#vigVersions.get(peer);
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
