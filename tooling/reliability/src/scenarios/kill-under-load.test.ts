import { afterAll, describe, it } from 'vitest';
import { expectScenarioHolds } from '../expect-scenario.js';
import { killAllProcesses } from '../managed-process.js';
import { killUnderLoad } from './kill-under-load.js';

afterAll(() => killAllProcesses());

describe(`${killUnderLoad.title} (short)`, () => {
  it(
    'keeps every acknowledged write through kill -9 and a restart, and the store opens cleanly',
    { timeout: 240_000 },
    (context) => expectScenarioHolds(killUnderLoad, context),
  );
});
