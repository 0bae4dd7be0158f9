import { parsePeerAddress, peerAddress } from '@vig/gossip';
import type { PeerAddress } from '@vig/gossip';
import { ClientOptionsError } from './client-errors.js';
import { keySourceOf } from './cluster-keys.js';
import type { KeyOptions, KeySource } from './cluster-keys.js';

/** Milliseconds a client waits for each node by default: 2000. */
export const DEFAULT_CLIENT_TIMEOUT = 2_000;

/**
 * How to build a client (see `createClient`). A client of a keyed cluster
 * needs its key (`key` or `keyFile`, and its `label`, from {@link KeyOptions}):
 * without it, nodes drop every datagram it sends.
 */
export interface ClientOptions extends KeyOptions {
  /** Nodes to ask, `host:port`, each as the node's own address (its `node.address`); tried in order. */
  readonly nodes: readonly string[];
  /** Milliseconds to wait for each node before trying the next; default {@link DEFAULT_CLIENT_TIMEOUT}. */
  readonly timeout?: number;
  /**
   * Where the client's socket listens. Default: port 0 on the loopback
   * address (`127.0.0.1`, or `[::1]` for an IPv6 node) when the first node is
   * on loopback, else on every address of its family (`0.0.0.0`, `[::]`).
   */
  readonly bind?: string;
  /** Where the socket's warnings go (a buffer smaller than asked…); default `console.warn`. */
  readonly onWarning?: (message: string) => void;
}

/** The options, checked, with their defaults. */
export interface CheckedClientOptions {
  readonly nodes: readonly PeerAddress[];
  readonly timeout: number;
  readonly bind: string;
  /** Where the cluster keys come from, if anywhere. */
  readonly keys: KeySource;
}

/**
 * Checks a client's options and fills in the defaults.
 *
 * @throws {@link ClientOptionsError} naming the option
 */
export function checkClientOptions(options: ClientOptions): CheckedClientOptions {
  if (typeof options !== 'object' || options === null) {
    throw new ClientOptionsError('options', `are ${String(options)}`, 'an object');
  }
  const nodes = nodesOf(options.nodes);
  const timeout = options.timeout ?? DEFAULT_CLIENT_TIMEOUT;
  if (typeof timeout !== 'number' || !Number.isFinite(timeout) || timeout <= 0) {
    throw new ClientOptionsError(
      'timeout',
      `is ${String(timeout)}`,
      'a positive number of milliseconds',
    );
  }
  if (options.bind !== undefined && typeof options.bind !== 'string') {
    throw new ClientOptionsError('bind', `is ${typeof options.bind}`, 'a string host:port');
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new ClientOptionsError('onWarning', `is ${typeof options.onWarning}`, 'a function');
  }
  const keys = keySourceOf(options, refuseClientOption);
  return { nodes, timeout, bind: options.bind ?? defaultBind(nodes[0]), keys };
}

/** Makes a {@link ClientOptionsError}. */
export function refuseClientOption(
  option: string,
  problem: string,
  expected: string,
  options?: ErrorOptions,
): ClientOptionsError {
  return new ClientOptionsError(option, problem, expected, options);
}

function nodesOf(nodes: readonly string[]): PeerAddress[] {
  if (!Array.isArray(nodes) || nodes.length === 0) {
    throw new ClientOptionsError('nodes', 'is empty or not an array', 'at least one host:port');
  }
  return (nodes as readonly unknown[]).map((node, index) => {
    if (typeof node !== 'string') {
      throw new ClientOptionsError(`nodes[${index}]`, `is ${typeof node}`, 'host:port');
    }
    try {
      return peerAddress(node);
    } catch (error) {
      throw new ClientOptionsError(`nodes[${index}]`, `is ${JSON.stringify(node)}`, 'host:port', {
        cause: error,
      });
    }
  });
}

/** Port 0 on loopback for a loopback node, on every address otherwise; the node's family either way. */
export function defaultBind(node: PeerAddress | undefined): string {
  const host = node === undefined ? '' : (parsePeerAddress(node)?.host ?? '');
  const ipv6 = host.includes(':');
  const loopback = ipv6 ? host === '::1' : host === 'localhost' || /^127\./.test(host);
  if (ipv6) return loopback ? '[::1]:0' : '[::]:0';
  return loopback ? '127.0.0.1:0' : '0.0.0.0:0';
}
