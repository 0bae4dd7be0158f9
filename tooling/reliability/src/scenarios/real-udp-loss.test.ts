import { afterAll, describe, it } from 'vitest';
import { expectScenarioHolds } from '../expect-scenario.js';
import { killAllProcesses } from '../managed-process.js';
import { realUdpLoss } from './real-udp-loss.js';

afterAll(() => killAllProcesses());

describe(`${realUdpLoss.title} (short)`, () => {
  it(
    'forms membership and converges with 30% of real datagrams lost',
    { timeout: 240_000 },
    (context) => expectScenarioHolds(realUdpLoss, context),
  );
});
