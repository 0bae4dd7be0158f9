import { describe, expect, it } from 'vitest';
import { RumourQueue, retransmitLimit } from './rumour-queue.js';

describe('retransmitLimit', () => {
  it('is the multiplier times ⌈log10(N + 1)⌉, at least once the multiplier', () => {
    expect(retransmitLimit(4, 0)).toBe(4);
    expect(retransmitLimit(4, 9)).toBe(4);
    expect(retransmitLimit(4, 10)).toBe(8);
    expect(retransmitLimit(4, 1000)).toBe(16);
  });
});

describe('RumourQueue', () => {
  it('hands out the newest keys first, each until its count runs out', () => {
    const queue = new RumourQueue();
    queue.add('old', 1);
    queue.add('new', 2);
    queue.add('never', 0);

    expect(queue.takeRound(1)).toEqual(['new']);
    expect(queue.takeRound(5)).toEqual(['new', 'old']);
    expect(queue.takeRound(5)).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('restarts the count of a key added again, as the newest', () => {
    const queue = new RumourQueue();
    queue.add('a', 1);
    queue.add('b', 1);
    queue.add('a', 2);

    expect(queue.takeRound(5)).toEqual(['a', 'b']);
    expect(queue.takeRound(5)).toEqual(['a']);
    queue.add('c', 1);
    queue.clear();
    expect(queue.takeRound(5)).toEqual([]);
  });
});
