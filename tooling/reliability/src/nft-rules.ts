/**
 * The nftables rulesets the scenarios load inside their namespace (see
 * network-namespace.ts). Every rule sits on the output hook, so each
 * datagram meets it once, on its way out, whichever socket it goes to.
 */

/** The probe's address inside a namespace: the loss rules spare its datagrams. */
export const PROBE_HOST = '127.0.9.1';

/** The table {@link lossRules} makes, and the counters it keeps. */
export const LOSS_TABLE = 'vig_loss';
/** Counter of UDP datagrams between nodes (the probe's aside). */
export const DATAGRAMS_COUNTER = 'udp_datagrams';
/** Counter of those lost on purpose. */
export const LOST_COUNTER = 'udp_lost';

/** The table {@link partitionRules} makes, and its counter of datagrams blocked. */
export const PARTITION_TABLE = 'vig_partition';
/** Counter of datagrams the partition stopped. */
export const BLOCKED_COUNTER = 'blocked';

/**
 * Loses `share` (0..1, in steps of 0.0001) of every UDP datagram at random,
 * except those from or to `exemptHost` (the probe's address, so that what
 * the scenario observes is the nodes' own view, not its own losses).
 */
export function lossRules(share: number, exemptHost: string): string {
  const threshold = Math.round(share * 10_000);
  return `table inet ${LOSS_TABLE} {
  counter ${DATAGRAMS_COUNTER} { }
  counter ${LOST_COUNTER} { }
  chain output {
    type filter hook output priority 0; policy accept;
    ip saddr ${exemptHost} accept
    ip daddr ${exemptHost} accept
    meta l4proto udp counter name "${DATAGRAMS_COUNTER}"
    meta l4proto udp numgen random mod 10000 < ${threshold} counter name "${LOST_COUNTER}" drop
  }
}
`;
}

/** Blocks every datagram between a host of `sideA` and a host of `sideB`, both ways. */
export function partitionRules(sideA: readonly string[], sideB: readonly string[]): string {
  const a = `{ ${sideA.join(', ')} }`;
  const b = `{ ${sideB.join(', ')} }`;
  return `table inet ${PARTITION_TABLE} {
  counter ${BLOCKED_COUNTER} { }
  chain output {
    type filter hook output priority 0; policy accept;
    ip saddr ${a} ip daddr ${b} counter name "${BLOCKED_COUNTER}" drop
    ip saddr ${b} ip daddr ${a} counter name "${BLOCKED_COUNTER}" drop
  }
}
`;
}
