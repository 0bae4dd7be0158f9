/**
 * @packageDocumentation
 * Vig's Node.js runtime: a node (the gossip engine of `@vig/gossip` over a
 * UDP socket, its max vectors kept in a durable LMDB store) and the light
 * client that reads and writes through nodes from other processes. The
 * transport and the stores are exported too, for those who assemble their
 * own. Given a cluster key (`key` or `keyFile`), nodes and clients seal every
 * datagram (`@vig/wire`'s AES-256-GCM envelope, through
 * {@link createSealedTransport}); without one, a node refuses to listen
 * beyond loopback unless `insecure: true` (protected mode). See the README
 * for the whole API, STORAGE.md for what is durable, and docs/security.md
 * for the threat model and key rotation. Each node also keeps versioned
 * documents (`node.docs`: full history, siblings, branches, checkout),
 * durable and replicated between nodes; clients reach them as `client.docs`.
 *
 * @example
 * ```ts
 * import { createClient, createNode } from '@vig/node-udp';
 *
 * const seed = await createNode({ bind: '127.0.0.1:0', memory: true });
 * const other = await createNode({ bind: '127.0.0.1:0', memory: true, seeds: [seed.address] });
 * seed.start();
 * other.start();
 * await seed.put('visits', { 0: 5 }); // resolves once what grew is durable
 *
 * const client = await createClient({ nodes: [seed.address] });
 * await client.put('visits', { 1: 3 }); // resolves once the node holds it
 * console.log((await client.get('visits')).toRecord()); // { '0': 5, '1': 3 }
 *
 * const version = await seed.docs.put('title', 'Draft'); // durable, then pushed to peers
 * console.log(await client.docs.get('title')); // [{ version, value: 'Draft' }]
 *
 * await client.close();
 * await other.stop({ leave: true });
 * await seed.stop();
 * ```
 */
export { createNode } from './vig-node.js';
export type {
  NodeOptions,
  NodeSecurityMetrics,
  NodeTransportMetrics,
  VigNode,
  VigNodeMetrics,
} from './vig-node.js';
export type { EntriesInput } from './node-entries.js';
export type { DocumentBranch, DocumentPutOptions, NodeDocuments } from './node-documents.js';
export { DEFAULT_LOG_LIMIT } from './document-history.js';
export type { LogOptions } from './document-history.js';
export type {
  DocumentsChange,
  DocumentsCheckout,
  DocumentsEvent,
  DocumentsEvents,
  DocumentsListener,
} from './document-events.js';
export { DocumentArgumentError, DocumentsDisabledError } from './document-errors.js';
export { AGENT_ID_FILE, AGENT_RUNNING_FILE } from './node-agent-id.js';
export { NodeOptionsError, NodeStoppedError } from './node-errors.js';
export type { NodeStorageMetrics } from './node-persistence.js';
export { realTimeScheduler } from './node-scheduler.js';
export { createClient } from './client.js';
export type { VigClient } from './client.js';
export type { ClientMember } from './client-collectors.js';
export {
  ClientClosedError,
  ClientOptionsError,
  DocumentRequestError,
  NoAnswerError,
} from './client-errors.js';
export { DEFAULT_CLIENT_LOG_LIMIT } from './client-documents.js';
export type {
  ClientDocuments,
  ClientFrontier,
  ClientLogOptions,
  ClientLogPage,
  ClientPutOptions,
} from './client-documents.js';
export { MAX_DOC_ANSWER_BYTES } from './client-doc-exchange.js';
export { ANSWER_GRACE, ANSWER_SETTLE, RESENDS } from './client-exchange.js';
export { DEFAULT_CLIENT_TIMEOUT } from './client-options.js';
export type { ClusterKeys, KeyOptions } from './cluster-keys.js';
export { newClusterKey, nodeEnvelopeCrypto } from './node-envelope-crypto.js';
export { createSealedTransport } from './sealed-transport.js';
export type { SealedTransport, SealedTransportOptions } from './sealed-transport.js';
export { SECURITY_DROP_REASONS } from './sealed-transport-stats.js';
export type { SealedTransportStats, SecurityDropReason } from './sealed-transport-stats.js';
export { MAX_KEY_FILE_BYTES, readKeyFile } from './read-key-file.js';
export { isLoopbackAddress } from './protected-mode.js';
export { KeyFilePermissionError, KeyFileReadError, ProtectedModeError } from './security-errors.js';
export type { ClientOptions } from './client-options.js';
export {
  DEFAULT_MAX_PENDING_SENDS,
  DEFAULT_RECEIVE_BUFFER_BYTES,
  DEFAULT_SEND_BUFFER_BYTES,
  MAX_UDP4_DATAGRAM_BYTES,
  MAX_UDP6_DATAGRAM_BYTES,
  SENDS_PER_TURN,
  createUdpTransport,
} from './udp-transport.js';
export type { UdpTransport, UdpTransportOptions } from './udp-transport.js';
export { readKernelReceiveDrops } from './udp-kernel-drops.js';
export type { UdpTransportStats } from './udp-transport-stats.js';
export { InvalidBindAddressError, InvalidUdpOptionError, UdpBindError } from './udp-errors.js';
export type {
  DurableStore,
  LoadedBranches,
  LoadedOperations,
  LoadedVectors,
} from './durable-store.js';
export type { DocumentCheckout } from './document-records.js';
export {
  BRANCHES_DATABASE,
  OPERATIONS_DATABASE,
  VECTORS_DATABASE,
  openLmdbStore,
} from './lmdb-store.js';
export type { LmdbStoreOptions } from './lmdb-store.js';
export { emptyDocumentContents, openMemoryStore } from './memory-store.js';
export type { MemoryDocumentContents, MemoryStoreOptions } from './memory-store.js';
export {
  CorruptRecordError,
  StoreClosedError,
  StoreKeyError,
  StoreOpenError,
} from './durable-store-errors.js';
