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
  /**
   * Milliseconds between in-sync checks of the versioned store (`docs`) with
   * one random live Vig peer: 1000, as `antiEntropyInterval`: the check is one
   * datagram of constant size, and whatever pushes missed is found within a
   * second. 0 turns the checks off (local writes are still pushed).
   */
  readonly docSyncInterval: number;
  /**
   * Hops a local write's operations travel as a push: 1, so the `fanout`
   * peers that receive it pass what is new to them on to `fanout` peers each
   * (with 0 hops left), which reaches every node of a cluster of a few dozen
   * within two network delays; the in-sync checks find the rest.
   */
  readonly docPushTtl: number;
  /**
   * Live Vig peers up to which a local write is pushed straight to every one
   * of them, with no forwarding: 8. An epidemic push sends `fanout` × (1 +
   * `fanout`) copies (12), so in clusters this small sending each peer one
   * costs less and arrives sooner; in larger ones writes spread by
   * `docPushTtl` hops. 0: always epidemic.
   */
  readonly docDirectPeers: number;
  /**
   * Milliseconds between pushes of doc writes while writes stream in: 10.
   * After a quiet spell a write goes out at once; then what is written
   * within 10 ms goes in the next push, many operations per datagram, as
   * Nagle's algorithm batches TCP segments. A write reaches its peers within
   * a network delay plus at most this.
   */
  readonly docPushDelay: number;
  /**
   * Heads listed in an in-sync check, when the store has no more: 8. With
   * them, a peer that holds every head answers with exactly what is missing
   * in one step; a store with more heads sends none, and the exchange takes
   * one more step.
   */
  readonly docDigestHeads: number;
  /**
   * Versions a `recent` message samples from the history (besides up to as
   * many heads): 32, about 700 bytes with 16-character agent ids, so it fits
   * one datagram.
   */
  readonly docSampleVersions: number;
  /**
   * Datagrams of operations one answer sends before it stops and tells the
   * asker where to go on: 64, a quarter of `maxQueuedPerPeer`, so an answer
   * never overflows a send queue and a long catch-up goes in steps.
   */
  readonly docAnswerDatagrams: number;
  /**
   * Milliseconds between receiving operations that lack something (parents
   * missing, an answer cut short) and asking for it: 50, so that datagrams
   * of the same answer reordered in flight arrive first.
   */
  readonly docPullDelay: number;
  /**
   * The largest doc message sent or reassembled from parts, in bytes: 1 MiB
   * (750 datagrams). A local write whose operation would be larger is refused
   * (`DocWriteTooLargeError`): no peer could receive it.
   */
  readonly maxDocMessageBytes: number;
  /** Doc messages being reassembled from parts at once: 64. */
  readonly maxDocReassemblies: number;
  /** Bytes held by unfinished reassemblies together: 4 MiB. */
  readonly maxDocReassemblyBytes: number;
  /**
   * Milliseconds an unfinished reassembly waits for a new part: 10 000. Parts
   * sent again (by the next answer carrying the same operation) complete the
   * same message, so it outlives several sync intervals.
   */
  readonly docReassemblyTimeout: number;
  /** The most operations one answer to a client's `log` request lists: 256. */
  readonly maxDocLogPage: number;
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
  docSyncInterval: 1_000,
  docPushTtl: 1,
  docDirectPeers: 8,
  docPushDelay: 10,
  docDigestHeads: 8,
  docSampleVersions: 32,
  docAnswerDatagrams: 64,
  docPullDelay: 50,
  maxDocMessageBytes: 1024 * 1024,
  maxDocReassemblies: 64,
  maxDocReassemblyBytes: 4 * 1024 * 1024,
  docReassemblyTimeout: 10_000,
  maxDocLogPage: 256,
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
  /** 200 ms, as `antiEntropyInterval`. */
  docSyncInterval: 200,
  /** 10 ms: loopback reorders little. */
  docPullDelay: 10,
  /** 2 s: ten in-sync checks. */
  docReassemblyTimeout: 2_000,
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
  'docSampleVersions',
  'docAnswerDatagrams',
  'maxDocMessageBytes',
  'maxDocReassemblies',
  'maxDocReassemblyBytes',
  'docReassemblyTimeout',
  'maxDocLogPage',
]);

/** Fields with an upper bound: lists that must fit what a doc message may carry. */
const maximumFields: ReadonlyMap<keyof GossipConfig, number> = new Map([
  ['docDigestHeads', 1024],
  ['docSampleVersions', 1024],
]);

/**
 * `overrides` over {@link DEFAULT_GOSSIP_CONFIG}, checked and frozen.
 *
 * @throws {@link InvalidGossipConfigError} for a field that is not a
 * non-negative safe integer, is 0 where that cannot work, or is above its bound
 */
export function gossipConfig(overrides: Partial<GossipConfig> = {}): GossipConfig {
  const config: GossipConfig = { ...DEFAULT_GOSSIP_CONFIG, ...overrides };
  for (const field of Object.keys(DEFAULT_GOSSIP_CONFIG) as (keyof GossipConfig)[]) {
    const value = config[field];
    const minimum = positiveFields.has(field) ? 1 : 0;
    const maximum = maximumFields.get(field) ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || value < minimum || value > maximum) {
      const kind = minimum === 1 ? 'a positive integer' : 'a non-negative integer';
      throw new InvalidGossipConfigError(
        field,
        value,
        maximum < Number.MAX_SAFE_INTEGER ? `${kind} of at most ${maximum}` : kind,
      );
    }
  }
  return Object.freeze(config);
}
