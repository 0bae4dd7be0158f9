import { describe, it } from 'vitest';
import { expectScenarioHolds } from '../expect-scenario.js';
import { simulatedLoss } from './simulated-loss.js';

describe(`${simulatedLoss.title} (short)`, () => {
  it(
    'converges at 30% loss in the simulated network, the same from the same seed',
    { timeout: 240_000 },
    (context) => expectScenarioHolds(simulatedLoss, context),
  );
});
