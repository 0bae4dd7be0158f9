import {
  EMPTY_ENTRIES,
  VigError,
  isAggregatePattern,
  isSearchPattern,
  largerEntries,
} from '@vig/crdt-core';
import type { MaxStore, StoreRefusal, VectorEntries } from '@vig/crdt-core';
import type { VignetteMessage } from '@vig/wire';
import { choosePeers } from './random-peers.js';
import type { RandomSource } from './scheduler.js';
import type { PeerAddress } from './transport.js';

/**
 * Why a message goes out, for metrics:
 *
 * - `answer`: the sender asked (an empty vector, or a `%`/`*` pattern with an
 *   empty vector) and gets whole vectors (`full: true`);
 * - `reply`: the sender sent entries and gets back those where this node holds
 *   more, so it catches up;
 * - `forward`: entries that grew here, on their way to other peers;
 * - `pull`: an empty-vector query for a key this node just learned of from a
 *   partial message, to other peers.
 */
export type OutgoingReason = 'answer' | 'reply' | 'forward' | 'pull';

/** One message {@link handleMessage} wants sent, and to whom. */
export interface Outgoing {
  /** The peer it goes to. */
  readonly to: PeerAddress;
  /**
   * The message: logical, not yet split to a datagram budget (the engine
   * encodes it with `splitMessage`). Its `vector` may be shared with other
   * outgoing messages and must be treated as read-only.
   */
  readonly message: VignetteMessage;
  /** Why it goes out. */
  readonly reason: OutgoingReason;
}

/** How widely {@link handleMessage} spreads what it learns. */
export interface MessageRulesConfig {
  /**
   * How many random live peers (never the sender) receive the entries that
   * grew here. Default 3, as the issue asks: the push estimate
   * log_(f+1)N + ln(N)/f rounds is ≈ 7.3 at N = 1000 with f = 3, and more
   * fanout adds traffic faster than it removes rounds.
   */
  readonly fanout: number;
  /**
   * How many random live peers (never the sender) are asked for their whole
   * vector of a key this node first saw in a message that was not `full`.
   * Default 2: one peer may be down or behind, two rarely both are, and
   * anti-entropy repairs the rest.
   */
  readonly pullFanout: number;
}

/** The defaults: `fanout` 3, `pullFanout` 2. */
export const DEFAULT_MESSAGE_RULES_CONFIG: MessageRulesConfig = Object.freeze({
  fanout: 3,
  pullFanout: 2,
});

/** A {@link MessageRulesConfig} field that is not a non-negative integer. */
export class InvalidMessageRulesConfigError extends VigError {
  static override readonly name = 'InvalidMessageRulesConfigError';
  override readonly name = 'InvalidMessageRulesConfigError';
  readonly field: keyof MessageRulesConfig;

  constructor(field: keyof MessageRulesConfig, value: number, options?: ErrorOptions) {
    super(`message rules ${field} is ${value}: expected a non-negative integer`, options);
    this.field = field;
  }
}

/** What {@link handleMessage} reads and changes. */
export interface MessageRulesContext {
  /** The node's store: merged into, searched and aggregated. */
  readonly store: MaxStore;
  /**
   * The live peers forwards and pulls may go to (not this node itself). The
   * sender is skipped whether listed or not.
   */
  readonly peers: readonly PeerAddress[];
  /** Every random choice draws from it, so a seeded source replays exactly. */
  readonly random: RandomSource;
  /** Overrides of {@link DEFAULT_MESSAGE_RULES_CONFIG}. */
  readonly config?: Partial<MessageRulesConfig>;
}

/**
 * True when entries hold no non-zero value: an empty vector, which means
 * "send me what you have". Entries holding only zeros count too, since they
 * encode as an empty vector on the wire.
 */
export function isQueryVector(vector: VectorEntries): boolean {
  const values = vector.kind === 'sparse' ? vector.values : vector.registers;
  for (const value of values) if (value !== 0) return false;
  return true;
}

/**
 * The ttl of every message sent because of one that carried `ttl`: one less,
 * never below 0 (a ttl that is not a positive number gives 0).
 */
export function nextTtl(ttl: number): number {
  return ttl >= 1 ? Math.floor(ttl) - 1 : 0;
}

/**
 * The message rules of SPEC §3: what a node sends, and what it stores, when
 * `message` arrives from `sender`. Pure and deterministic: no I/O, no
 * timers; the only effects are merges into `context.store` and draws from
 * `context.random`. Every message it returns carries `nextTtl(message.ttl)`
 * and holds at least one non-zero entry, except `pull` queries, whose empty
 * vector is the point.
 *
 * In order of precedence (`*` before `%`, as in the Ruby prototype):
 *
 * 1. **`*` aggregate pattern:** the element-wise max of every stored key the
 *    pattern matches, under the pattern itself. An empty vector is answered
 *    with all of it (`answer`, `full: true`); entries are replied to with those
 *    where the aggregate is larger (`reply`). Nothing is stored.
 * 2. **`%` search pattern:** every stored key the pattern matches, key by key,
 *    sorted by key. An empty vector is answered with each key's whole vector
 *    (`answer`, `full: true`, one message per key); entries are replied to, per
 *    key, with those where the stored value is larger (`reply`). The entries
 *    are **not** merged into the matching keys: a write addressed by pattern
 *    would land on whichever keys this node happens to hold, different on every
 *    node, so Vig treats pattern messages as read-only.
 * 3. **Empty vector on a key:** the whole stored vector goes to the sender
 *    (`answer`, `full: true`). An unknown key gets no answer, since an empty
 *    answer would read as a query.
 * 4. **Otherwise merge** (peer keys `n:host:port` included, like any key; the
 *    engine hands their growth to membership):
 *    - `larger` goes back to the sender (`reply`), at any ttl;
 *    - `grew` goes to `fanout` random live peers, not the sender (`forward`),
 *      only while `message.ttl > 0`; it is marked `full` only when the key is
 *      new here and the message was `full` (then `grew` is the whole vector);
 *    - a key new here from a message that is not `full` is queried from
 *      `pullFanout` random live peers, not the sender (`pull`), only while
 *      `message.ttl > 0`.
 *
 *    When the store's limits refuse part of the merge (`MaxStore.merge`),
 *    what merged is handled as above, nothing is pulled, and a forward is
 *    never marked `full`; {@link applyMessage} reports the refusal.
 *
 * **ttl 0:** nothing goes to a third party (no forward, no pull), but the
 * sender still gets its answer or reply, with ttl 0. Such a message only goes
 * back one hop, and without it a query or update that arrives with its last
 * hop would go unanswered and its sender would not catch up; the Ruby
 * prototype's reply likewise keeps the ttl of what it answers.
 *
 * @throws {@link InvalidMessageRulesConfigError} for a bad `context.config`
 * @throws {@link InvalidIndexError} or {@link InvalidValueError} from the merge,
 *   for entries out of range (never for a message `decodeMessage` accepted);
 *   the store is then unchanged
 *
 * @example
 * ```ts
 * const store = new MaxStore();
 * store.merge('views', entriesFromRecord({ 0: 9 }));
 * const outgoing = handleMessage(
 *   { store, peers: [alice, bob, carol], random: seededRandom(1) },
 *   { key: 'views', vector: entriesFromRecord({ 0: 4, 1: 2 }), ttl: 5, full: false },
 *   alice,
 * );
 * // reply {0: 9} to alice; forward {1: 2} with ttl 4 to bob and carol
 * ```
 */
export function handleMessage(
  context: MessageRulesContext,
  message: VignetteMessage,
  sender: PeerAddress,
): Outgoing[] {
  return applyMessage(context, message, sender).outgoing;
}

/** What {@link applyMessage} did: the messages to send, and what grew in the store. */
export interface MessageOutcome {
  readonly outgoing: Outgoing[];
  /** The entries of `message.key` that grew here ({@link EMPTY_ENTRIES} for patterns and queries). */
  readonly grew: VectorEntries;
  /** What the store's limits refused of the merge, if anything (see `MaxStore.merge`). */
  readonly refused?: StoreRefusal;
}

/**
 * {@link handleMessage}, also returning what grew in the store: the merge's
 * own output, so a caller that reacts to changes (events, the rumour queue,
 * membership) needs no second pass over the entries.
 */
export function applyMessage(
  context: MessageRulesContext,
  message: VignetteMessage,
  sender: PeerAddress,
): MessageOutcome {
  const config = messageRulesConfig(context.config);
  const answered = (outgoing: Outgoing[]): MessageOutcome => ({ outgoing, grew: EMPTY_ENTRIES });
  if (isAggregatePattern(message.key)) {
    return answered(answerAggregate(context.store, message, sender));
  }
  if (isSearchPattern(message.key)) return answered(answerSearch(context.store, message, sender));
  if (isQueryVector(message.vector)) return answered(answerQuery(context.store, message, sender));
  return mergeMessage(context, config, message, sender);
}

/** Configs {@link messageRulesConfig} has checked: reused as they are, not checked per message. */
const checkedConfigs = new WeakSet<MessageRulesConfig>();

/**
 * `overrides` over {@link DEFAULT_MESSAGE_RULES_CONFIG}, checked and frozen.
 * Pass the result as `context.config` to skip the check on every message (the
 * engine does).
 *
 * @throws {@link InvalidMessageRulesConfigError} for a field that is not a non-negative integer
 */
export function messageRulesConfig(
  overrides: Partial<MessageRulesConfig> | undefined,
): MessageRulesConfig {
  if (overrides === undefined) return DEFAULT_MESSAGE_RULES_CONFIG;
  if (checkedConfigs.has(overrides as MessageRulesConfig)) return overrides as MessageRulesConfig;
  const config = Object.freeze({ ...DEFAULT_MESSAGE_RULES_CONFIG, ...overrides });
  for (const field of ['fanout', 'pullFanout'] as const) {
    const value = config[field];
    if (!Number.isSafeInteger(value) || value < 0)
      throw new InvalidMessageRulesConfigError(field, value);
  }
  checkedConfigs.add(config);
  return config;
}

/** One message to `to`, or none when `vector` holds nothing to send. */
function send(
  to: PeerAddress,
  reason: OutgoingReason,
  key: string,
  vector: VectorEntries,
  ttl: number,
  full: boolean,
): Outgoing[] {
  return isQueryVector(vector) ? [] : [{ to, reason, message: { key, vector, ttl, full } }];
}

/** Rule 1: a `*` pattern, answered from the aggregate of its matching keys. */
function answerAggregate(
  store: MaxStore,
  message: VignetteMessage,
  sender: PeerAddress,
): Outgoing[] {
  const aggregate = store.aggregate(message.key);
  const ttl = nextTtl(message.ttl);
  if (isQueryVector(message.vector)) {
    return send(sender, 'answer', message.key, aggregate.toEntries(), ttl, true);
  }
  return send(sender, 'reply', message.key, largerEntries(aggregate, message.vector), ttl, false);
}

/** Rule 2: a `%` pattern, answered key by key without merging. */
function answerSearch(store: MaxStore, message: VignetteMessage, sender: PeerAddress): Outgoing[] {
  const ttl = nextTtl(message.ttl);
  const query = isQueryVector(message.vector);
  return store
    .search(message.key)
    .flatMap(([key, vector]) =>
      query
        ? send(sender, 'answer', key, vector.toEntries(), ttl, true)
        : send(sender, 'reply', key, largerEntries(vector, message.vector), ttl, false),
    );
}

/** Rule 3: an empty vector on a key, answered with the whole stored vector. */
function answerQuery(store: MaxStore, message: VignetteMessage, sender: PeerAddress): Outgoing[] {
  const stored = store.get(message.key);
  if (stored === undefined) return [];
  return send(sender, 'answer', message.key, stored.toEntries(), nextTtl(message.ttl), true);
}

/** Rule 4: merge, reply with what is larger here, forward what grew, pull a new key. */
function mergeMessage(
  context: MessageRulesContext,
  config: MessageRulesConfig,
  message: VignetteMessage,
  sender: PeerAddress,
): MessageOutcome {
  const { key } = message;
  const { grew, larger, created, refused } = context.store.merge(key, message.vector);
  const ttl = nextTtl(message.ttl);
  const outgoing = send(sender, 'reply', key, larger, ttl, false);
  const outcome: MessageOutcome =
    refused === undefined ? { outgoing, grew } : { outgoing, grew, refused };
  if (!(message.ttl > 0)) return outcome;
  if (!isQueryVector(grew)) {
    const full = created && message.full && refused === undefined;
    for (const peer of choosePeers(context.peers, config.fanout, context.random, [sender])) {
      outgoing.push({ to: peer, reason: 'forward', message: { key, vector: grew, ttl, full } });
    }
  }
  if (created && !message.full && refused === undefined) {
    for (const peer of choosePeers(context.peers, config.pullFanout, context.random, [sender])) {
      outgoing.push({
        to: peer,
        reason: 'pull',
        message: { key, vector: EMPTY_ENTRIES, ttl, full: false },
      });
    }
  }
  return outcome;
}
