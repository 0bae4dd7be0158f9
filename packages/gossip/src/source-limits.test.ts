import { describe, expect, it } from 'vitest';
import { AMPLIFICATION_FACTOR, SourceLimits } from './source-limits.js';
import type { SourceLimitsOptions } from './source-limits.js';
import { peerAddress } from './transport.js';

const alice = peerAddress('10.0.0.1:7946');
const bob = peerAddress('10.0.0.2:7946');

function limits(overrides: Partial<SourceLimitsOptions> = {}): SourceLimits {
  return new SourceLimits({
    sourceRate: 10,
    sourceBurst: 5,
    maxSources: 4,
    sourceIdleTimeout: 60_000,
    budgets: true,
    ...overrides,
  });
}

describe('SourceLimits rate', () => {
  it('lets a burst through, then the rate, per source', () => {
    const table = limits();
    const admitted = (source = alice, now = 0) => table.admit(source, 10, now);
    expect(Array.from({ length: 8 }, () => admitted())).toEqual([
      ...Array<boolean>(5).fill(true),
      false,
      false,
      false,
    ]);
    expect(admitted(bob)).toBe(true);
    // 10 a second: one token every 100 ms.
    expect(admitted(alice, 99)).toBe(false);
    expect(admitted(alice, 100)).toBe(true);
    expect(admitted(alice, 100)).toBe(false);
    // A quiet spell refills the bucket up to the burst, no further.
    expect(Array.from({ length: 7 }, () => admitted(alice, 60_000)).filter(Boolean)).toHaveLength(
      5,
    );
  });

  it('limits nothing at rate 0, and keeps no table when no budget is needed either', () => {
    const table = limits({ sourceRate: 0, budgets: false });
    for (let datagram = 0; datagram < 1000; datagram++)
      expect(table.admit(alice, 10, 0)).toBe(true);
    expect(table.active).toBe(false);
    expect(table.size).toBe(0);
  });
});

describe('SourceLimits amplification budget', () => {
  it('credits three bytes per byte received and spends what is sent', () => {
    const table = limits();
    table.admit(alice, 100, 0);
    expect(table.credit(alice)).toBe(AMPLIFICATION_FACTOR * 100);
    expect(table.spend(alice, 250)).toBe(true);
    expect(table.spend(alice, 50)).toBe(true);
    expect(table.spend(alice, 1)).toBe(false);
  });

  it('refuses an answer the credit does not cover, whole, and then owes it', () => {
    const table = limits();
    table.admit(alice, 100, 0);
    expect(table.spend(alice, 1000)).toBe(false);
    expect(table.credit(alice)).toBe(-1000);
    // A small answer right after is refused too: the asker never gets an
    // answer's successors without the answer.
    table.admit(alice, 40, 0);
    expect(table.spend(alice, 40)).toBe(false);
    expect(table.credit(alice)).toBe(-40);
    table.admit(alice, 40, 0);
    expect(table.spend(alice, 40)).toBe(true);
  });

  it('has no credit for an address never heard from, and records nothing for it', () => {
    const table = limits();
    expect(table.spend(bob, 1)).toBe(false);
    expect(table.size).toBe(0);
  });
});

describe('SourceLimits memory', () => {
  it('keeps at most maxSources addresses, forgetting the least recently seen', () => {
    const table = limits({ maxSources: 100 });
    for (let index = 0; index < 100_000; index++) {
      table.admit(
        peerAddress(`10.${index >> 16}.${(index >> 8) & 255}.${index & 255}:7946`),
        50,
        0,
      );
    }
    expect(table.size).toBe(100);
    // The first addresses were forgotten with their credit.
    expect(table.credit(peerAddress('10.0.0.0:7946'))).toBe(0);
  });

  it('starts an address afresh after sourceIdleTimeout, and expires idle ones', () => {
    const table = limits({ sourceIdleTimeout: 1_000 });
    for (let datagram = 0; datagram < 6; datagram++) table.admit(alice, 10, 0);
    expect(table.admit(alice, 10, 0)).toBe(false);
    table.admit(bob, 10, 500);
    expect(table.admit(alice, 10, 2_000)).toBe(true);
    expect(table.credit(alice)).toBe(AMPLIFICATION_FACTOR * 10);
    table.expire(3_000, 10);
    expect(table.size).toBe(1);
    table.expire(3_001, 10);
    expect(table.size).toBe(0);
  });
});
