import { MaxVector } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { openMemoryStore } from './memory-store.js';

describe('openMemoryStore', () => {
  it('keeps committed copies in the contents map it is given', async () => {
    const contents = new Map<string, MaxVector>();
    const store = openMemoryStore({ contents });
    const vector = MaxVector.from({ 0: 1 });
    const written = store.write('a', vector);
    expect(contents.size).toBe(0);
    await written;
    expect(contents.get('a')?.toRecord()).toEqual({ 0: 1 });
    expect(contents.get('a')).not.toBe(vector);
    await store.close();
  });

  it('starts empty without contents, and stores are independent of each other', async () => {
    const first = openMemoryStore();
    await first.write('a', MaxVector.from({ 0: 1 }));
    const second = openMemoryStore();
    expect((await second.load()).size).toBe(0);
    expect((await first.load()).size).toBe(1);
    await Promise.all([first.close(), second.close()]);
  });
});
