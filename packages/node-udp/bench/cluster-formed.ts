import type { VigNode } from '../src/index.js';

/**
 * Resolves once every node of `nodes` sees all the others alive; throws
 * after `within` ms (polled every 10 ms).
 */
export async function clusterFormed(nodes: readonly VigNode[], within = 10_000): Promise<void> {
  const formedBy = performance.now() + within;
  while (
    nodes.some(
      (node) =>
        node.members().filter((member) => member.status === 'alive').length < nodes.length - 1,
    )
  ) {
    if (performance.now() > formedBy) {
      throw new Error(`the cluster did not form within ${within / 1000} s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
