/**
 * A cluster of `vig serve --local` processes inside a network namespace of
 * its own, with a probe host inside it: what the loss and partition
 * scenarios run on. Everything is released when the body ends, however it
 * ends.
 */
import type { ClusterProbe } from './cluster-probe.js';
import { createNamespace } from './network-namespace.js';
import type { NetworkNamespace } from './network-namespace.js';
import { PROBE_HOST } from './nft-rules.js';
import { startRemoteProbe } from './remote-probe.js';
import { killNodes, serveNodes } from './vig-serve.js';
import type { ServedNode } from './vig-serve.js';

/** What the body gets. */
export interface NamespaceCluster {
  readonly namespace: NetworkNamespace;
  /** The nodes, in the order of the addresses given. */
  readonly nodes: readonly ServedNode[];
  /** A probe inside the namespace, on {@link PROBE_HOST}. */
  readonly probe: ClusterProbe;
  readonly addresses: readonly string[];
}

/**
 * Makes a namespace, loads `rules` (nftables) if given, starts a node at
 * each of `addresses` (each joining the first), and a probe; runs `body`;
 * then stops the probe, kills the nodes and deletes the namespace.
 */
export async function withNamespaceCluster<T>(
  addresses: readonly string[],
  rules: string | undefined,
  body: (cluster: NamespaceCluster) => Promise<T>,
): Promise<T> {
  const namespace = await createNamespace();
  const nodes: ServedNode[] = [];
  let probe: ClusterProbe | undefined;
  try {
    if (rules !== undefined) await namespace.applyRules(rules);
    nodes.push(
      ...(await serveNodes(
        addresses.map((address, index) => ({
          address,
          seeds: index === 0 ? [] : addresses.slice(0, 1),
          wrapper: namespace.wrapper,
        })),
      )),
    );
    probe = await startRemoteProbe({ wrapper: namespace.wrapper, bind: `${PROBE_HOST}:0` });
    return await body({ namespace, nodes, probe, addresses });
  } finally {
    await probe?.close();
    await killNodes(nodes);
    await namespace.remove();
  }
}
