import { describe, it } from 'vitest';
import { expectScenarioHolds } from '../expect-scenario.js';
import { datagramFuzzing } from './datagram-fuzzing.js';

describe('datagram fuzzing (short)', () => {
  it('keeps a live node serving, counting every reject, under its memory ceiling', async (context) => {
    await expectScenarioHolds(datagramFuzzing, context);
  }, 120_000);
});
