import { describe, expect, it } from 'vitest';
import { FUZZ_FIGURES, datagramFuzzing } from './datagram-fuzzing.js';

describe('the datagram fuzzing slot', () => {
  it('keeps its rows in the report, marked not yet measured', async () => {
    const result = await datagramFuzzing.run({ short: true });
    expect(result.status).toBe('not-measured');
    expect(result.figures.map((figure) => figure.name)).toEqual([...FUZZ_FIGURES]);
  });
});
