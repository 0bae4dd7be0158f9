/**
 * @packageDocumentation
 * Vig's protocol engine: how nodes spread max-vector updates (rumour with
 * fanout, pull of unknown keys, periodic anti-entropy), and who is in the
 * cluster (heartbeats, suspicion, failure). It depends only on interfaces —
 * a {@link Transport}, a {@link Scheduler} and a {@link RandomSource} — so the
 * same engine runs over UDP in `@vig/node-udp` and over the deterministic
 * simulated network in `@vig/gossip/testing`. Given a versioned store
 * (`docs`), a node also replicates its history with the other Vig nodes
 * ({@link DocReplica}) and answers clients' doc requests.
 *
 * @example
 * ```ts
 * import { formatPeerAddress, seededRandom } from '@vig/gossip';
 *
 * const address = formatPeerAddress('127.0.0.1', 7946); // "127.0.0.1:7946"
 * const random = seededRandom(42); // every random choice replays from the seed
 * ```
 */
export {
  DatagramTooLargeError,
  InvalidPeerAddressError,
  TransportClosedError,
  formatPeerAddress,
  parsePeerAddress,
  peerAddress,
} from './transport.js';
export type { DatagramHandler, PeerAddress, Transport } from './transport.js';
export { seededRandom } from './scheduler.js';
export type { RandomSource, Scheduler } from './scheduler.js';
export {
  HEARTBEAT_INDEX,
  InvalidPeerKeyError,
  LEAVE_INDEX,
  PEER_KEY_PREFIX,
  addressOfPeerKey,
  isLeaveMarked,
  leaveEntries,
  nextHeartbeat,
  peerKey,
  peerKeyOf,
  readPeerHeartbeat,
} from './peer-key.js';
export type { PeerHeartbeat, PeerKey } from './peer-key.js';
export {
  InvalidMembershipConfigError,
  LAN_MEMBERSHIP,
  LOCAL_MEMBERSHIP,
  membershipConfig,
} from './membership-config.js';
export type { MembershipConfig } from './membership-config.js';
export type { Member, MemberStatus, MembershipTransition } from './membership-status.js';
export { DEFAULT_MAX_CLIENTS, createMembershipTable } from './membership-table.js';
export type { MembershipTable, MembershipTableOptions } from './membership-table.js';
export {
  DEFAULT_MESSAGE_RULES_CONFIG,
  InvalidMessageRulesConfigError,
  applyMessage,
  handleMessage,
  isQueryVector,
  messageRulesConfig,
  nextTtl,
} from './message-rules.js';
export type {
  MessageOutcome,
  MessageRulesConfig,
  MessageRulesContext,
  Outgoing,
  OutgoingReason,
} from './message-rules.js';
export { InvalidPeerCountError, choosePeers } from './random-peers.js';
export {
  DEFAULT_GOSSIP_CONFIG,
  InvalidGossipConfigError,
  LAN_GOSSIP,
  LOCAL_GOSSIP,
  gossipConfig,
} from './gossip-config.js';
export type { GossipConfig } from './gossip-config.js';
export { contentHash, entryHash, keyHash } from './key-hash.js';
export {
  DIGEST_BUCKETS,
  DIGEST_LEAVES,
  KeyDigest,
  LEAVES_PER_BUCKET,
  bucketOfLeaf,
  compareLeafRange,
  differingIndices,
  leafOf,
} from './key-digest.js';
export type { KeyDigestOptions } from './key-digest.js';
export { createGossipNode } from './gossip-node.js';
export type { DocReplica, OperationsListener } from './doc-replica.js';
export type { DocDropReason, DocSyncMetrics, DocTraffic } from './doc-metrics.js';
export { DocWriteEncodeError, DocWriteTooLargeError } from './doc-errors.js';
export type { GossipNode, GossipNodeOptions, StopOptions } from './gossip-node.js';
export type {
  GossipNodeEvent,
  GossipNodeEvents,
  GossipNodeListener,
  KeyChange,
} from './node-events.js';
export type { NodeDropReason, NodeMetrics, SendReason } from './node-metrics.js';
export { PLAIN_PEER_MAX_DATAGRAM_BYTES } from './peer-capabilities.js';
export { AMPLIFICATION_FACTOR } from './source-limits.js';
export { isLoopbackAddress } from './source-validation.js';
export { retransmitLimit } from './rumour-queue.js';
