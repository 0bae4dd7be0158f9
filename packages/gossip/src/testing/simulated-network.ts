import { seededRandom } from '../scheduler.js';
import type { RandomSource } from '../scheduler.js';
import { DatagramTooLargeError, TransportClosedError, peerAddress } from '../transport.js';
import type { DatagramHandler, PeerAddress, Transport } from '../transport.js';
import { DEFAULT_LINK_CONDITIONS, resolveLinkConditions } from './link-conditions.js';
import type { LinkConditions, ResolvedLinkConditions } from './link-conditions.js';
import {
  AddressInUseError,
  InvalidDatagramLimitError,
  OverlappingPartitionError,
  UnknownAddressError,
} from './simulated-network-errors.js';
import { copyTrafficCounters, emptyTrafficCounters } from './traffic-counters.js';
import type { DropReason, TrafficCounters } from './traffic-counters.js';
import { createVirtualScheduler } from './virtual-scheduler.js';
import type { VirtualScheduler } from './virtual-scheduler.js';

/** The largest UDP payload over IPv4: the default `maxDatagramBytes`. */
export const DEFAULT_MAX_DATAGRAM_BYTES = 65_507;

/** Options of {@link createSimulatedNetwork}. */
export interface SimulatedNetworkOptions {
  /** Every random choice of the links (and {@link SimulatedNetwork.random}) replays from it. */
  readonly seed: number;
  /** Conditions of every link not given its own; fields left out take {@link DEFAULT_LINK_CONDITIONS}. */
  readonly defaults?: LinkConditions;
  /** The largest datagram a transport accepts; default {@link DEFAULT_MAX_DATAGRAM_BYTES}. */
  readonly maxDatagramBytes?: number;
}

/** One copy of a datagram reaching its receiver. */
export interface DeliveryEvent {
  /** The datagram's number in this network (its duplicate carries the same number). */
  readonly datagram: number;
  /** The sender. */
  readonly from: PeerAddress;
  /** The receiver. */
  readonly to: PeerAddress;
  /** What the receiver gets (the same array: do not change it). */
  readonly bytes: Uint8Array;
  /** Virtual time of the `send`. */
  readonly sentAt: number;
  /** Virtual time of this delivery. */
  readonly deliveredAt: number;
  /** Whether this is the extra copy a duplicating link made. */
  readonly duplicate: boolean;
}

/** A datagram, or one copy of it, that the network dropped. */
export interface DropEvent {
  /** The datagram's number in this network. */
  readonly datagram: number;
  /** The sender. */
  readonly from: PeerAddress;
  /** The address it was sent to. */
  readonly to: PeerAddress;
  /** Its size in bytes. */
  readonly byteLength: number;
  /** Why it was dropped. */
  readonly reason: DropReason;
  /** Virtual time of the `send`. */
  readonly sentAt: number;
  /** Virtual time of the drop: the send, or the moment the copy was due. */
  readonly droppedAt: number;
}

/**
 * An in-memory network of {@link Transport}s in virtual time, with per-link
 * loss, delay, jitter, duplication and reordering, partitions, and node
 * crashes, every random choice replaying from a seed. Datagrams are copied
 * when sent and delivered by timers of {@link SimulatedNetwork.scheduler}
 * (never inside `send`), so nothing moves until the scheduler runs.
 */
export interface SimulatedNetwork {
  /** The virtual clock every delivery runs on; give it to the engines under test too. */
  readonly scheduler: VirtualScheduler;
  /** A random source seeded from the network's seed, for the code under test (the links draw from their own). */
  readonly random: RandomSource;
  /** The largest datagram any transport of this network accepts. */
  readonly maxDatagramBytes: number;
  /** Copies sent and not yet delivered or dropped. */
  readonly inFlight: number;
  /**
   * A transport at `address` (`host:port`).
   *
   * @throws {@link AddressInUseError} when an open or crashed node holds it (a closed one frees it)
   * @throws {@link InvalidPeerAddressError} when it is not `host:port`
   */
  transport(address: string): Transport;
  /** Replaces the default conditions; fields left out take {@link DEFAULT_LINK_CONDITIONS}. */
  setDefaults(conditions: LinkConditions): void;
  /**
   * Sets the conditions of datagrams from `from` to `to` (one direction);
   * fields left out follow the defaults, so `{}` resets the link.
   *
   * @throws {@link InvalidLinkConditionsError}
   */
  setLink(from: string, to: string, conditions: LinkConditions): void;
  /** The conditions datagrams from `from` to `to` meet now. */
  linkConditions(from: string, to: string): ResolvedLinkConditions;
  /**
   * Splits the network: no datagram crosses between groups, whether sent
   * during the partition or in flight when it began. Addresses not listed
   * form one more group together. Replaces any earlier partition.
   *
   * @throws {@link OverlappingPartitionError} when an address is in two groups
   */
  partition(...groups: readonly (readonly string[])[]): void;
  /** Ends the partition: every address can reach every other again. */
  heal(): void;
  /**
   * Crashes the node at `address`: its transport receives nothing more, what
   * it sends is dropped, and every copy in flight to it is lost.
   *
   * @throws {@link UnknownAddressError}
   */
  crash(address: string): void;
  /**
   * A fresh transport on `address`, as after a reboot (a running node is
   * crashed first). The transport from before the crash stays dead.
   *
   * @throws {@link UnknownAddressError}
   */
  restart(address: string): Transport;
  /** Whether the node at `address` is crashed (and not restarted). */
  isCrashed(address: string): boolean;
  /** A snapshot of one address's traffic (zeros for an address never seen). */
  counters(address: string): TrafficCounters;
  /** A snapshot of the whole network's traffic. */
  totals(): TrafficCounters;
  /** Calls `listener` at every delivery, before the receiver; returns a function that stops it. */
  onDelivery(listener: (event: DeliveryEvent) => void): () => void;
  /** Calls `listener` at every drop; returns a function that stops it. */
  onDrop(listener: (event: DropEvent) => void): () => void;
}

/** One address's state in the network. */
interface NetworkNode {
  readonly address: PeerAddress;
  /** The transport the address delivers to, if one was ever opened. */
  current: SimulatedTransport | undefined;
  crashed: boolean;
  /** The partition group (0: not listed). */
  group: number;
  readonly counters: TrafficCounters;
  /** Conditions set for links from this node, as given. */
  readonly linkOverrides: Map<PeerAddress, LinkConditions>;
  /** The same, resolved over the defaults. */
  readonly links: Map<PeerAddress, ResolvedLinkConditions>;
}

/** What a transport needs from its network. */
interface DatagramRouter {
  route(transport: SimulatedTransport, to: PeerAddress, bytes: Uint8Array): void;
}

/** One node's end of the simulated network. */
class SimulatedTransport implements Transport {
  readonly localAddress: PeerAddress;
  readonly maxDatagramBytes: number;
  readonly node: NetworkNode;
  readonly #router: DatagramRouter;
  closed = false;
  handler: DatagramHandler | undefined;

  constructor(node: NetworkNode, router: DatagramRouter, maxDatagramBytes: number) {
    this.node = node;
    this.localAddress = node.address;
    this.maxDatagramBytes = maxDatagramBytes;
    this.#router = router;
  }

  send(to: PeerAddress, bytes: Uint8Array): void {
    if (this.closed) throw new TransportClosedError(this.localAddress);
    if (bytes.byteLength > this.maxDatagramBytes) {
      throw new DatagramTooLargeError(bytes.byteLength, this.maxDatagramBytes);
    }
    this.#router.route(this, to, bytes);
  }

  onReceive(handler: DatagramHandler): void {
    this.handler = handler;
  }

  close(): Promise<void> {
    this.closed = true;
    this.handler = undefined;
    return Promise.resolve();
  }
}

/**
 * A simulated network in virtual time, deterministic from `options.seed`.
 *
 * @example
 * ```ts
 * const network = createSimulatedNetwork({ seed: 1, defaults: { loss: 0.1, delay: 20 } });
 * const alice = network.transport('127.0.0.1:7946');
 * const bob = network.transport('127.0.0.2:7946');
 * bob.onReceive((bytes, from) => console.log(bytes.length, 'bytes from', from));
 * alice.send(bob.localAddress, new Uint8Array([1, 2, 3]));
 * network.scheduler.runUntilIdle(1_000); // "3 bytes from 127.0.0.1:7946", unless lost
 * ```
 *
 * @throws {@link InvalidLinkConditionsError} for out-of-range defaults
 * @throws {@link InvalidDatagramLimitError} for a `maxDatagramBytes` that is not a positive integer
 */
export function createSimulatedNetwork(options: SimulatedNetworkOptions): SimulatedNetwork {
  return new Network(options);
}

class Network implements SimulatedNetwork, DatagramRouter {
  readonly scheduler: VirtualScheduler = createVirtualScheduler();
  readonly random: RandomSource;
  readonly maxDatagramBytes: number;
  readonly #linkRandom: RandomSource;
  readonly #nodes = new Map<string, NetworkNode>();
  readonly #totals = emptyTrafficCounters();
  readonly #deliveryListeners: ((event: DeliveryEvent) => void)[] = [];
  readonly #dropListeners: ((event: DropEvent) => void)[] = [];
  #defaults: ResolvedLinkConditions;
  #inFlight = 0;
  #nextDatagram = 0;

  constructor(options: SimulatedNetworkOptions) {
    const limit = options.maxDatagramBytes ?? DEFAULT_MAX_DATAGRAM_BYTES;
    if (!(Number.isInteger(limit) && limit > 0)) throw new InvalidDatagramLimitError(limit);
    this.maxDatagramBytes = limit;
    this.#defaults = resolveLinkConditions(options.defaults ?? {}, DEFAULT_LINK_CONDITIONS);
    this.#linkRandom = seededRandom(options.seed);
    // A second stream, so what the code under test draws never shifts the links' choices.
    this.random = seededRandom(Math.imul(options.seed >>> 0, 0x9e3779b1) ^ 0x85ebca6b);
  }

  get inFlight(): number {
    return this.#inFlight;
  }

  transport(address: string): Transport {
    const node = this.#node(peerAddress(address));
    const current = node.current;
    if (current !== undefined && (node.crashed || !current.closed)) {
      throw new AddressInUseError(address, node.crashed);
    }
    return this.#open(node);
  }

  setDefaults(conditions: LinkConditions): void {
    this.#defaults = resolveLinkConditions(conditions, DEFAULT_LINK_CONDITIONS);
    for (const node of this.#nodes.values()) {
      for (const [to, overrides] of node.linkOverrides) {
        node.links.set(to, resolveLinkConditions(overrides, this.#defaults));
      }
    }
  }

  setLink(from: string, to: string, conditions: LinkConditions): void {
    const node = this.#node(peerAddress(from));
    const resolved = resolveLinkConditions(conditions, this.#defaults);
    const destination = peerAddress(to);
    node.linkOverrides.set(destination, { ...conditions });
    node.links.set(destination, resolved);
  }

  linkConditions(from: string, to: string): ResolvedLinkConditions {
    const links = this.#nodes.get(peerAddress(from))?.links;
    return { ...(links?.get(peerAddress(to)) ?? this.#defaults) };
  }

  partition(...groups: readonly (readonly string[])[]): void {
    const assigned = new Map<PeerAddress, number>();
    groups.forEach((group, index) => {
      for (const address of group) {
        const valid = peerAddress(address);
        if (assigned.has(valid)) throw new OverlappingPartitionError(address);
        assigned.set(valid, index + 1);
      }
    });
    this.heal();
    for (const [address, group] of assigned) this.#node(address).group = group;
  }

  heal(): void {
    for (const node of this.#nodes.values()) node.group = 0;
  }

  crash(address: string): void {
    this.#existing(address).crashed = true;
  }

  restart(address: string): Transport {
    const node = this.#existing(address);
    node.crashed = false;
    return this.#open(node);
  }

  isCrashed(address: string): boolean {
    return this.#nodes.get(peerAddress(address))?.crashed ?? false;
  }

  counters(address: string): TrafficCounters {
    const node = this.#nodes.get(peerAddress(address));
    return node === undefined ? emptyTrafficCounters() : copyTrafficCounters(node.counters);
  }

  totals(): TrafficCounters {
    return copyTrafficCounters(this.#totals);
  }

  onDelivery(listener: (event: DeliveryEvent) => void): () => void {
    return subscribe(this.#deliveryListeners, listener);
  }

  onDrop(listener: (event: DropEvent) => void): () => void {
    return subscribe(this.#dropListeners, listener);
  }

  route(transport: SimulatedTransport, to: PeerAddress, bytes: Uint8Array): void {
    const sender = transport.node;
    const datagram = this.#nextDatagram++;
    const sentAt = this.scheduler.now();
    sender.counters.sent += 1;
    this.#totals.sent += 1;
    const receiver = this.#nodes.get(to);
    const problem =
      sender.crashed || sender.current !== transport
        ? 'crashed'
        : receiver === undefined
          ? 'unreachable'
          : (receiverProblem(receiver, receiver.current) ??
            (receiver.group !== sender.group ? 'partition' : undefined));
    if (problem !== undefined || receiver === undefined) {
      this.#drop(sender, to, datagram, bytes.byteLength, problem ?? 'unreachable', sentAt);
      return;
    }
    const conditions = sender.links.size === 0 ? this.#defaults : this.#conditions(sender, to);
    const random = this.#linkRandom;
    if (conditions.loss > 0 && random() < conditions.loss) {
      this.#drop(sender, to, datagram, bytes.byteLength, 'loss', sentAt);
      return;
    }
    const target = receiver.current as SimulatedTransport;
    this.#dispatch(sender, receiver, target, datagram, bytes, sentAt, false, conditions);
    if (conditions.duplicate > 0 && random() < conditions.duplicate) {
      sender.counters.duplicated += 1;
      this.#totals.duplicated += 1;
      this.#dispatch(sender, receiver, target, datagram, bytes, sentAt, true, conditions);
    }
  }

  #conditions(sender: NetworkNode, to: PeerAddress): ResolvedLinkConditions {
    return sender.links.get(to) ?? this.#defaults;
  }

  /** Schedules one copy's delivery. */
  #dispatch(
    sender: NetworkNode,
    receiver: NetworkNode,
    target: SimulatedTransport,
    datagram: number,
    bytes: Uint8Array,
    sentAt: number,
    duplicate: boolean,
    conditions: ResolvedLinkConditions,
  ): void {
    const random = this.#linkRandom;
    let delay = conditions.delay;
    if (conditions.jitter > 0) delay += random() * conditions.jitter;
    if (conditions.reorder > 0 && random() < conditions.reorder) {
      delay += random() * conditions.reorderDelay;
    }
    const copy = bytes.slice();
    this.#inFlight += 1;
    this.scheduler.after(delay, () => {
      this.#deliver(sender, receiver, target, datagram, copy, sentAt, duplicate);
    });
  }

  #deliver(
    sender: NetworkNode,
    receiver: NetworkNode,
    target: SimulatedTransport,
    datagram: number,
    bytes: Uint8Array,
    sentAt: number,
    duplicate: boolean,
  ): void {
    this.#inFlight -= 1;
    const problem =
      receiverProblem(receiver, target) ??
      (receiver.group !== sender.group ? 'partition' : undefined);
    if (problem !== undefined) {
      this.#drop(sender, receiver.address, datagram, bytes.byteLength, problem, sentAt);
      return;
    }
    sender.counters.delivered += 1;
    receiver.counters.received += 1;
    this.#totals.delivered += 1;
    this.#totals.received += 1;
    if (this.#deliveryListeners.length > 0) {
      const event: DeliveryEvent = {
        datagram,
        from: sender.address,
        to: receiver.address,
        bytes,
        sentAt,
        deliveredAt: this.scheduler.now(),
        duplicate,
      };
      for (const listener of [...this.#deliveryListeners]) listener(event);
    }
    target.handler?.(bytes, sender.address);
  }

  #drop(
    sender: NetworkNode,
    to: PeerAddress,
    datagram: number,
    byteLength: number,
    reason: DropReason,
    sentAt: number,
  ): void {
    sender.counters.dropped[reason] += 1;
    this.#totals.dropped[reason] += 1;
    if (this.#dropListeners.length === 0) return;
    const event: DropEvent = {
      datagram,
      from: sender.address,
      to,
      byteLength,
      reason,
      sentAt,
      droppedAt: this.scheduler.now(),
    };
    for (const listener of [...this.#dropListeners]) listener(event);
  }

  #open(node: NetworkNode): SimulatedTransport {
    const transport = new SimulatedTransport(node, this, this.maxDatagramBytes);
    node.current = transport;
    return transport;
  }

  #node(address: PeerAddress): NetworkNode {
    let node = this.#nodes.get(address);
    if (node === undefined) {
      node = {
        address,
        current: undefined,
        crashed: false,
        group: 0,
        counters: emptyTrafficCounters(),
        linkOverrides: new Map(),
        links: new Map(),
      };
      this.#nodes.set(address, node);
    }
    return node;
  }

  #existing(address: string): NetworkNode {
    const node = this.#nodes.get(peerAddress(address));
    if (node?.current === undefined) throw new UnknownAddressError(address);
    return node;
  }
}

/** Why `target` cannot receive at `receiver` now, or undefined when it can. */
function receiverProblem(
  receiver: NetworkNode,
  target: SimulatedTransport | undefined,
): DropReason | undefined {
  if (target === undefined) return 'unreachable';
  if (receiver.crashed || receiver.current !== target) return 'crashed';
  if (target.closed) return 'closed';
  return undefined;
}

function subscribe<Listener>(listeners: Listener[], listener: Listener): () => void {
  listeners.push(listener);
  return () => {
    const index = listeners.indexOf(listener);
    if (index >= 0) listeners.splice(index, 1);
  };
}
