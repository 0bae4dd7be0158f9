import { DatagramTooLargeError, TransportClosedError } from '@vig/gossip';
import type { DatagramHandler, PeerAddress, Transport } from '@vig/gossip';
import { SEALED_OVERHEAD, createReplayGuard, openDatagram, sealDatagram } from '@vig/wire';
import type { Keyring, ReplayGuard, ReplayGuardOptions } from '@vig/wire';
import { realTimeScheduler } from './node-scheduler.js';
import { SealedTransportCounters } from './sealed-transport-stats.js';
import type { SealedTransportStats } from './sealed-transport-stats.js';

/** Options of {@link createSealedTransport}. */
export interface SealedTransportOptions {
  /**
   * This end's clock, ms since 1970: stamps the datagrams sealed and judges
   * those opened. Default: the node's clock (`realTimeScheduler.now`, epoch
   * ms that never go back within a process).
   */
  readonly now?: () => number;
  /** The freshness rule's settings (`@vig/wire`'s `createReplayGuard`); the defaults suit every cluster. */
  readonly replay?: ReplayGuardOptions;
}

/** A {@link Transport} whose datagrams travel sealed under a cluster keyring. */
export interface SealedTransport extends Transport {
  /** The keyring in use. */
  readonly keyring: Keyring;
  /**
   * Uses `keyring` from the next datagram on, sent or received: how keys
   * rotate without a restart. Records of the freshness rule are kept.
   */
  setKeyring(keyring: Keyring): void;
  /** Datagrams sealed, opened (by key) and dropped (by reason). */
  stats(): SealedTransportStats;
}

/**
 * Wraps `inner` so that every datagram travels sealed under `keyring`
 * (`@vig/wire`'s AES-256-GCM envelope, 40 bytes more per datagram):
 * `send` seals with the primary key; a received datagram is opened with
 * whichever key of the ring it names, checked by the freshness rule against
 * replays, and handed on as its plain bytes. Anything else (plain msgpack,
 * other keys, other cluster labels, changed bytes, stale replays) is
 * dropped, answering nothing, and counted by reason in `stats()`.
 * `maxDatagramBytes` is the inner one less 40. Closing it closes `inner`.
 *
 * @example
 * ```ts
 * import { createKeyring } from '@vig/wire';
 * import { createSealedTransport, createUdpTransport, nodeEnvelopeCrypto } from '@vig/node-udp';
 *
 * const keyring = createKeyring({ primary: process.env.VIG_KEY ?? '', crypto: nodeEnvelopeCrypto });
 * const transport = createSealedTransport(await createUdpTransport({ bind: '10.0.0.5:7946' }), keyring);
 * ```
 */
export function createSealedTransport(
  inner: Transport,
  keyring: Keyring,
  options: SealedTransportOptions = {},
): SealedTransport {
  return new Sealed(inner, keyring, options);
}

class Sealed implements SealedTransport {
  readonly localAddress: PeerAddress;
  readonly maxDatagramBytes: number;
  readonly #inner: Transport;
  readonly #now: () => number;
  readonly #guard: ReplayGuard;
  readonly #counters = new SealedTransportCounters();
  #keyring: Keyring;
  #closed = false;

  constructor(inner: Transport, keyring: Keyring, options: SealedTransportOptions) {
    this.localAddress = inner.localAddress;
    this.maxDatagramBytes = Math.max(0, inner.maxDatagramBytes - SEALED_OVERHEAD);
    this.#inner = inner;
    this.#keyring = keyring;
    this.#now = options.now ?? (() => realTimeScheduler.now());
    this.#guard = createReplayGuard(options.replay);
  }

  get keyring(): Keyring {
    return this.#keyring;
  }

  setKeyring(keyring: Keyring): void {
    this.#keyring = keyring;
  }

  send(to: PeerAddress, bytes: Uint8Array): void {
    if (this.#closed) throw new TransportClosedError(this.localAddress);
    if (bytes.byteLength > this.maxDatagramBytes) {
      throw new DatagramTooLargeError(bytes.byteLength, this.maxDatagramBytes);
    }
    this.#inner.send(to, sealDatagram(this.#keyring, bytes, Math.floor(this.#now())));
    this.#counters.datagramsSealed += 1;
  }

  onReceive(handler: DatagramHandler): void {
    this.#inner.onReceive((bytes, from) => {
      const opened = openDatagram(this.#keyring, bytes);
      if (!opened.ok) {
        this.#counters.drop(opened.reason);
        return;
      }
      const verdict = this.#guard.check(from, opened.timestamp, this.#now());
      if (verdict !== 'fresh') {
        this.#counters.drop(verdict);
        return;
      }
      this.#counters.opened(opened.keyId);
      handler(opened.plaintext, from);
    });
  }

  stats(): SealedTransportStats {
    return this.#counters.snapshot(this.#keyring.label, this.#keyring.keyIds);
  }

  close(): Promise<void> {
    this.#closed = true;
    return this.#inner.close();
  }
}
