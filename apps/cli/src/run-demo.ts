import type { VigNode } from '@vig/node-udp';
import type { CliIo, TextOutput } from './cli-io.js';
import { readAgreement } from './demo-agreement.js';
import { startDemoCluster, stopDemoCluster } from './demo-cluster.js';
import { waitForMembership } from './demo-membership.js';
import { demoReport } from './demo-report.js';
import { writeAndWatch } from './demo-write.js';
import type { WriteMeasurement } from './demo-write.js';
import { DEMO_WRITES } from './demo-writes.js';
import { durationText } from './measure-text.js';
import { ProgressLine } from './progress-line.js';

/** What `vig demo` was asked to run. */
export interface DemoOptions {
  /** How many nodes to start. */
  readonly nodes: number;
}

/** Waits for membership with a progress line; returns the milliseconds since `started`. */
async function showMembership(
  nodes: readonly VigNode[],
  output: TextOutput,
  started: number,
): Promise<number> {
  const line = new ProgressLine(output);
  await waitForMembership(nodes, line);
  const membership = performance.now() - started;
  line.finish(
    `Membership: every node sees the ${nodes.length - 1} others alive after ${durationText(membership)}`,
  );
  return membership;
}

/** Makes every demo write through `writer`, one after another, each watched until it is everywhere. */
async function showWrites(
  writer: VigNode,
  nodes: readonly VigNode[],
  output: TextOutput,
): Promise<WriteMeasurement[]> {
  output.write(`Writing through ${writer.address}; each line is one write reaching every node:\n`);
  const measurements: WriteMeasurement[] = [];
  for (const write of DEMO_WRITES) {
    measurements.push(await writeAndWatch(writer, nodes, write, output));
  }
  return measurements;
}

/**
 * Runs a cluster of `options.nodes` nodes on loopback in this process: waits
 * for membership, writes through the first node, shows every node converging,
 * prints what it measured, and stops every node. Leaves no file, socket or
 * timer behind, whether it succeeds or fails.
 *
 * @throws {@link DemoTimeoutError} or {@link DemoDisagreementError} when the
 * cluster does not converge
 */
export async function runDemo(options: DemoOptions, io: CliIo): Promise<void> {
  const output = io.stdout;
  output.write(
    `Starting ${options.nodes} Vig nodes on 127.0.0.1 (memory stores, loopback timings)\n`,
  );
  const started = performance.now();
  const nodes = await startDemoCluster(options.nodes);
  try {
    output.write(`  ${nodes.map((node) => node.address).join('  ')}\n`);
    const membership = await showMembership(nodes, output, started);
    const writer = nodes[0];
    const writes = await showWrites(writer, nodes, output);
    const agreement = readAgreement(nodes);
    const elapsed = performance.now() - started;
    output.write(demoReport({ nodes, membership, writes, agreement, elapsed }));
  } finally {
    await stopDemoCluster(nodes);
  }
  output.write(`Stopped ${options.nodes} nodes; nothing is left running.\n`);
}
