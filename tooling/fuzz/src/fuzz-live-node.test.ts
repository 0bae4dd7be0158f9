import { describe, expect, it } from 'vitest';
import { fuzzLiveNode } from './fuzz-live-node.js';

describe('fuzzLiveNode (short run)', () => {
  it('keeps a live node serving correct reads, under its memory ceiling, counting every reject', async () => {
    const report = await fuzzLiveNode({ seed: 20_261_122, datagrams: 20_000 });
    expect(report.problems).toEqual([]);
    expect(report.sent.mutated).toBeGreaterThan(10_000);
    expect(
      Object.values(report.expectedRejects).reduce((sum, count) => sum + count, 0),
    ).toBeGreaterThan(5_000);
    expect(report.readChecks).toBeGreaterThanOrEqual(10);
  }, 120_000);
});
