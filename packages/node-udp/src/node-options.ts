import { gossipConfig, membershipConfig, peerAddress } from '@vig/gossip';
import type { GossipConfig, MembershipConfig, PeerAddress } from '@vig/gossip';
import { DEFAULT_DATAGRAM_BUDGET, SEALED_OVERHEAD } from '@vig/wire';
import { keySourceOf } from './cluster-keys.js';
import type { KeyOptions, KeySource } from './cluster-keys.js';
import { NodeOptionsError } from './node-errors.js';
import { checkWriterId } from './node-writer-id.js';

/** Where a node keeps its vectors: an LMDB environment in a directory, or memory. */
export type NodeStorage =
  { readonly kind: 'lmdb'; readonly directory: string } | { readonly kind: 'memory' };

/** What `createNode` needs of its options, checked before anything is opened. */
export interface CheckedNodeOptions {
  readonly storage: NodeStorage;
  readonly seeds: readonly PeerAddress[];
  /** Where the cluster keys come from, if anywhere. */
  readonly keys: KeySource;
  /** Protected mode waived. */
  readonly insecure: boolean;
  /** Versioned documents on. */
  readonly docs: boolean;
  /**
   * The gossip settings for the engine: as given, but with a key the
   * datagram budget less the sealed envelope's 40 bytes, so that sealed
   * datagrams stay within the budget.
   */
  readonly gossip: Partial<GossipConfig> | undefined;
}

/** The options `checkNodeOptions` reads (the node's own `NodeOptions`, as plain JavaScript may pass them). */
export interface NodeOptionsInput extends KeyOptions {
  readonly bind: string;
  readonly seeds?: readonly string[];
  readonly dataDir?: string;
  readonly memory?: boolean;
  readonly membership?: Partial<MembershipConfig>;
  readonly gossip?: Partial<GossipConfig>;
  readonly onWarning?: (message: string) => void;
  readonly writerId?: number;
  readonly insecure?: boolean;
  readonly docs?: boolean;
}

const storageChoice = 'exactly one of dataDir (a directory for the LMDB store) and memory: true';

/**
 * Checks a node's options: `bind` a string (the transport checks its form),
 * exactly one storage, seeds that are `host:port`, membership and gossip
 * settings the engine accepts, and the shape of the key options (the keys
 * are read and checked when the keyring is made).
 *
 * @throws {@link NodeOptionsError} naming the option, with the engine's error as `cause`
 */
export function checkNodeOptions(options: NodeOptionsInput): CheckedNodeOptions {
  if (typeof options !== 'object' || options === null) {
    throw new NodeOptionsError('options', `are ${String(options)}`, 'an object');
  }
  if (typeof options.bind !== 'string') {
    throw new NodeOptionsError('bind', `is ${describe(options.bind)}`, 'a string host:port');
  }
  if (options.onWarning !== undefined && typeof options.onWarning !== 'function') {
    throw new NodeOptionsError('onWarning', `is ${describe(options.onWarning)}`, 'a function');
  }
  if (options.writerId !== undefined) checkWriterId(options.writerId, 'writerId');
  checkConfig('membership', () => membershipConfig(options.membership));
  checkConfig('gossip', () => gossipConfig(options.gossip));
  if (options.insecure !== undefined && typeof options.insecure !== 'boolean') {
    throw new NodeOptionsError('insecure', `is ${describe(options.insecure)}`, 'a boolean');
  }
  if (options.docs !== undefined && typeof options.docs !== 'boolean') {
    throw new NodeOptionsError('docs', `is ${describe(options.docs)}`, 'a boolean');
  }
  const keys = keySourceOf(options, refuseNodeOption);
  return {
    docs: options.docs !== false,
    storage: storageOf(options),
    seeds: seedsOf(options.seeds),
    keys,
    insecure: options.insecure === true,
    gossip: keys.kind === 'none' ? options.gossip : sealedGossip(options.gossip),
  };
}

/** Makes a {@link NodeOptionsError}. */
export function refuseNodeOption(
  option: string,
  problem: string,
  expected: string,
  options?: ErrorOptions,
): NodeOptionsError {
  return new NodeOptionsError(option, problem, expected, options);
}

/** `gossip` with its datagram budget less the sealed envelope's overhead. */
function sealedGossip(gossip: Partial<GossipConfig> | undefined): Partial<GossipConfig> {
  const budget = gossip?.datagramBudget ?? DEFAULT_DATAGRAM_BUDGET;
  if (budget <= SEALED_OVERHEAD) {
    throw new NodeOptionsError(
      'gossip',
      `has datagramBudget ${budget}, which leaves no room inside the sealed envelope's ${SEALED_OVERHEAD} bytes`,
      `a datagramBudget above ${SEALED_OVERHEAD} with a key`,
    );
  }
  return { ...gossip, datagramBudget: budget - SEALED_OVERHEAD };
}

function storageOf(options: NodeOptionsInput): NodeStorage {
  const { dataDir, memory } = options;
  if (memory !== undefined && typeof memory !== 'boolean') {
    throw new NodeOptionsError('memory', `is ${describe(memory)}`, 'a boolean');
  }
  if (dataDir !== undefined && (typeof dataDir !== 'string' || dataDir.length === 0)) {
    throw new NodeOptionsError('dataDir', `is ${describe(dataDir)}`, 'a directory path');
  }
  if (dataDir !== undefined && memory === true) {
    throw new NodeOptionsError('dataDir', 'and memory: true are both given', storageChoice);
  }
  if (dataDir !== undefined) return { kind: 'lmdb', directory: dataDir };
  if (memory === true) return { kind: 'memory' };
  throw new NodeOptionsError('dataDir', 'and memory: true are both missing', storageChoice);
}

function seedsOf(seeds: readonly string[] | undefined): PeerAddress[] {
  if (seeds === undefined) return [];
  if (!Array.isArray(seeds)) {
    throw new NodeOptionsError('seeds', `is ${describe(seeds)}`, 'an array of host:port');
  }
  return (seeds as readonly unknown[]).map((seed, index) => {
    if (typeof seed !== 'string') {
      throw new NodeOptionsError(`seeds[${index}]`, `is ${describe(seed)}`, 'host:port');
    }
    try {
      return peerAddress(seed);
    } catch (error) {
      throw new NodeOptionsError(`seeds[${index}]`, `is ${describe(seed)}`, 'host:port', {
        cause: error,
      });
    }
  });
}

/** Runs the engine's own check of a settings object, as a {@link NodeOptionsError}. */
function checkConfig(option: 'membership' | 'gossip', check: () => unknown): void {
  try {
    check();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new NodeOptionsError(option, `is refused (${detail})`, `valid ${option} settings`, {
      cause: error,
    });
  }
}

/** A value, for an error message. */
function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return 'an array';
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return `a ${typeof value}`;
}
