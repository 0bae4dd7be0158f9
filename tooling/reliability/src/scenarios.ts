/**
 * Every scenario, in the order the report lists them. A new scenario is one
 * module under scenarios/ exporting a {@link Scenario}, and one line here
 * (and a test beside it running its short version).
 */
import type { Scenario } from './scenario.js';
import { clockSkewKeyed } from './scenarios/clock-skew-keyed.js';
import { clockSkew } from './scenarios/clock-skew.js';
import { datagramFuzzing } from './scenarios/datagram-fuzzing.js';
import { killUnderLoad } from './scenarios/kill-under-load.js';
import { partitionHeal } from './scenarios/partition-heal.js';
import { realUdpLoss } from './scenarios/real-udp-loss.js';
import { simulatedLoss } from './scenarios/simulated-loss.js';

/** The scenarios of `pnpm reliability`. */
export const SCENARIOS: readonly Scenario[] = [
  killUnderLoad,
  simulatedLoss,
  realUdpLoss,
  partitionHeal,
  clockSkew,
  clockSkewKeyed,
  datagramFuzzing,
];
