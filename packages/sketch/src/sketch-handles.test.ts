import { MaxStore, MaxVector } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { bloomParameters } from './bloom-parameters.js';
import { counterHandle } from './counter-handle.js';
import { hllHandle } from './hll-handle.js';
import { hllCount, hllDelta } from './hyperloglog.js';
import { redisProfile } from './hyperloglog-redis-profile.js';
import { sketchHandles } from './sketch-handles.js';
import type { SketchStore } from './sketch-store.js';

/** A store over a MaxStore that records every put and can fail the next ones or read stale. */
class RecordingStore implements SketchStore {
  readonly store = new MaxStore();
  readonly puts: { key: string; entries: VectorEntries }[] = [];
  failures = 0;
  stale = false;

  async put(key: string, entries: VectorEntries): Promise<void> {
    await Promise.resolve();
    if (this.failures > 0) {
      this.failures--;
      throw new Error('disk full');
    }
    this.puts.push({ key, entries });
    this.store.merge(key, entries);
  }

  async get(key: string): Promise<MaxVector | undefined> {
    await Promise.resolve();
    return this.stale ? undefined : this.store.get(key)?.clone();
  }
}

const items = (count: number, prefix = 'item'): string[] =>
  Array.from({ length: count }, (_, index) => `${prefix}:${index}`);

describe('hllHandle', () => {
  it('batches a turn of adds into one put and counts as hllCount does', async () => {
    const store = new RecordingStore();
    const visitors = hllHandle(store, 'visitors');
    for (const item of items(5000)) void visitors.add(item);
    await visitors.flush();
    expect(store.puts).toHaveLength(1);
    expect(store.puts[0].entries).toEqual(hllDelta(items(5000)));
    expect(await visitors.count()).toBe(hllCount(hllDelta(items(5000))));
    const small = hllHandle(store, 'small');
    await small.add('a', 'b', 'c', 'd', 'e');
    expect(await small.count()).toBe(5);
  });

  it('puts only the registers that grew', async () => {
    const store = new RecordingStore();
    const visitors = hllHandle(store, 'visitors');
    await visitors.addAll(items(100));
    await visitors.addAll(items(100)); // nothing grows: no put
    expect(store.puts).toHaveLength(1);
    await visitors.addAll(items(200));
    const stored = hllDelta(items(100));
    const second = store.puts[1].entries;
    expect(second.kind).toBe('sparse');
    if (second.kind !== 'sparse') return;
    const before = MaxVector.fromEntries(stored);
    for (let entry = 0; entry < second.indices.length; entry++) {
      expect(second.values[entry]).toBeGreaterThan(before.get(second.indices[entry]));
    }
    expect(await visitors.count()).toBe(hllCount(hllDelta(items(200))));
  });

  it('loses nothing when a put fails: the add rejects and the next write carries it', async () => {
    const store = new RecordingStore();
    const visitors = hllHandle(store, 'visitors', { profile: redisProfile(10) });
    store.failures = 1;
    await expect(visitors.add(...items(50))).rejects.toThrow('disk full');
    expect(store.puts).toHaveLength(0);
    expect(await visitors.count()).toBe(
      hllCount(hllDelta(items(50), { profile: redisProfile(10) }), { profile: redisProfile(10) }),
    );
  });
});

describe('counterHandle', () => {
  it('sums a turn of increments into one put of the writer count', async () => {
    const store = new RecordingStore();
    const visits = counterHandle(store, 'visits', 7);
    for (let turn = 0; turn < 10; turn++) void visits.increment(turn);
    await visits.flush();
    expect(store.puts).toEqual([
      { key: 'visits', entries: { kind: 'sparse', indices: [7], values: [45] } },
    ]);
    await counterHandle(store, 'visits', 8).increment(5);
    expect(await visits.value()).toBe(50);
  });

  it('stays exact when the store reads stale, from the count it wrote', async () => {
    const store = new RecordingStore();
    const visits = counterHandle(store, 'visits', 1);
    await visits.increment(3);
    store.stale = true;
    await visits.increment(2);
    store.stale = false;
    expect(await visits.value()).toBe(5);
  });

  it('rejects a bad increment where it is made', () => {
    const visits = counterHandle(new RecordingStore(), 'visits', 1);
    expect(() => visits.increment(-1)).toThrow(/increment/);
    expect(() => visits.increment(1.5)).toThrow(/increment/);
    expect(() => counterHandle(new RecordingStore(), 'visits', -1)).toThrow();
  });

  it('keeps increments whose put failed for the next write', async () => {
    const store = new RecordingStore();
    const visits = counterHandle(store, 'visits', 1);
    store.failures = 1;
    await expect(visits.increment(4)).rejects.toThrow('disk full');
    await visits.increment(1);
    expect(await visits.value()).toBe(5);
  });
});

describe('sketchHandles', () => {
  it('gives one handle per key and kind, so a program batches together', () => {
    const sketches = sketchHandles(new RecordingStore(), 3);
    expect(sketches.hll('a')).toBe(sketches.hll('a'));
    expect(sketches.hll('a')).not.toBe(sketches.hll('a', { profile: redisProfile(12) }));
    expect(sketches.counter('c')).toBe(sketches.counter('c'));
    expect(sketches.minHash('m')).toBe(sketches.minHash('m', 128));
  });

  it('counts a PN-Counter up and down, below zero', async () => {
    const store = new RecordingStore();
    const stock = sketchHandles(store, 3).pnCounter('stock');
    void stock.increment(5);
    void stock.decrement(8);
    expect(await stock.value()).toBe(-3);
    expect(store.store.get('stock:p')?.toRecord()).toEqual({ 3: 5 });
    expect(store.store.get('stock:n')?.toRecord()).toEqual({ 3: 8 });
  });

  it('answers Bloom, Min-Hash and max-register questions after pending writes', async () => {
    const store = new RecordingStore();
    const sketches = sketchHandles(store, 3);
    const seen = sketches.bloom('seen', bloomParameters(1000, 0.01));
    void seen.add('alice', 'bob');
    expect(await seen.has('alice')).toBe(true);
    expect(await seen.has('carol')).toBe(false);
    await seen.add('alice');
    expect(store.puts.filter(({ key }) => key === 'seen')).toHaveLength(1);

    void sketches.minHash('a', 256).add(...items(300));
    await sketches.minHash('b', 256).add(...items(300, 'other'), ...items(300));
    // J = 300/600; the estimate's standard deviation is √(J(1−J)/k) ≈ 0.031.
    const similarity = await sketches.minHash('a', 256).similarity('b');
    expect(Math.abs(similarity - 0.5)).toBeLessThan(3 * Math.sqrt(0.25 / 256));

    const high = sketches.maxRegister('high');
    void high.set(10);
    void high.set(4);
    void high.set(7, 2);
    expect(await high.value()).toBe(10);
    expect(await high.value(2)).toBe(7);
  });
});
