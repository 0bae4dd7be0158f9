import {
  EMPTY_ENTRIES,
  MaxStore,
  entriesFromRecord,
  forEachEntry,
  isVigError,
} from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import type { VignetteMessage } from '@vig/wire';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MESSAGE_RULES_CONFIG,
  InvalidMessageRulesConfigError,
  messageRulesConfig,
  applyMessage,
  handleMessage,
  isQueryVector,
  nextTtl,
} from './message-rules.js';
import type { MessageRulesConfig, MessageRulesContext, Outgoing } from './message-rules.js';
import { seededRandom } from './scheduler.js';
import { peerAddress } from './transport.js';
import type { PeerAddress } from './transport.js';

const sender = peerAddress('127.0.0.1:7946');
const others = [2, 3, 4, 5, 6, 7].map((host) => peerAddress(`127.0.0.${host}:7946`));
const everyone = [sender, ...others];

function record(entries: VectorEntries): Record<number, number> {
  const result: Record<number, number> = {};
  forEachEntry(entries, (index, value) => (result[index] = Math.max(value, result[index] ?? 0)));
  return result;
}

function storeOf(contents: Record<string, Record<number, number>>): MaxStore {
  const store = new MaxStore();
  for (const [key, values] of Object.entries(contents)) store.merge(key, entriesFromRecord(values));
  return store;
}

function context(
  store: MaxStore,
  peers: readonly PeerAddress[] = everyone,
  seed = 1,
  config?: Partial<MessageRulesConfig>,
): MessageRulesContext {
  return config === undefined
    ? { store, peers, random: seededRandom(seed) }
    : { store, peers, random: seededRandom(seed), config };
}

function message(
  key: string,
  values: Record<number, number>,
  ttl = 5,
  full = false,
): VignetteMessage {
  return { key, vector: entriesFromRecord(values), ttl, full };
}

/** Outgoing messages as plain, comparable data. */
function summary(outgoing: readonly Outgoing[]): unknown[] {
  return outgoing.map(({ to, reason, message: sent }) => ({
    to,
    reason,
    key: sent.key,
    vector: record(sent.vector),
    ttl: sent.ttl,
    full: sent.full,
  }));
}

function byReason(outgoing: readonly Outgoing[], reason: Outgoing['reason']): Outgoing[] {
  return outgoing.filter((sent) => sent.reason === reason);
}

describe('handleMessage: an empty vector on a key', () => {
  it('answers the sender with the whole stored vector, full, and changes nothing', () => {
    const store = storeOf({ views: { 0: 9, 4: 2 } });
    const outgoing = handleMessage(context(store), message('views', {}), sender);
    expect(summary(outgoing)).toEqual([
      { to: sender, reason: 'answer', key: 'views', vector: { 0: 9, 4: 2 }, ttl: 4, full: true },
    ]);
    expect(store.get('views')?.toRecord()).toEqual({ 0: 9, 4: 2 });
  });

  it('gives no answer for an unknown key (an empty answer would read as a query), and stores nothing', () => {
    const store = storeOf({ views: { 0: 9 } });
    expect(handleMessage(context(store), message('clicks', {}), sender)).toEqual([]);
    expect(store.has('clicks')).toBe(false);
  });

  it('treats entries holding only zeros as a query, as the wire does', () => {
    const store = storeOf({ views: { 0: 9 } });
    const zeros: VignetteMessage = {
      key: 'views',
      vector: { kind: 'sparse', indices: [3], values: [0] },
      ttl: 5,
      full: false,
    };
    expect(byReason(handleMessage(context(store), zeros, sender), 'answer')).toHaveLength(1);
    const dense: VignetteMessage = {
      ...zeros,
      vector: { kind: 'dense', offset: 0, registers: new Uint8Array(8) },
    };
    expect(byReason(handleMessage(context(store), dense, sender), 'answer')).toHaveLength(1);
  });
});

describe('handleMessage: merge', () => {
  it('replies larger entries to the sender and forwards grown entries to fanout other peers', () => {
    const store = storeOf({ views: { 0: 9, 1: 1 } });
    const outgoing = handleMessage(context(store), message('views', { 0: 4, 1: 3, 2: 5 }), sender);
    expect(summary(byReason(outgoing, 'reply'))).toEqual([
      { to: sender, reason: 'reply', key: 'views', vector: { 0: 9 }, ttl: 4, full: false },
    ]);
    const forwards = byReason(outgoing, 'forward');
    expect(forwards).toHaveLength(DEFAULT_MESSAGE_RULES_CONFIG.fanout);
    expect(new Set(forwards.map((sent) => sent.to)).size).toBe(3);
    for (const forward of forwards) {
      expect(forward.to).not.toBe(sender);
      expect(others).toContain(forward.to);
      expect(record(forward.message.vector)).toEqual({ 1: 3, 2: 5 });
      expect(forward.message).toMatchObject({ key: 'views', ttl: 4, full: false });
    }
    expect(byReason(outgoing, 'pull')).toEqual([]);
    expect(store.get('views')?.toRecord()).toEqual({ 0: 9, 1: 3, 2: 5 });
  });

  it('sends nothing when the message changes nothing and nothing is larger here', () => {
    const store = storeOf({ views: { 0: 9, 1: 3 } });
    expect(handleMessage(context(store), message('views', { 0: 9, 1: 3 }), sender)).toEqual([]);
  });

  it('replies without forwarding when nothing grew', () => {
    const store = storeOf({ views: { 0: 9 } });
    const outgoing = handleMessage(context(store), message('views', { 0: 1 }), sender);
    expect(outgoing.map((sent) => sent.reason)).toEqual(['reply']);
  });

  it('never forwards back to the sender, and forwards to at most the live peers there are', () => {
    for (let seed = 0; seed < 100; seed++) {
      const outgoing = handleMessage(
        context(new MaxStore(), [sender, others[0], others[1]], seed),
        message('k', { 0: 1 }, 5, true),
        sender,
      );
      const forwards = byReason(outgoing, 'forward');
      expect(forwards.map((sent) => sent.to).sort()).toEqual([others[0], others[1]].sort());
    }
    expect(
      handleMessage(context(new MaxStore(), [sender]), message('k', { 0: 1 }, 5, true), sender),
    ).toEqual([]);
    expect(
      handleMessage(context(new MaxStore(), []), message('k', { 0: 1 }, 5, true), sender),
    ).toEqual([]);
  });

  it('follows the configured fanout, 0 included', () => {
    const wide = handleMessage(
      context(new MaxStore(), everyone, 1, { fanout: 5 }),
      message('k', { 0: 1 }, 5, true),
      sender,
    );
    expect(byReason(wide, 'forward')).toHaveLength(5);
    const none = handleMessage(
      context(new MaxStore(), everyone, 1, { fanout: 0 }),
      message('k', { 0: 1 }, 5, true),
      sender,
    );
    expect(none).toEqual([]);
  });

  it('pulls a key it never saw from pullFanout other peers when the message is not full', () => {
    const store = new MaxStore();
    const outgoing = handleMessage(context(store), message('fresh', { 3: 7 }, 6, false), sender);
    const pulls = byReason(outgoing, 'pull');
    expect(pulls).toHaveLength(DEFAULT_MESSAGE_RULES_CONFIG.pullFanout);
    for (const pull of pulls) {
      expect(pull.to).not.toBe(sender);
      expect(pull.message).toEqual({ key: 'fresh', vector: EMPTY_ENTRIES, ttl: 5, full: false });
    }
    const forwards = byReason(outgoing, 'forward');
    expect(forwards).toHaveLength(3);
    for (const forward of forwards) expect(forward.message.full).toBe(false);
    expect(store.get('fresh')?.toRecord()).toEqual({ 3: 7 });
  });

  it('does not pull a new key that came full, and forwards it as full', () => {
    const outgoing = handleMessage(
      context(new MaxStore()),
      message('fresh', { 3: 7 }, 6, true),
      sender,
    );
    expect(byReason(outgoing, 'pull')).toEqual([]);
    for (const forward of byReason(outgoing, 'forward')) expect(forward.message.full).toBe(true);
  });

  it('does not pull a key it already had, and marks forwards of a known key not full', () => {
    const store = storeOf({ known: { 0: 1 } });
    const outgoing = handleMessage(context(store), message('known', { 3: 7 }, 6, true), sender);
    expect(byReason(outgoing, 'pull')).toEqual([]);
    for (const forward of byReason(outgoing, 'forward')) expect(forward.message.full).toBe(false);
  });

  it('follows the configured pullFanout', () => {
    const outgoing = handleMessage(
      context(new MaxStore(), everyone, 1, { pullFanout: 4 }),
      message('fresh', { 3: 7 }),
      sender,
    );
    expect(byReason(outgoing, 'pull')).toHaveLength(4);
  });

  it('merges peer keys like any key', () => {
    const store = new MaxStore();
    const outgoing = handleMessage(
      context(store),
      message('n:127.0.0.9:7946', { 0: 120 }, 3, true),
      sender,
    );
    expect(store.get('n:127.0.0.9:7946')?.toRecord()).toEqual({ 0: 120 });
    expect(byReason(outgoing, 'forward')).toHaveLength(3);
  });

  it('lets range errors from the merge through, storing nothing', () => {
    const store = new MaxStore();
    const bad: VignetteMessage = {
      key: 'k',
      vector: { kind: 'sparse', indices: [1, -1], values: [1, 1] },
      ttl: 5,
      full: false,
    };
    expect(() => handleMessage(context(store), bad, sender)).toThrow(/index/);
    expect(store.has('k')).toBe(false);
  });
});

describe('handleMessage: ttl', () => {
  it('every message sent carries ttl − 1', () => {
    for (const ttl of [1, 2, 50]) {
      const store = storeOf({ views: { 0: 9 } });
      const outgoing = handleMessage(
        context(store),
        message('views', { 0: 1, 5: ttl }, ttl),
        sender,
      );
      expect(outgoing.map((sent) => sent.reason).sort()).toEqual([
        'forward',
        'forward',
        'forward',
        'reply',
      ]);
      for (const sent of outgoing) expect(sent.message.ttl).toBe(ttl - 1);
    }
  });

  it('at ttl 0 forwards and pulls nothing, but still replies and answers with ttl 0', () => {
    const store = storeOf({ views: { 0: 9 } });
    const merged = handleMessage(context(store), message('views', { 0: 1, 1: 4 }, 0), sender);
    expect(summary(merged)).toEqual([
      { to: sender, reason: 'reply', key: 'views', vector: { 0: 9 }, ttl: 0, full: false },
    ]);
    expect(store.get('views')?.toRecord()).toEqual({ 0: 9, 1: 4 });
    expect(handleMessage(context(store), message('fresh', { 0: 1 }, 0), sender)).toEqual([]);
    expect(store.has('fresh')).toBe(true);
    const answered = handleMessage(context(store), message('views', {}, 0), sender);
    expect(summary(answered)).toEqual([
      { to: sender, reason: 'answer', key: 'views', vector: { 0: 9, 1: 4 }, ttl: 0, full: true },
    ]);
  });

  it('a chain of forwards stops after ttl hops', () => {
    const nodes = everyone.map(() => new MaxStore());
    let inFlight: { to: number; from: PeerAddress; message: VignetteMessage }[] = [
      { to: 0, from: sender, message: message('k', { 0: 1 }, 3, true) },
    ];
    let hops = 0;
    let seed = 0;
    while (inFlight.length > 0) {
      const next: typeof inFlight = [];
      for (const { to, from, message: arriving } of inFlight) {
        const self = everyone[to];
        const peers = everyone.filter((peer) => peer !== self);
        for (const sent of handleMessage(context(nodes[to], peers, seed++), arriving, from)) {
          expect(sent.message.ttl).toBe(nextTtl(arriving.ttl));
          next.push({ to: everyone.indexOf(sent.to), from: self, message: sent.message });
        }
      }
      inFlight = next;
      hops++;
      expect(hops).toBeLessThanOrEqual(4);
    }
  });

  it('nextTtl decrements and clamps at 0', () => {
    expect([5, 1, 0, -3, Number.NaN].map(nextTtl)).toEqual([4, 0, 0, 0, 0]);
  });
});

describe('handleMessage: % search', () => {
  const contents = {
    'a.b(c)[d]:x': { 0: 5, 1: 1 },
    'a.b(c)[d]:y': { 2: 7 },
    'aXb(c)[d]:z': { 0: 99 },
    other: { 0: 3 },
  };

  it('answers every matching key with its whole vector, one full message per key, sorted by key', () => {
    const store = storeOf(contents);
    const outgoing = handleMessage(context(store), message('a.b(c)[d]:%', {}, 9), sender);
    expect(summary(outgoing)).toEqual([
      {
        to: sender,
        reason: 'answer',
        key: 'a.b(c)[d]:x',
        vector: { 0: 5, 1: 1 },
        ttl: 8,
        full: true,
      },
      { to: sender, reason: 'answer', key: 'a.b(c)[d]:y', vector: { 2: 7 }, ttl: 8, full: true },
    ]);
  });

  it('with entries, replies per key where the stored value is larger, and merges nothing', () => {
    const store = storeOf(contents);
    const outgoing = handleMessage(
      context(store),
      message('a.b(c)[d]:%', { 0: 4, 2: 9, 6: 1 }),
      sender,
    );
    expect(summary(outgoing)).toEqual([
      { to: sender, reason: 'reply', key: 'a.b(c)[d]:x', vector: { 0: 5 }, ttl: 4, full: false },
    ]);
    expect(store.get('a.b(c)[d]:x')?.toRecord()).toEqual({ 0: 5, 1: 1 });
    expect(store.get('a.b(c)[d]:y')?.toRecord()).toEqual({ 2: 7 });
    expect(store.has('a.b(c)[d]:%')).toBe(false);
  });

  it('answers nothing when nothing matches, and stores nothing under the pattern', () => {
    const store = storeOf(contents);
    expect(handleMessage(context(store), message('zz%', {}), sender)).toEqual([]);
    expect(handleMessage(context(store), message('zz%', { 0: 1 }), sender)).toEqual([]);
    expect(store.size).toBe(4);
  });

  it('answers n:% with every peer key (the join query)', () => {
    const store = storeOf({
      'n:127.0.0.2:7946': { 0: 60 },
      'n:127.0.0.3:7946': { 0: 61 },
      views: { 0: 1 },
    });
    const keys = handleMessage(context(store), message('n:%', {}), sender).map(
      (sent) => sent.message.key,
    );
    expect(keys).toEqual(['n:127.0.0.2:7946', 'n:127.0.0.3:7946']);
  });
});

describe('handleMessage: * aggregate', () => {
  const contents = {
    'hll.(eu)[1]': { 0: 3, 1: 9 },
    'hll.(eu)[2]': { 0: 8, 2: 1 },
    'hllX(eu)[3]': { 5: 50 },
  };

  it('answers the element-wise max of the matching keys under the pattern, full', () => {
    const store = storeOf(contents);
    const outgoing = handleMessage(context(store), message('hll.(eu)[*]', {}, 2), sender);
    expect(summary(outgoing)).toEqual([
      {
        to: sender,
        reason: 'answer',
        key: 'hll.(eu)[*]',
        vector: { 0: 8, 1: 9, 2: 1 },
        ttl: 1,
        full: true,
      },
    ]);
  });

  it('with entries, replies where the aggregate is larger, and stores nothing', () => {
    const store = storeOf(contents);
    const outgoing = handleMessage(
      context(store),
      message('hll.(eu)[*]', { 0: 8, 1: 2, 7: 4 }),
      sender,
    );
    expect(summary(outgoing)).toEqual([
      { to: sender, reason: 'reply', key: 'hll.(eu)[*]', vector: { 1: 9 }, ttl: 4, full: false },
    ]);
    expect(store.size).toBe(3);
    expect(store.get('hll.(eu)[1]')?.toRecord()).toEqual({ 0: 3, 1: 9 });
  });

  it('answers nothing when nothing matches', () => {
    expect(handleMessage(context(storeOf(contents)), message('none*', {}), sender)).toEqual([]);
  });

  it('is checked before %: a key holding both is an aggregate', () => {
    const store = storeOf(contents);
    const outgoing = handleMessage(context(store), message('hll%[*]', {}), sender);
    expect(summary(outgoing)).toEqual([
      {
        to: sender,
        reason: 'answer',
        key: 'hll%[*]',
        vector: { 0: 8, 1: 9, 2: 1, 5: 50 },
        ttl: 4,
        full: true,
      },
    ]);
  });
});

describe('handleMessage: determinism and hygiene', () => {
  it('gives the same messages for the same seed', () => {
    const run = (seed: number): unknown[] =>
      summary(
        handleMessage(
          context(storeOf({ k: { 0: 1 } }), everyone, seed),
          message('fresh', { 1: 2 }, 7),
          sender,
        ),
      );
    expect(run(12)).toEqual(run(12));
    const differ = [1, 2, 3, 4, 5, 6, 7, 8].some(
      (seed) => JSON.stringify(run(seed)) !== JSON.stringify(run(12)),
    );
    expect(differ).toBe(true);
  });

  it('never sends an empty or all-zero vector except in a pull', () => {
    const store = storeOf({ a: { 0: 1, 1: 5 }, b: { 2: 2 } });
    const messages = [
      message('a', { 0: 3, 1: 5 }),
      message('a', { 0: 0, 1: 0, 3: 1 }),
      message('b', {}),
      message('c', { 4: 4 }),
      message('%', {}),
      message('%', { 1: 9 }),
      message('*', {}),
      message('*', { 0: 9, 1: 9, 2: 9, 3: 9 }),
    ];
    for (const arriving of messages) {
      for (const sent of handleMessage(context(store), arriving, sender)) {
        expect(isQueryVector(sent.message.vector)).toBe(sent.reason === 'pull');
      }
    }
  });

  it('rejects a config that is not a non-negative integer', () => {
    for (const config of [{ fanout: -1 }, { pullFanout: 1.5 }, { fanout: Number.NaN }]) {
      let caught: unknown;
      try {
        handleMessage(context(new MaxStore(), everyone, 1, config), message('k', { 0: 1 }), sender);
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(InvalidMessageRulesConfigError);
      expect(isVigError(caught)).toBe(true);
    }
  });

  it('isQueryVector is true only without a non-zero entry', () => {
    expect(isQueryVector(EMPTY_ENTRIES)).toBe(true);
    expect(isQueryVector({ kind: 'sparse', indices: [1], values: [0] })).toBe(true);
    expect(isQueryVector({ kind: 'dense', offset: 3, registers: Uint8Array.from([0, 2]) })).toBe(
      false,
    );
    expect(isQueryVector(entriesFromRecord({ 7: 1 }))).toBe(false);
  });
});

describe('applyMessage', () => {
  it('returns what grew in the store, as the merge found it, beside the messages', () => {
    const store = storeOf({ views: { 0: 5, 1: 9 } });
    const outcome = applyMessage(context(store), message('views', { 0: 7, 1: 2, 4: 1 }), sender);
    expect(record(outcome.grew)).toEqual({ 0: 7, 4: 1 });
    expect(outcome.outgoing).toEqual(
      handleMessage(
        context(storeOf({ views: { 0: 5, 1: 9 } })),
        message('views', { 0: 7, 1: 2, 4: 1 }),
        sender,
      ),
    );
  });

  it('reports nothing grown for queries and patterns, which never merge', () => {
    const store = storeOf({ 'views:home': { 0: 5 } });
    for (const incoming of [
      message('views:home', {}),
      message('views:%', { 0: 9 }),
      message('views:*', { 0: 9 }),
    ]) {
      expect(record(applyMessage(context(store), incoming, sender).grew)).toEqual({});
    }
    expect(
      record(store.get('views:home')?.toEntries() ?? { kind: 'sparse', indices: [], values: [] }),
    ).toEqual({ 0: 5 });
  });
});

describe('applyMessage under store limits', () => {
  it('reports a new key refused at the key limit, and sends nothing for it', () => {
    const store = storeOf({ views: { 0: 5 } });
    store.setLimits({ maxKeys: 1 });
    const outcome = applyMessage(context(store), message('clicks', { 0: 1, 1: 1 }), sender);
    expect(outcome.refused).toEqual({ limit: 'keys', entries: 2 });
    expect(outcome.outgoing).toEqual([]);
    expect(store.has('clicks')).toBe(false);
  });

  it('merges and forwards what fits the entry limit, replies, and neither pulls nor marks full', () => {
    const store = storeOf({ views: { 0: 5 } });
    store.setLimits({ maxEntriesPerKey: 2 });
    const existing = applyMessage(context(store), message('views', { 0: 3, 1: 1, 2: 2 }), sender);
    expect(existing.refused).toEqual({ limit: 'entries', entries: 1 });
    expect(record(existing.grew)).toEqual({ 1: 1 });
    expect(summary(byReason(existing.outgoing, 'reply'))).toEqual([
      { to: sender, reason: 'reply', key: 'views', vector: { 0: 5 }, ttl: 4, full: false },
    ]);
    expect(byReason(existing.outgoing, 'forward').length).toBeGreaterThan(0);

    for (const full of [false, true]) {
      const key = `new:${full}`;
      const created = applyMessage(
        context(store),
        message(key, { 0: 1, 1: 1, 2: 1 }, 5, full),
        sender,
      );
      expect(created.refused).toEqual({ limit: 'entries', entries: 1 });
      expect(byReason(created.outgoing, 'pull')).toEqual([]);
      expect(byReason(created.outgoing, 'forward').every((sent) => !sent.message.full)).toBe(true);
    }
  });

  it('reports nothing refused within the limits', () => {
    const store = storeOf({ views: { 0: 5 } });
    store.setLimits({ maxKeys: 2, maxEntriesPerKey: 2 });
    const outcome = applyMessage(context(store), message('views', { 0: 9, 1: 1 }), sender);
    expect(outcome.refused).toBeUndefined();
    expect('refused' in outcome).toBe(false);
  });
});

describe('messageRulesConfig', () => {
  it('fills the defaults, freezes, and hands a checked config back as it is', () => {
    const config = messageRulesConfig({ fanout: 5 });
    expect(config).toEqual({ ...DEFAULT_MESSAGE_RULES_CONFIG, fanout: 5 });
    expect(Object.isFrozen(config)).toBe(true);
    expect(messageRulesConfig(config)).toBe(config);
    expect(messageRulesConfig(undefined)).toBe(DEFAULT_MESSAGE_RULES_CONFIG);
  });

  it('rejects a field that is not a non-negative integer', () => {
    expect(() => messageRulesConfig({ pullFanout: -1 })).toThrow(InvalidMessageRulesConfigError);
  });
});
