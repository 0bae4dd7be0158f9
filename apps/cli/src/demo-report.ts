import type { VigNode } from '@vig/node-udp';
import type { DemoAgreement } from './demo-agreement.js';
import { datagramsSent } from './demo-write.js';
import type { WriteMeasurement } from './demo-write.js';
import { COUNTER_KEY, PAGES_PATTERN } from './demo-writes.js';
import { bytesText, durationText } from './measure-text.js';

/** What the demo measured, for its closing report. */
export interface DemoMeasurements {
  /** The nodes, still running (their traffic counters are read). */
  readonly nodes: readonly VigNode[];
  /** Milliseconds from the first start until every node saw every other. */
  readonly membership: number;
  /** Each write's measurement. */
  readonly writes: readonly WriteMeasurement[];
  /** What every node answered at the end. */
  readonly agreement: DemoAgreement;
  /** Milliseconds from the first start until now. */
  readonly elapsed: number;
}

/** The middle value of `values` (the lower middle for an even count). */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((left, right) => left - right);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? 0;
}

/** The demo's closing lines: what every node agrees on, and what was measured. */
export function demoReport(measured: DemoMeasurements): string {
  const { nodes, membership, writes, agreement, elapsed } = measured;
  const convergences = writes.map(({ convergence }) => convergence);
  const slowest = Math.max(...convergences);
  const bytes = nodes.reduce((sum, node) => sum + node.metrics().bytesOut, 0);
  const whileSpreading = writes.reduce((sum, { datagrams }) => sum + datagrams, 0);
  return [
    `Every node agrees: ${COUNTER_KEY} counts ${agreement.count}; ${PAGES_PATTERN} = ${agreement.pages}`,
    'Measured:',
    `  membership    ${durationText(membership)} until all ${nodes.length} nodes saw each other`,
    `  convergence   median ${durationText(median(convergences))}, slowest ${durationText(slowest)} over ${writes.length} writes`,
    `  datagrams     ${datagramsSent(nodes)} sent by ${nodes.length} nodes (${bytesText(bytes)}) in ${durationText(elapsed)}; ${whileSpreading} while writes spread`,
    '',
  ].join('\n');
}
