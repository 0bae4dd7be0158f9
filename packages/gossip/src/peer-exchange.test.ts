import { MaxStore, MaxVector } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { mergePeerEntries, peerEntry, sortPeerKeys } from './peer-exchange.js';
import { peerKeyOf } from './peer-key.js';
import { peerAddress } from './transport.js';

const alice = peerAddress('127.0.0.1:7946');
const bob = peerAddress('127.0.0.2:7946');

describe('peer exchange', () => {
  it('reads a peer key as an entry, 0 where nothing is stored', () => {
    const store = new MaxStore();
    store.merge(peerKeyOf(alice), MaxVector.from({ 0: 100, 1: 90 }));
    expect(peerEntry(store, alice, peerKeyOf(alice))).toEqual({
      address: alice,
      heartbeat: 100,
      leave: 90,
    });
    expect(peerEntry(store, bob, peerKeyOf(bob))).toEqual({ address: bob, heartbeat: 0, leave: 0 });
  });

  it('merges entries as peer keys, reporting what grew and what is larger here', () => {
    const store = new MaxStore();
    store.merge(peerKeyOf(alice), MaxVector.from({ 0: 100 }));

    const { grown, larger } = mergePeerEntries(store, [
      { address: alice, heartbeat: 50, leave: 0 },
      { address: bob, heartbeat: 7, leave: 3 },
    ]);

    expect(store.get(peerKeyOf(bob))?.toRecord()).toEqual({ 0: 7, 1: 3 });
    expect(grown.map((item) => item.address)).toEqual([bob]);
    expect(larger).toEqual([{ address: alice, heartbeat: 100, leave: 0 }]);
  });

  it('skips addresses that could not be peer keys, and empty entries', () => {
    const store = new MaxStore();
    const result = mergePeerEntries(store, [
      { address: 'not an address', heartbeat: 5, leave: 0 },
      { address: '127.0.0.1:07946', heartbeat: 5, leave: 0 },
      { address: '127.0.0.%:1', heartbeat: 5, leave: 0 },
      { address: bob, heartbeat: 0, leave: 0 },
    ]);
    expect(result).toEqual({ grown: [], larger: [], refused: 0 });
    expect([...store.keys()]).toEqual([]);
  });

  it('counts the entries of new peers a store at its key limit refuses', () => {
    const store = new MaxStore({ limits: { maxKeys: 1 } });
    store.merge(peerKeyOf(alice), { kind: 'sparse', indices: [0], values: [5] });
    const result = mergePeerEntries(store, [
      { address: alice, heartbeat: 9, leave: 0 },
      { address: bob, heartbeat: 9, leave: 0 },
    ]);
    expect(result.grown.map((item) => item.address)).toEqual([alice]);
    expect(result.refused).toBe(1);
    expect(store.has(peerKeyOf(bob))).toBe(false);
  });
});

describe('peer exchange ranges', () => {
  const carol = peerAddress('127.0.0.3:7946');
  const dave = peerAddress('127.0.0.4:7946');

  function storeKnowing(...addresses: ReturnType<typeof peerAddress>[]) {
    const store = new MaxStore();
    const known = new Map(addresses.map((address) => [address, peerKeyOf(address)] as const));
    for (const address of addresses) store.merge(peerKeyOf(address), MaxVector.from({ 0: 10 }));
    return { store, known };
  }

  it('answers the peers of the range the sender did not list, and only those', () => {
    const { store, known } = storeKnowing(alice, bob, carol, dave);
    const { larger } = mergePeerEntries(store, [{ address: bob, heartbeat: 10, leave: 0 }], known, {
      from: bob,
      to: dave,
    });
    expect(larger.map((entry) => entry.address)).toEqual([carol]);
  });

  it('treats absent bounds as unbounded, and no range as no gap-filling', () => {
    const { store, known } = storeKnowing(alice, bob, carol);
    const entries = [{ address: bob, heartbeat: 10, leave: 0 }];
    expect(
      mergePeerEntries(store, entries, known, {}).larger.map((entry) => entry.address),
    ).toEqual([alice, carol]);
    expect(mergePeerEntries(store, entries, known).larger).toEqual([]);
  });

  it('sorts a table by address', () => {
    const { known } = storeKnowing(carol, alice, bob);
    expect(sortPeerKeys(known).map(([address]) => address)).toEqual([alice, bob, carol]);
  });
});
