import { LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '@vig/gossip';
import { createNode } from '@vig/node-udp';
import type { VigNode } from '@vig/node-udp';

/** Where demo nodes listen: loopback, each on a port the system picks. */
const DEMO_BIND = '127.0.0.1:0';

/**
 * Starts `count` nodes in this process: memory stores, loopback timings, the
 * first one the seed of all others. If one fails to start, those already
 * made are stopped before the error is rethrown.
 */
export async function startDemoCluster(count: number): Promise<VigNode[]> {
  const nodes: VigNode[] = [];
  try {
    for (let index = 0; index < count; index++) {
      const node = await createNode({
        bind: DEMO_BIND,
        seeds: nodes.slice(0, 1).map((seed) => seed.address),
        memory: true,
        membership: LOCAL_MEMBERSHIP,
        gossip: LOCAL_GOSSIP,
      });
      nodes.push(node);
      node.start();
    }
    return nodes;
  } catch (error) {
    await stopDemoCluster(nodes);
    throw error;
  }
}

/** Stops every node (saying goodbye to the others), whatever fails. */
export async function stopDemoCluster(nodes: readonly VigNode[]): Promise<void> {
  await Promise.allSettled(nodes.map((node) => node.stop({ leave: true })));
}

/**
 * Calls `wake` on every `change`, `member-up` and `member-down` of any node;
 * returns a function that removes those listeners.
 */
export function onClusterEvent(nodes: readonly VigNode[], wake: () => void): () => void {
  const removers = nodes.flatMap((node) => [
    node.on('change', wake),
    node.on('member-up', wake),
    node.on('member-down', wake),
  ]);
  return () => {
    for (const remove of removers) remove();
  };
}
