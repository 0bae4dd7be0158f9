import type { MaxVector } from '@vig/crdt-core';
import type { VigNode } from '@vig/node-udp';
import { onClusterEvent } from './demo-cluster.js';
import type { DemoWrite } from './demo-writes.js';
import { durationText } from './measure-text.js';
import { ProgressLine, progressBar } from './progress-line.js';
import type { TextOutput } from './cli-io.js';
import { vectorText } from './vector-text.js';
import { waitUntil } from './wait-until.js';

/** How long the demo waits for one write to reach every node, in milliseconds. */
export const CONVERGENCE_LIMIT = 10_000;

/** What one write measured. */
export interface WriteMeasurement {
  /** The write. */
  readonly write: DemoWrite;
  /** Milliseconds from the write to the last node holding it. */
  readonly convergence: number;
  /** Datagrams all nodes sent meanwhile (gossip rounds and heartbeats included). */
  readonly datagrams: number;
}

/** True when `vector` holds every entry of `entries` at least as large. */
function holds(vector: MaxVector | undefined, entries: Readonly<Record<number, number>>): boolean {
  return Object.entries(entries).every(
    ([index, value]) => (vector?.get(Number(index)) ?? 0) >= value,
  );
}

/** Datagrams sent by all nodes so far. */
export function datagramsSent(nodes: readonly VigNode[]): number {
  return nodes.reduce((sum, node) => sum + node.metrics().messagesOut, 0);
}

/** Waits until every node holds `write`, showing on `line` how many do. */
async function waitForEveryNode(
  nodes: readonly VigNode[],
  write: DemoWrite,
  line: ProgressLine,
  label: string,
): Promise<void> {
  const reachedCount = (): number =>
    nodes.filter((node) => holds(node.get(write.key), write.entries)).length;
  try {
    await waitUntil({
      reached: () => {
        const reached = reachedCount();
        line.update(
          `${label} ${progressBar(reached, nodes.length)} ${reached}/${nodes.length} nodes`,
        );
        return reached === nodes.length;
      },
      subscribe: (wake) => onClusterEvent(nodes, wake),
      awaited: `${write.key} ${vectorText(write.entries)} on every node`,
      progress: () => `${reachedCount()}/${nodes.length} nodes hold it`,
      limit: CONVERGENCE_LIMIT,
    });
  } catch (error) {
    line.abandon();
    throw error;
  }
}

/**
 * Writes through `writer` and waits until every node holds the write,
 * showing on `output` how many nodes have it as they do.
 *
 * @throws {@link DemoTimeoutError} after {@link CONVERGENCE_LIMIT} milliseconds
 */
export async function writeAndWatch(
  writer: VigNode,
  nodes: readonly VigNode[],
  write: DemoWrite,
  output: TextOutput,
): Promise<WriteMeasurement> {
  const line = new ProgressLine(output);
  const label = `  ${write.key.padEnd(15)} ${vectorText(write.entries).padEnd(10)}`;
  const datagramsBefore = datagramsSent(nodes);
  const started = performance.now();
  await writer.put(write.key, write.entries);
  await waitForEveryNode(nodes, write, line, label);
  const convergence = performance.now() - started;
  const reached = `${progressBar(nodes.length, nodes.length)} ${nodes.length}/${nodes.length} nodes`;
  line.finish(`${label} ${reached} in ${durationText(convergence)}  (${write.meaning})`);
  return { write, convergence, datagrams: datagramsSent(nodes) - datagramsBefore };
}
