/**
 * What the engine knows about each peer's protocol: whether its messages
 * carried `vig` (so it is a Vig node and may later receive extensions), and
 * which encoding options every datagram to it must respect.
 */
import type { VignetteMessage } from '@vig/wire';
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

  /** Notes what `message`, received from `sender`, says about the sender. */
  noteMessage(sender: PeerAddress, message: VignetteMessage): void {
    if (message.vig !== undefined) this.#vigVersions.set(sender, message.vig);
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
   * The split options for a datagram to `peer`: never dense (no extension is
   * sent yet, even to Vig peers), and at most
   * {@link PLAIN_PEER_MAX_DATAGRAM_BYTES} unless `peer` is a Vig node.
   */
  splitOptionsFor(peer: PeerAddress, budget: number): SplitOptions {
    const limit = this.isVigPeer(peer) ? budget : Math.min(budget, PLAIN_PEER_MAX_DATAGRAM_BYTES);
    return { budget: limit, dense: 'never' };
  }
}
