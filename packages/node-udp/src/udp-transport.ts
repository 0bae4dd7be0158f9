import { createSocket } from 'node:dgram';
import type { RemoteInfo, Socket } from 'node:dgram';
import { DatagramTooLargeError, TransportClosedError, formatPeerAddress } from '@vig/gossip';
import type { DatagramHandler, PeerAddress, Transport } from '@vig/gossip';
import { literalFirstLookup } from './udp-address-lookup.js';
import { resolveBindEndpoint } from './udp-bind-address.js';
import type { BindEndpoint } from './udp-bind-address.js';
import { EndpointCache } from './udp-endpoint-cache.js';
import { InvalidUdpOptionError, UdpBindError } from './udp-errors.js';
import { SendQueue } from './udp-send-queue.js';
import { raiseSocketBuffers } from './udp-socket-buffers.js';
import { UdpTransportCounters } from './udp-transport-stats.js';
import type { UdpTransportStats } from './udp-transport-stats.js';

/**
 * The receive buffer asked for by default: 4 MiB, about 3000 full-size
 * (1400-byte) datagrams of the kernel's per-datagram accounting, so a node
 * busy for a few milliseconds (a large merge, a garbage collection) loses
 * nothing of a burst. Linux grants it only up to `net.core.rmem_max`.
 */
export const DEFAULT_RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

/** The send buffer asked for by default: 4 MiB, room for bursts of answers and repairs. */
export const DEFAULT_SEND_BUFFER_BYTES = 4 * 1024 * 1024;

/** Datagrams waiting for the socket at most, by default; one more is dropped and counted. */
export const DEFAULT_MAX_PENDING_SENDS = 100_000;

/** Datagrams handed to the socket per turn of the event loop, so a burst never stalls it. */
export const SENDS_PER_TURN = 512;

/** The largest UDP payload over IPv4: 65535 less the 20-byte IP and 8-byte UDP headers. */
export const MAX_UDP4_DATAGRAM_BYTES = 65_507;

/** The largest UDP payload over IPv6 (without jumbograms): 65535 less the 8-byte UDP header. */
export const MAX_UDP6_DATAGRAM_BYTES = 65_527;

/** The largest buffer size a socket option takes (a C `int`). */
const MAX_BUFFER_BYTES = 2 ** 31 - 1;

/** Options of {@link createUdpTransport}. */
export interface UdpTransportOptions {
  /**
   * Where to listen, as `host:port`; IPv6 as `[::1]:port`; port 0 for an
   * ephemeral port. The host's family picks an IPv4 or an IPv6 socket (never
   * dual-stack). Bind a specific address, not `0.0.0.0`: the address bound
   * is the one the node advertises as its `localAddress`.
   */
  readonly bind: string;
  /** SO_RCVBUF asked for. Default {@link DEFAULT_RECEIVE_BUFFER_BYTES} (4 MiB). */
  readonly receiveBufferBytes?: number;
  /** SO_SNDBUF asked for. Default {@link DEFAULT_SEND_BUFFER_BYTES} (4 MiB). */
  readonly sendBufferBytes?: number;
  /** Datagrams that may wait for the socket; more are dropped and counted. Default {@link DEFAULT_MAX_PENDING_SENDS}. */
  readonly maxPendingSends?: number;
  /**
   * The host names a send may resolve through DNS: `'any'` (the default), or
   * a list (a node gives its seeds' names). A send to another name fails
   * with `ENOTIP`, counted in `stats().sendErrorsByCode`; IP literals are
   * always sent to.
   */
  readonly resolvableHostnames?: 'any' | readonly string[];
  /**
   * Called with one line for each thing worth an operator's attention that
   * is not an error: a socket buffer smaller than asked (with the sysctl to
   * raise), the first receive handler that threw, the first socket error.
   * Default: `console.warn`.
   */
  readonly onWarning?: (message: string) => void;
}

/** A {@link Transport} over one UDP socket of Node's `node:dgram`. */
export interface UdpTransport extends Transport {
  /**
   * SO_RCVBUF as the OS granted it, as it reports it: on Linux twice what it
   * grants (the other half is room for the kernel's bookkeeping), so asking
   * for 4 MiB under a cap of 4 MiB reads 8388608.
   */
  readonly receiveBufferBytes: number;
  /** SO_SNDBUF as the OS reports it (on Linux, twice what it grants, as above). */
  readonly sendBufferBytes: number;
  /** Datagrams queued for sending and not yet handed to the socket. */
  readonly pendingSends: number;
  /** Counters: datagrams sent and received, send errors, and drops by reason. */
  stats(): UdpTransportStats;
}

/**
 * Opens a UDP socket at `options.bind` and returns it as a gossip
 * {@link Transport}. Resolves once the socket is bound and its buffers
 * raised; a buffer the OS grants smaller than asked is reported through
 * `onWarning`, never an error.
 *
 * `send` never blocks and never throws for the network's sake: it copies the
 * bytes into a bounded queue, which is handed to the socket
 * {@link SENDS_PER_TURN} datagrams per turn of the event loop (the first
 * batch in the same turn, after the caller's synchronous code), and every
 * error the socket reports later is counted in `stats()`. Received datagrams
 * reach the handler as `Uint8Array` views of their own buffer, with the
 * sender's canonical address (`[v6]:port` for IPv6).
 *
 * @example
 * ```ts
 * import { createUdpTransport } from '@vig/node-udp';
 *
 * const alice = await createUdpTransport({ bind: '127.0.0.1:0' });
 * const bob = await createUdpTransport({ bind: '127.0.0.1:0' });
 * bob.onReceive((bytes, from) => console.log(new TextDecoder().decode(bytes), 'from', from));
 * alice.send(bob.localAddress, new TextEncoder().encode('hello'));
 * // hello from 127.0.0.1:41234
 * ```
 *
 * @throws {@link InvalidBindAddressError} when `bind` is not `host:port`
 * @throws {@link InvalidUdpOptionError} for a buffer size or queue bound out of range
 * @throws {@link UdpBindError} when the socket cannot be bound (the OS error as `cause`)
 */
export async function createUdpTransport(options: UdpTransportOptions): Promise<UdpTransport> {
  const receiveBufferBytes = checkBufferBytes(
    'receiveBufferBytes',
    options.receiveBufferBytes ?? DEFAULT_RECEIVE_BUFFER_BYTES,
  );
  const sendBufferBytes = checkBufferBytes(
    'sendBufferBytes',
    options.sendBufferBytes ?? DEFAULT_SEND_BUFFER_BYTES,
  );
  const maxPendingSends = options.maxPendingSends ?? DEFAULT_MAX_PENDING_SENDS;
  if (!Number.isSafeInteger(maxPendingSends) || maxPendingSends < 1) {
    throw new InvalidUdpOptionError('maxPendingSends', maxPendingSends, 'an integer ≥ 1');
  }
  const warn = safeWarning(options.onWarning);
  const endpoint = await resolveBindEndpoint(options.bind);
  const socket = createSocket({
    type: endpoint.family === 6 ? 'udp6' : 'udp4',
    ipv6Only: endpoint.family === 6,
    lookup: literalFirstLookup(
      options.resolvableHostnames === undefined || options.resolvableHostnames === 'any'
        ? 'any'
        : new Set(options.resolvableHostnames.map((name) => name.toLowerCase())),
    ),
  });
  await bindSocket(socket, endpoint, options.bind);
  const granted = raiseSocketBuffers(socket, { receiveBufferBytes, sendBufferBytes }, warn);
  const bound = socket.address();
  return new DgramTransport({
    socket,
    localAddress: formatPeerAddress(bound.address, bound.port),
    maxDatagramBytes: endpoint.family === 6 ? MAX_UDP6_DATAGRAM_BYTES : MAX_UDP4_DATAGRAM_BYTES,
    receiveBufferBytes: granted.receiveBufferBytes,
    sendBufferBytes: granted.sendBufferBytes,
    maxPendingSends,
    warn,
  });
}

/** What {@link DgramTransport} is made of: a bound socket and its settings. */
interface DgramTransportParts {
  readonly socket: Socket;
  readonly localAddress: PeerAddress;
  readonly maxDatagramBytes: number;
  readonly receiveBufferBytes: number;
  readonly sendBufferBytes: number;
  readonly maxPendingSends: number;
  readonly warn: (message: string) => void;
}

/** The transport over a bound dgram socket. */
class DgramTransport implements UdpTransport {
  readonly localAddress: PeerAddress;
  readonly maxDatagramBytes: number;
  readonly receiveBufferBytes: number;
  readonly sendBufferBytes: number;
  readonly #socket: Socket;
  readonly #warn: (message: string) => void;
  readonly #queue: SendQueue;
  readonly #endpoints = new EndpointCache();
  readonly #counters = new UdpTransportCounters();
  #handler: DatagramHandler | undefined;
  #flushScheduled = false;
  #immediate: NodeJS.Immediate | undefined;
  #closed: Promise<void> | undefined;

  constructor(parts: DgramTransportParts) {
    this.localAddress = parts.localAddress;
    this.maxDatagramBytes = parts.maxDatagramBytes;
    this.receiveBufferBytes = parts.receiveBufferBytes;
    this.sendBufferBytes = parts.sendBufferBytes;
    this.#socket = parts.socket;
    this.#warn = parts.warn;
    this.#queue = new SendQueue(parts.maxPendingSends);
    this.#socket.on('message', this.#receive);
    this.#socket.on('error', this.#socketFailed);
  }

  get pendingSends(): number {
    return this.#queue.size;
  }

  send(to: PeerAddress, bytes: Uint8Array): void {
    if (this.#closed !== undefined) throw new TransportClosedError(this.localAddress);
    if (bytes.byteLength > this.maxDatagramBytes) {
      throw new DatagramTooLargeError(bytes.byteLength, this.maxDatagramBytes);
    }
    const endpoint = this.#endpoints.endpoint(to);
    // A copy: the caller may reuse its array as soon as send returns.
    if (!this.#queue.push({ to: endpoint, bytes: Buffer.from(bytes) })) {
      this.#counters.droppedQueueFull += 1;
      return;
    }
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      queueMicrotask(this.#flush);
    }
  }

  onReceive(handler: DatagramHandler): void {
    if (this.#closed === undefined) this.#handler = handler;
  }

  stats(): UdpTransportStats {
    return this.#counters.snapshot();
  }

  close(): Promise<void> {
    this.#closed ??= new Promise((resolve) => {
      this.#handler = undefined;
      if (this.#immediate !== undefined) clearImmediate(this.#immediate);
      this.#immediate = undefined;
      this.#counters.droppedAtClose += this.#queue.clear();
      this.#socket.off('message', this.#receive);
      try {
        this.#socket.close(() => resolve());
      } catch {
        resolve(); // Already closed by the OS side: nothing left to release.
      }
    });
    return this.#closed;
  }

  /** Hands up to {@link SENDS_PER_TURN} queued datagrams to the socket; the rest wait a turn. */
  readonly #flush = (): void => {
    this.#immediate = undefined;
    if (this.#closed !== undefined) return;
    for (let handed = 0; handed < SENDS_PER_TURN; handed++) {
      const datagram = this.#queue.take();
      if (datagram === undefined) break;
      try {
        this.#socket.send(datagram.bytes, datagram.to.port, datagram.to.host, this.#afterSend);
      } catch (error) {
        this.#counters.sendFailed(error);
      }
    }
    if (this.#queue.size > 0) this.#immediate = setImmediate(this.#flush);
    else this.#flushScheduled = false;
  };

  /** Counts what the socket reports of one send. */
  readonly #afterSend = (error: Error | null): void => {
    if (error === null) this.#counters.datagramsSent += 1;
    else this.#counters.sendFailed(error);
  };

  /** Hands one datagram to the handler as a view of its own buffer. */
  readonly #receive = (message: Buffer, remote: RemoteInfo): void => {
    const from = this.#endpoints.address(remote.address, remote.port);
    if (from === undefined) {
      this.#counters.droppedInvalidSender += 1;
      return;
    }
    this.#counters.datagramsReceived += 1;
    const handler = this.#handler;
    if (handler === undefined) return;
    try {
      handler(new Uint8Array(message.buffer, message.byteOffset, message.byteLength), from);
    } catch (error) {
      this.#counters.handlerErrors += 1;
      if (this.#counters.handlerErrors === 1) {
        this.#warn(
          `UDP transport ${this.localAddress}: the receive handler threw (${describe(error)}); ` +
            'this and later throws are caught and counted in stats().handlerErrors',
        );
      }
    }
  };

  /** Counts an error the socket reported outside any send; the first is reported. */
  readonly #socketFailed = (error: Error): void => {
    this.#counters.socketErrors += 1;
    if (this.#counters.socketErrors === 1) {
      this.#warn(
        `UDP transport ${this.localAddress}: socket error (${describe(error)}); ` +
          'this and later ones are counted in stats().socketErrors',
      );
    }
  };
}

/** Binds `socket`, or rejects with a {@link UdpBindError} (closing the socket). */
function bindSocket(socket: Socket, endpoint: BindEndpoint, bind: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: Error): void => {
      socket.off('listening', listening);
      try {
        socket.close();
      } catch {
        // Never opened: nothing to release.
      }
      reject(new UdpBindError(bind, describe(error), { cause: error }));
    };
    const listening = (): void => {
      socket.off('error', failed);
      resolve();
    };
    socket.once('error', failed);
    socket.once('listening', listening);
    socket.bind({ port: endpoint.port, address: endpoint.host });
  });
}

/** `bytes` when it is a socket buffer size the OS can be asked for. */
function checkBufferBytes(option: string, bytes: number): number {
  if (!Number.isSafeInteger(bytes) || bytes < 1 || bytes > MAX_BUFFER_BYTES) {
    throw new InvalidUdpOptionError(option, bytes, `an integer in 1..${MAX_BUFFER_BYTES}`);
  }
  return bytes;
}

/** The warning callback, defaulting to `console.warn`, that never throws into the transport. */
function safeWarning(
  onWarning: ((message: string) => void) | undefined,
): (message: string) => void {
  const warn = onWarning ?? ((message: string) => console.warn(message));
  return (message) => {
    try {
      warn(message);
    } catch {
      // A warning that cannot be delivered must not break the transport.
    }
  };
}

/** A short description of a thrown value. */
function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
