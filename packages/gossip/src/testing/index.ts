/**
 * @packageDocumentation
 * Test helpers for `@vig/gossip`: a virtual-time {@link Scheduler}, the
 * simulated network (per-link loss, delay, jitter, duplication and
 * reordering, partitions, crashes; deterministic from a seed), a cluster of
 * gossip nodes on it (`createSimulatedCluster`, for convergence tests and
 * benchmarks), and the shared suite every {@link Transport} implementation runs.
 *
 * @example
 * ```ts
 * import { createSimulatedNetwork } from '@vig/gossip/testing';
 *
 * const network = createSimulatedNetwork({ seed: 42, defaults: { delay: 20, jitter: 10, loss: 0.1 } });
 * const alice = network.transport('127.0.0.1:7946');
 * const bob = network.transport('127.0.0.2:7946');
 * let received = 0;
 * bob.onReceive(() => (received += 1));
 * for (let round = 0; round < 100; round++) alice.send(bob.localAddress, Uint8Array.of(round));
 * network.scheduler.runUntilIdle(1_000); // about 30 virtual ms, no real waiting
 * received + network.totals().dropped.loss; // 100
 * ```
 */
export {
  createVirtualScheduler,
  DEFAULT_MAX_CALLBACKS_PER_RUN,
  InvalidDurationError,
  SchedulerReentryError,
  TooManyCallbacksError,
  VirtualTimeLimitError,
} from './virtual-scheduler.js';
export type { VirtualScheduler, VirtualSchedulerOptions } from './virtual-scheduler.js';
export { createSimulatedNetwork, DEFAULT_MAX_DATAGRAM_BYTES } from './simulated-network.js';
export type {
  DeliveryEvent,
  DropEvent,
  SimulatedNetwork,
  SimulatedNetworkOptions,
} from './simulated-network.js';
export {
  AddressInUseError,
  InvalidDatagramLimitError,
  OverlappingPartitionError,
  UnknownAddressError,
} from './simulated-network-errors.js';
export { DEFAULT_LINK_CONDITIONS, InvalidLinkConditionsError } from './link-conditions.js';
export type { LinkConditions, ResolvedLinkConditions } from './link-conditions.js';
export { DROP_REASONS, totalDropped } from './traffic-counters.js';
export type { DropCounts, DropReason, TrafficCounters } from './traffic-counters.js';
export { runTransportTests } from './transport-tests.js';
export type { TransportTestContext } from './transport-tests.js';
export { createSimulatedCluster, loopbackAddress } from './simulated-cluster.js';
export type {
  ClusterRestartOptions,
  ClusterStartOptions,
  RunUntilOptions,
  SimulatedCluster,
  SimulatedClusterOptions,
  SimulatedNodeOptions,
} from './simulated-cluster.js';
export { InvalidClusterOptionsError, UnknownClusterNodeError } from './simulated-cluster-errors.js';
export { sumNodeMetrics } from './cluster-metrics.js';
