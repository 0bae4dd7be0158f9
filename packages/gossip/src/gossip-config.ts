/**
 * The engine's tunables beyond membership: how wide and how often it
 * gossips, how it paces its traffic, and the caps on one anti-entropy
 * exchange. Every default has its reason beside it.
 */
import { VigError } from '@vig/crdt-core';
import { DEFAULT_DATAGRAM_BUDGET } from '@vig/wire';

/** How a gossip node spreads updates and limits its traffic. */
export interface GossipConfig {
  /**
   * Live peers each grown key goes to, on arrival and on every rumour round.
   * 3: the push estimate log_(f+1)N + ln(N)/f is ≈ 7.3 rounds at N = 1000,
   * and more fanout adds traffic faster than it removes rounds.
   */
  readonly fanout: number;
  /** Peers asked for a key first seen in a message that is not `full`: 2, since one may be down. */
  readonly pullFanout: number;
  /** The largest datagram sent, in bytes: 1400, under a 1500-byte MTU with IP and UDP headers. */
  readonly datagramBudget: number;
  /** Milliseconds between rumour rounds (and pacing intervals): 200, memberlist's LAN gossip interval. */
  readonly gossipInterval: number;
  /**
   * Rounds a grown key is retransmitted, times ⌈log10(N + 1)⌉: 1 (3 rounds at
   * N = 100 to 999). memberlist uses 4 because retransmission is its only
   * spreading; here the forward on arrival already floods the cluster and
   * anti-entropy repairs what both miss. Measured at N = 100 (3 seeds each),
   * time to 100% was the same for 1, 2 and 4 at 0%, 10% and 30% loss, while
   * rumour datagrams per node per write were 9, 18 and 36. 0 disables
   * retransmission.
   */
  readonly retransmitMultiplier: number;
  /** The most keys retransmitted per rumour round, newest first: 16, about 50 datagrams a round at fanout 3. */
  readonly maxRumoursPerRound: number;
  /**
   * Milliseconds between anti-entropy exchanges with one random live peer:
   * 1000, so any update every retransmission missed is repaired within
   * seconds. 0 disables anti-entropy.
   */
  readonly antiEntropyInterval: number;
  /**
   * Bytes sent per gossip interval before datagrams wait for the next one:
   * 256 KiB (about 10 Mbit/s at 200 ms), far above steady gossip, so it only
   * shapes bursts such as a large search answer or a partition's repair.
   */
  readonly bytesPerInterval: number;
  /** Datagrams waiting per peer when the budget is spent; more are dropped as `queue-full`: 256. */
  readonly maxQueuedPerPeer: number;
  /** Buckets whose leaf hashes one anti-entropy answer carries: 8 (eight datagrams at most). */
  readonly maxDigestBuckets: number;
  /** Leaves whose keys one anti-entropy answer lists: 32. */
  readonly maxDigestLeaves: number;
  /** (key hash, content hash) pairs per listed leaf range: 160, so a range fits a 1400-byte datagram. */
  readonly maxLeafEntries: number;
  /** Keys pushed in answer to one leaf list or want: 128. */
  readonly maxRepairKeys: number;
  /** Key hashes asked for in one want: 256. */
  readonly maxWantKeys: number;
  /** Whole keys pushed to a peer not known as a Vig node, per anti-entropy turn with it: 4. */
  readonly plainRepairKeys: number;
  /**
   * Datagrams waiting in all per-peer queues together; more are dropped as
   * `queue-full`: 16384 (at most about 23 MiB of 1400-byte datagrams). Replies
   * can go to any number of addresses, each with a queue, so the total needs
   * a bound of its own; 64 peers' full queues fit in it.
   */
  readonly maxQueuedDatagrams: number;
  /**
   * Datagrams per second one source address may send; more are dropped before
   * decoding, as `rate-limited`: 10000. Far above what a node sends one peer
   * (its whole output is paced to `bytesPerInterval`, about 1.3 MB/s, most of
   * it spread over many peers) or a client's bursts, while a single flooding
   * address gets at most this much of the node's decoding. 0 disables it.
   */
  readonly sourceRate: number;
  /**
   * Datagrams a source may send at once, after a quiet spell: 20000, two
   * seconds at `sourceRate`, so a burst (a large vector's datagrams, a repair
   * after a partition) is never cut.
   */
  readonly sourceBurst: number;
  /**
   * Source addresses whose rate and amplification budget are tracked; the
   * least recently seen is forgotten first: 4096 (a few hundred kilobytes). A
   * forgotten address starts afresh with a full bucket and no credit, so
   * spoofing many addresses neither grows memory nor earns any of them more.
   */
  readonly maxSources: number;
  /** Milliseconds after which a source not heard from starts afresh: 60000. */
  readonly sourceIdleTimeout: number;
  /**
   * Keys the store may hold: 10,000,000 (a gigabyte or more of small
   * vectors). A remote update that would create another is refused and
   * counted as `key-limit`; a local `put` throws `StoreLimitError`. Nothing is
   * ever evicted to make room.
   */
  readonly maxKeys: number;
  /**
   * Non-zero entries one key's vector may hold: 1,000,000 (24 MB sparse; a
   * dense HyperLogLog holds 16384). Entries at new indices beyond it are
   * refused and counted as `vector-limit` (the rest of the update merges); a
   * local `put` throws `StoreLimitError`.
   */
  readonly maxEntriesPerKey: number;
}

/** The defaults (their reasons are on {@link GossipConfig}'s fields). */
export const DEFAULT_GOSSIP_CONFIG: GossipConfig = Object.freeze({
  fanout: 3,
  pullFanout: 2,
  datagramBudget: DEFAULT_DATAGRAM_BUDGET,
  gossipInterval: 200,
  retransmitMultiplier: 1,
  maxRumoursPerRound: 16,
  antiEntropyInterval: 1_000,
  bytesPerInterval: 256 * 1024,
  maxQueuedPerPeer: 256,
  maxDigestBuckets: 8,
  maxDigestLeaves: 32,
  maxLeafEntries: 160,
  maxRepairKeys: 128,
  maxWantKeys: 256,
  plainRepairKeys: 4,
  maxQueuedDatagrams: 16_384,
  sourceRate: 10_000,
  sourceBurst: 20_000,
  maxSources: 4096,
  sourceIdleTimeout: 60_000,
  maxKeys: 10_000_000,
  maxEntriesPerKey: 1_000_000,
});

/** The defaults under the name of the setting they suit: a LAN or a data centre. */
export const LAN_GOSSIP: GossipConfig = DEFAULT_GOSSIP_CONFIG;

/**
 * Settings for loopback tests and the simulated network, to go with
 * `LOCAL_MEMBERSHIP`: rounds five times faster, so a lost update is repaired
 * within a few hundred milliseconds. Everything else as {@link LAN_GOSSIP}.
 */
export const LOCAL_GOSSIP: GossipConfig = Object.freeze({
  ...DEFAULT_GOSSIP_CONFIG,
  /** 40 ms: loopback delivers in microseconds. */
  gossipInterval: 40,
  /** 200 ms: two membership heartbeats of `LOCAL_MEMBERSHIP`. */
  antiEntropyInterval: 200,
  /** A fifth of the LAN budget, since intervals are five times as frequent. */
  bytesPerInterval: 52 * 1024,
});

/** A {@link GossipConfig} field that cannot work. */
export class InvalidGossipConfigError extends VigError {
  static override readonly name = 'InvalidGossipConfigError';
  override readonly name = 'InvalidGossipConfigError';
  readonly field: keyof GossipConfig;

  constructor(field: keyof GossipConfig, value: unknown, expected: string, options?: ErrorOptions) {
    super(`gossip config ${field} is ${String(value)}: expected ${expected}`, options);
    this.field = field;
  }
}

/** Fields that must be at least 1 (the rest may be 0). */
const positiveFields: ReadonlySet<keyof GossipConfig> = new Set([
  'datagramBudget',
  'gossipInterval',
  'bytesPerInterval',
  'maxLeafEntries',
  'sourceBurst',
  'maxSources',
  'sourceIdleTimeout',
  'maxKeys',
  'maxEntriesPerKey',
]);

/**
 * `overrides` over {@link DEFAULT_GOSSIP_CONFIG}, checked and frozen.
 *
 * @throws {@link InvalidGossipConfigError} for a field that is not a
 * non-negative safe integer, or is 0 where that cannot work
 */
export function gossipConfig(overrides: Partial<GossipConfig> = {}): GossipConfig {
  const config: GossipConfig = { ...DEFAULT_GOSSIP_CONFIG, ...overrides };
  for (const field of Object.keys(DEFAULT_GOSSIP_CONFIG) as (keyof GossipConfig)[]) {
    const value = config[field];
    const minimum = positiveFields.has(field) ? 1 : 0;
    if (!Number.isSafeInteger(value) || value < minimum) {
      throw new InvalidGossipConfigError(
        field,
        value,
        minimum === 1 ? 'a positive integer' : 'a non-negative integer',
      );
    }
  }
  return Object.freeze(config);
}
