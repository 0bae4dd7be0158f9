import { VersionedStore, agentId, seededRandom, versionKey } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { sampleHistory } from './doc-sample.js';

describe('sampleHistory', () => {
  it('lists the heads, then recent versions, then versions further and further back, the oldest last', () => {
    const store = new VersionedStore({ agent: agentId('a'), random: seededRandom(1) });
    for (let step = 0; step < 1000; step++) {
      store.switchAgent(agentId(`agent-${step}`));
      store.put('k', step);
    }
    const { heads, complete, versions } = sampleHistory(store, 8, 16);
    expect(heads).toEqual(store.heads);
    expect(complete).toBe(true);
    expect(versions).toHaveLength(15);
    const positions = versions.map((version) => store.positionOf(version));
    // Eight recent ones (the head is not repeated), then 16, 32 … 512 back, then the oldest.
    expect(positions).toEqual([
      998, 997, 996, 995, 994, 993, 992, 991, 983, 967, 935, 871, 743, 487, 0,
    ]);
    expect(new Set(versions.map(versionKey)).size).toBe(versions.length);
  });

  it('says when it lists only some heads, and samples an empty store as nothing', () => {
    const empty = new VersionedStore({ agent: agentId('a'), random: seededRandom(1) });
    expect(sampleHistory(empty, 4, 4)).toEqual({ heads: [], complete: true, versions: [] });
    const source = new VersionedStore({ agent: agentId('a'), random: seededRandom(1) });
    const operations = Array.from({ length: 6 }, (_, index) => {
      const writer = new VersionedStore({
        agent: agentId(`w${index}`),
        random: seededRandom(index),
      });
      return writer.operation(writer.put('k', index));
    });
    source.applyRemote(operations);
    const sample = sampleHistory(source, 4, 4);
    expect(sample.heads).toHaveLength(4);
    expect(sample.complete).toBe(false);
    expect(sample.versions).toHaveLength(2);
  });
});
