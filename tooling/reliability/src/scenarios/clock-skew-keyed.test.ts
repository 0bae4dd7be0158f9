import { afterAll, describe, it } from 'vitest';
import { expectScenarioHolds } from '../expect-scenario.js';
import { killAllProcesses } from '../managed-process.js';
import { clockSkewKeyed } from './clock-skew-keyed.js';

afterAll(() => killAllProcesses());

describe(`${clockSkewKeyed.title} (short)`, () => {
  it(
    'keeps a keyed cluster with clocks an hour ahead and behind alive and converging',
    { timeout: 240_000 },
    (context) => expectScenarioHolds(clockSkewKeyed, context),
  );
});
