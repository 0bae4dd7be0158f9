import { afterAll, describe, it } from 'vitest';
import { expectScenarioHolds } from '../expect-scenario.js';
import { killAllProcesses } from '../managed-process.js';
import { partitionHeal } from './partition-heal.js';

afterAll(() => killAllProcesses());

describe(`${partitionHeal.title} (short)`, () => {
  it(
    'detects a partition of real processes, keeps writes on their side, and heals',
    { timeout: 240_000 },
    (context) => expectScenarioHolds(partitionHeal, context),
  );
});
