import type { VigNode } from '@vig/node-udp';
import { onClusterEvent } from './demo-cluster.js';
import { progressBar } from './progress-line.js';
import type { ProgressLine } from './progress-line.js';
import { waitUntil } from './wait-until.js';

/** How long the demo waits for every node to see every other, in milliseconds. */
export const MEMBERSHIP_LIMIT = 15_000;

/** How many nodes see every other node alive. */
export function nodesWithFullView(nodes: readonly VigNode[]): number {
  return nodes.filter(
    (node) =>
      node
        .members()
        .filter((member) => member.status === 'alive' && member.address !== node.address).length >=
      nodes.length - 1,
  ).length;
}

/** Waits until every node sees every other alive, showing progress on `line`. */
export async function waitForMembership(
  nodes: readonly VigNode[],
  line: ProgressLine,
): Promise<void> {
  const progress = (): string => `${nodesWithFullView(nodes)}/${nodes.length} nodes see every peer`;
  try {
    await waitUntil({
      reached: () => {
        const done = nodesWithFullView(nodes);
        line.update(`Membership  ${progressBar(done, nodes.length)}  ${progress()}`);
        return done === nodes.length;
      },
      subscribe: (wake) => onClusterEvent(nodes, wake),
      awaited: 'every node to see every other alive',
      progress,
      limit: MEMBERSHIP_LIMIT,
    });
  } catch (error) {
    line.abandon();
    throw error;
  }
}
