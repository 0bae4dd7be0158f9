/**
 * Which addresses a node answers without an amplification budget: those it
 * has reason to believe really sent what arrived from them, so that answering
 * cannot reflect traffic at a victim whose address was spoofed. An address is
 * validated when
 *
 * 1. the transport authenticates every datagram (`authenticatedTransport`);
 * 2. it is a **live member** (`alive` or `suspect`): its heartbeat was seen
 *    growing;
 * 3. this node **contacted it first** (a seed, a re-contacted dead peer, a
 *    probed peer) and then heard from it;
 * 4. it is a **loopback address** (`127.0.0.0/8`, `[::1]`) and
 *    `trustLoopback` is on: hosts drop datagrams from outside that claim a
 *    loopback source, so such a source is on this host, which can reach the
 *    victim directly anyway.
 *
 * Without authentication none of this is proof against an attacker who can
 * forge membership (peer keys gossip like any key); it takes away the cheap
 * reflection, one small spoofed query for one large answer.
 */
import { RecencyMap } from './recency-map.js';
import type { PeerAddress } from './transport.js';

/** Options of {@link SourceValidation}. */
export interface SourceValidationOptions {
  /** Every datagram received is authenticated by the transport: every address is validated. */
  readonly authenticatedTransport: boolean;
  /** Loopback addresses count as validated. */
  readonly trustLoopback: boolean;
  /** Whether `address` is a live member of the membership table. */
  readonly isLiveMember: (address: PeerAddress) => boolean;
  /** The most contacted addresses remembered (oldest forgotten first). */
  readonly maxContacted: number;
}

/** Tells validated addresses from the rest. */
export class SourceValidation {
  readonly #options: SourceValidationOptions;
  /** Addresses this node contacted first: false until heard from, then true. */
  readonly #contacted: RecencyMap<PeerAddress, boolean>;

  constructor(options: SourceValidationOptions) {
    this.#options = options;
    this.#contacted = new RecencyMap(options.maxContacted);
  }

  /** Notes that this node sent `address` something of its own accord (an announce, a probe). */
  contacted(address: PeerAddress): void {
    if (this.#contacted.get(address) !== true) this.#contacted.set(address, false);
  }

  /** Notes a valid datagram from `address`: validates it if this node contacted it first. */
  heardFrom(address: PeerAddress): void {
    if (this.#contacted.get(address) === false) this.#contacted.set(address, true);
  }

  /** Whether `address` is validated: answers to it need no budget. */
  isValidated(address: PeerAddress): boolean {
    const { authenticatedTransport, trustLoopback, isLiveMember } = this.#options;
    return (
      authenticatedTransport ||
      isLiveMember(address) ||
      (trustLoopback && isLoopbackAddress(address)) ||
      this.#contacted.get(address) === true
    );
  }
}

/**
 * Whether `address` is on the loopback network: `127.x.x.x:port`,
 * `[::1]:port`, an IPv4-mapped `[::ffff:127.x.x.x]:port`, or `localhost:port`.
 */
export function isLoopbackAddress(address: string): boolean {
  return (
    address.startsWith('127.') ||
    address.startsWith('[::1]:') ||
    address.startsWith('[::ffff:127.') ||
    address.startsWith('localhost:')
  );
}
