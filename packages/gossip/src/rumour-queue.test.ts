import { MaxVector, entriesFromRecord } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { RumourQueue, retransmitLimit } from './rumour-queue.js';
import type { Rumour } from './rumour-queue.js';

const one = (value: number) => entriesFromRecord({ 0: value });
const keys = (round: Rumour[]) => round.map((rumour) => rumour.key);

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
    queue.add('old', one(1), 1);
    queue.add('new', one(1), 2);
    queue.add('never', one(1), 0);

    expect(keys(queue.takeRound(1))).toEqual(['new']);
    expect(keys(queue.takeRound(5))).toEqual(['new', 'old']);
    expect(queue.takeRound(5)).toEqual([]);
    expect(queue.size).toBe(0);
  });

  it('joins the growth of a queued key into its delta and restarts its count, as the newest', () => {
    const queue = new RumourQueue();
    queue.add('a', entriesFromRecord({ 3: 1 }), 1);
    queue.add('b', one(1), 1);
    queue.add('a', entriesFromRecord({ 3: 2, 7: 5 }), 2);

    const [first, second] = queue.takeRound(5);
    expect(first?.key).toBe('a');
    expect(first === undefined ? {} : recordOf(first)).toEqual({ 3: 2, 7: 5 });
    expect(second?.key).toBe('b');
    expect(keys(queue.takeRound(5))).toEqual(['a']);
    queue.add('c', one(1), 1);
    queue.clear();
    expect(queue.takeRound(5)).toEqual([]);
  });
});

function recordOf(rumour: Rumour): Record<number, number> {
  return MaxVector.fromEntries(rumour.delta).toRecord();
}
