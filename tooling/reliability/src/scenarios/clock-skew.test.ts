import { afterAll, describe, it } from 'vitest';
import { expectScenarioHolds } from '../expect-scenario.js';
import { killAllProcesses } from '../managed-process.js';
import { clockSkew } from './clock-skew.js';

afterAll(() => killAllProcesses());

describe(`${clockSkew.title} (short)`, () => {
  it(
    'keeps membership alive with clocks an hour ahead and behind, and across a clock step back',
    { timeout: 240_000 },
    (context) => expectScenarioHolds(clockSkew, context),
  );
});
