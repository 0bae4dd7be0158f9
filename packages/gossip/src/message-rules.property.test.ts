import { MaxStore, MaxVector, forEachEntry } from '@vig/crdt-core';
import type { SparseEntries } from '@vig/crdt-core';
import type { VignetteMessage } from '@vig/wire';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_MESSAGE_RULES_CONFIG,
  handleMessage,
  isQueryVector,
  nextTtl,
} from './message-rules.js';
import { seededRandom } from './scheduler.js';
import { peerAddress } from './transport.js';

const sender = peerAddress('127.0.0.1:7946');
const others = [2, 3, 4, 5, 6].map((host) => peerAddress(`127.0.0.${host}:7946`));
const plainKeys = ['a', 'a.b', 'x(y)', '[z]', 'n:127.0.0.9:7946'];
const patterns = ['%', 'a%', '*', 'a.*', 'x(%', '%]', '*(y)', '[%'];

/** Sparse entries, small indices and values, repeats and zeros included. */
const entries: fc.Arbitrary<SparseEntries> = fc
  .array(fc.tuple(fc.nat({ max: 12 }), fc.nat({ max: 20 })), { maxLength: 10 })
  .map((pairs) => ({
    kind: 'sparse',
    indices: pairs.map(([index]) => index),
    values: pairs.map(([, value]) => value),
  }));

const storeContents = fc.array(fc.tuple(fc.constantFrom(...plainKeys), entries), { maxLength: 8 });

function storeOf(contents: readonly (readonly [string, SparseEntries])[]): MaxStore {
  const store = new MaxStore();
  for (const [key, vector] of contents) store.merge(key, vector);
  return store;
}

function snapshot(store: MaxStore): Record<string, Record<number, number>> {
  return Object.fromEntries([...store].map(([key, vector]) => [key, vector.toRecord()]));
}

const scenario = fc.record({
  node: storeContents,
  senderStore: storeContents,
  key: fc.constantFrom(...plainKeys),
  vector: entries,
  ttl: fc.nat({ max: 4 }),
  full: fc.boolean(),
  peerCount: fc.nat({ max: others.length }),
  senderListed: fc.boolean(),
  seed: fc.integer(),
});

describe('handleMessage properties', () => {
  it('replies and answers bring the sender up to the node at every index it sent (catch-up)', () => {
    fc.assert(
      fc.property(
        scenario,
        ({ node, senderStore, key, vector, ttl, full, peerCount, senderListed, seed }) => {
          const store = storeOf(node);
          const senderSide = storeOf(senderStore);
          senderSide.merge(key, vector); // the sender holds at least what it sends
          const peers = senderListed
            ? [sender, ...others.slice(0, peerCount)]
            : others.slice(0, peerCount);
          const message: VignetteMessage = { key, vector, ttl, full };
          const outgoing = handleMessage(
            { store, peers, random: seededRandom(seed) },
            message,
            sender,
          );
          for (const sent of outgoing) {
            if (sent.to === sender) {
              expect(['reply', 'answer']).toContain(sent.reason);
              senderSide.merge(sent.message.key, sent.message.vector);
            }
          }
          const here = store.get(key) ?? new MaxVector();
          const there = senderSide.get(key) ?? new MaxVector();
          if (isQueryVector(vector)) {
            here.forEach((index, value) => expect(there.get(index)).toBeGreaterThanOrEqual(value));
          } else {
            forEachEntry(vector, (index, value) => {
              expect(there.get(index)).toBeGreaterThanOrEqual(here.get(index));
              expect(here.get(index)).toBeGreaterThanOrEqual(value); // and the node took what was sent
            });
          }
        },
      ),
    );
  });

  it('forwards carry exactly the grown entries, with ttl − 1, to fanout peers other than the sender', () => {
    fc.assert(
      fc.property(scenario, ({ node, key, vector, ttl, full, peerCount, senderListed, seed }) => {
        const store = storeOf(node);
        const before = store.get(key)?.toRecord() ?? {};
        const existed = store.has(key);
        const peers = senderListed
          ? [sender, ...others.slice(0, peerCount)]
          : others.slice(0, peerCount);
        const outgoing = handleMessage(
          { store, peers, random: seededRandom(seed) },
          { key, vector, ttl, full },
          sender,
        );
        const after = store.get(key)?.toRecord() ?? {};
        const grown: Record<number, number> = {};
        for (const [index, value] of Object.entries(after)) {
          if (value > (before[Number(index)] ?? 0)) grown[Number(index)] = value;
        }
        const forwards = outgoing.filter((sent) => sent.reason === 'forward');
        const shouldForward = ttl > 0 && Object.keys(grown).length > 0 && !isQueryVector(vector);
        const expected = shouldForward
          ? Math.min(DEFAULT_MESSAGE_RULES_CONFIG.fanout, peerCount)
          : 0;
        expect(forwards).toHaveLength(expected);
        expect(new Set(forwards.map((sent) => sent.to)).size).toBe(forwards.length);
        for (const forward of forwards) {
          expect(forward.to).not.toBe(sender);
          expect(MaxVector.fromEntries(forward.message.vector).toRecord()).toEqual(grown);
          expect(forward.message.ttl).toBe(nextTtl(ttl));
          expect(forward.message.full).toBe(!existed && full);
        }
        const pulls = outgoing.filter((sent) => sent.reason === 'pull');
        const shouldPull = ttl > 0 && !existed && store.has(key) && !full;
        expect(pulls).toHaveLength(
          shouldPull ? Math.min(DEFAULT_MESSAGE_RULES_CONFIG.pullFanout, peerCount) : 0,
        );
        for (const sent of outgoing) {
          expect(sent.message.ttl).toBe(nextTtl(ttl));
          expect(isQueryVector(sent.message.vector)).toBe(sent.reason === 'pull');
          if (sent.reason === 'pull' || sent.reason === 'forward') expect(sent.to).not.toBe(sender);
          else expect(sent.to).toBe(sender);
        }
      }),
    );
  });

  it('patterns change nothing, answer only the sender, and reply only what is larger here', () => {
    fc.assert(
      fc.property(
        storeContents,
        fc.constantFrom(...patterns),
        entries,
        fc.nat({ max: 4 }),
        (node, pattern, vector, ttl) => {
          const store = storeOf(node);
          const before = snapshot(store);
          const outgoing = handleMessage(
            { store, peers: others, random: seededRandom(1) },
            { key: pattern, vector, ttl, full: false },
            sender,
          );
          expect(snapshot(store)).toEqual(before);
          const aggregate = pattern.includes('*');
          for (const sent of outgoing) {
            expect(sent.to).toBe(sender);
            expect(sent.message.ttl).toBe(nextTtl(ttl));
            expect(isQueryVector(sent.message.vector)).toBe(false);
            if (aggregate) expect(sent.message.key).toBe(pattern);
            const source = aggregate ? store.aggregate(pattern) : store.get(sent.message.key);
            expect(source).toBeDefined();
            const answered = MaxVector.fromEntries(sent.message.vector);
            if (isQueryVector(vector)) {
              expect(sent.message.full).toBe(true);
              expect(source?.equals(answered)).toBe(true);
            } else {
              expect(sent.message.full).toBe(false);
              const sentHere = new MaxVector();
              sentHere.merge(vector);
              answered.forEach((index, value) => {
                expect(value).toBe(source?.get(index));
                expect(value).toBeGreaterThan(sentHere.get(index));
              });
              sentHere.forEach((index, value) => {
                if ((source?.get(index) ?? 0) > value)
                  expect(answered.get(index)).toBe(source?.get(index));
              });
            }
          }
        },
      ),
    );
  });
});
