import { describe, expect, it } from 'vitest';
import { runVersionedFuzz } from '../test/versioned-fuzz.js';

const fail = (message: string): never => {
  throw new Error(message);
};

describe('versioned store fuzz (the seed’s test, on Vig’s API)', () => {
  it.each(Array.from({ length: 24 }, (_, seed) => seed + 1))(
    'seed %i: 3 peers, 60 iterations of 10 ops, invariant checker after every step',
    (seed) => {
      const report = runVersionedFuzz({
        seed,
        iterations: 60,
        checks: 'invariants',
        sync: 'alternate',
        fail,
      });
      expect(report.operations).toBe(600);
    },
  );

  it('full length: 3 peers, 2000 iterations of 10 ops, invariant checker after every step', () => {
    const report = runVersionedFuzz({
      seed: 2026,
      iterations: 2000,
      checks: 'invariants',
      sync: 'heads',
      fail,
    });
    expect(report.operations).toBe(20_000);
    expect(report.agents).toBeGreaterThan(9000);
  }, 300_000);
});
