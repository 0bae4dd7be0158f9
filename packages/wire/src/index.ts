/**
 * @packageDocumentation
 * Vig's wire format: the vignette message codec. Encodes messages as plain
 * msgpack that the Ruby and Clojure vignette peers read, decodes strictly
 * (never throwing: every failure is a typed {@link WireDecodeError} with a
 * `reason`), splits large vectors into datagram-sized messages, encodes
 * generic msgpack values for the versioned store, and encodes the versioned
 * store's operations as compact batches ({@link encodeOperations},
 * {@link decodeOperations}), and encodes Vig's sync messages (anti-entropy
 * and membership, between Vig nodes only: {@link encodeSyncMessage},
 * {@link splitSyncMessage}; {@link decodeDatagram} tells them apart from
 * vignette messages), and encodes the doc messages that replicate the
 * versioned store between Vig nodes and let clients read and write it
 * ({@link encodeDocMessage}, {@link decodeDocMessage}, {@link splitDocMessage},
 * {@link packOperations}, {@link createPartAssembler}), and seals datagrams for clusters with a key: an
 * AES-256-GCM envelope under a {@link Keyring} of rotating keys and a
 * cluster label ({@link sealDatagram}, {@link openDatagram}, never throwing
 * on hostile input), key files ({@link parseKeyFile}) and the freshness rule
 * against replays ({@link createReplayGuard}). The cryptographic primitives
 * are passed in ({@link EnvelopeCrypto}), so the package stays free of
 * `node:` imports.
 *
 * @example
 * ```ts
 * import { decodeMessage, encodeMessage, splitMessage } from '@vig/wire';
 *
 * const bytes = encodeMessage({
 *   key: 'hll:visitors:2026-11-22',
 *   vector: { kind: 'sparse', indices: [17, 902], values: [4, 2] },
 *   ttl: 5,
 *   full: false,
 * });
 * const decoded = decodeMessage(bytes);
 * if (decoded.ok) console.log(decoded.message.key, decoded.message.vector);
 * else console.log('dropped:', decoded.error.reason, decoded.error.message);
 *
 * // A whole 16384-register HyperLogLog, in datagrams of at most 1400 bytes.
 * const registers = new Uint8Array(16384).fill(3);
 * const datagrams = splitMessage(
 *   { key: 'hll:visitors', vector: { kind: 'dense', offset: 0, registers }, ttl: 5, full: true },
 *   { budget: 1400 },
 * );
 * ```
 */
export type { VignetteMessage, DenseMode } from './message.js';
export { VIG_PROTOCOL_VERSION, MAX_VIG_PROTOCOL_VERSION } from './message.js';
export {
  DEFAULT_TTL,
  DEFAULT_MAX_KEY_BYTES,
  DEFAULT_MAX_ENTRIES,
  DEFAULT_MAX_DEPTH,
  DEFAULT_DATAGRAM_BUDGET,
  DEFAULT_MAX_OPERATIONS,
  DEFAULT_MAX_BATCH_BYTES,
} from './wire-defaults.js';
export { encodeMessage } from './encode-message.js';
export type { EncodeOptions } from './encode-message.js';
export { decodeMessage } from './decode-message.js';
export type { DecodeOptions, DecodeResult } from './decode-message.js';
export { splitMessage } from './split-message.js';
export type { SplitOptions } from './split-message.js';
export {
  WireDecodeError,
  NotMsgpackError,
  TruncatedMessageError,
  TrailingBytesError,
  NotAMapError,
  MissingFieldError,
  FieldTypeError,
  KeyTooLongError,
  InvalidUtf8Error,
  InvalidVectorIndexError,
  InvalidVectorValueError,
  TooManyEntriesError,
  InvalidDenseError,
  NestingTooDeepError,
} from './decode-errors.js';
export type { DecodeFailureReason, MessageField } from './decode-errors.js';
export {
  InvalidMessageFieldError,
  DenseSpanTooLargeError,
  DatagramBudgetError,
} from './encode-errors.js';
export type { EncodedMessageField } from './encode-errors.js';
export type {
  SyncEnvelope,
  SyncRoot,
  SyncBucketDigest,
  SyncBuckets,
  SyncLeafRange,
  SyncLeaves,
  SyncWant,
  SyncPeerEntry,
  SyncPeers,
  SyncMemberEntry,
  SyncMembers,
  SyncMessage,
  SyncKind,
  SyncField,
} from './sync-message.js';
export {
  SYNC_KINDS,
  MAX_SYNC_ITEMS,
  MAX_SYNC_HASHES,
  MAX_SYNC_ADDRESS_BYTES,
} from './sync-message.js';
export { encodeSyncMessage } from './encode-sync-message.js';
export { splitSyncMessage } from './split-sync-message.js';
export { decodeSyncMessage } from './decode-sync-message.js';
export type { SyncDecodeResult } from './decode-sync-message.js';
export { decodeDatagram, isSyncDatagram } from './decode-datagram.js';
export type { DatagramDecodeResult } from './decode-datagram.js';
export { InvalidSyncError, TooManySyncItemsError, InvalidSyncFieldError } from './sync-errors.js';
export type {
  DocAnswer,
  DocBranchRequest,
  DocCheckoutRequest,
  DocDigest,
  DocEnvelope,
  DocFailed,
  DocFailureCode,
  DocFrontier,
  DocGetRequest,
  DocHistory,
  DocKind,
  DocLogRequest,
  DocMessage,
  DocOperations,
  DocPart,
  DocPutRequest,
  DocRecent,
  DocReplication,
  DocRequest,
  DocSiblings,
  DocWritten,
} from './doc-message.js';
export {
  DOC_DIGEST_BYTES,
  DOC_FAILURE_CODES,
  DOC_KINDS,
  DOC_REQUEST_KINDS,
  MAX_DOC_PARTS,
  MAX_DOC_SIBLINGS,
  MAX_DOC_TEXT_BYTES,
  MAX_DOC_VERSIONS,
  isDocRequest,
} from './doc-message.js';
export { encodeDocMessage } from './encode-doc-message.js';
export { decodeDocMessage, isDocDatagram } from './decode-doc-message.js';
export type { DocDecodeResult } from './decode-doc-message.js';
export {
  docMessageId,
  operationsBatchCapacity,
  packOperations,
  splitDocMessage,
} from './split-doc-message.js';
export type { PackOperationsOptions, PackedBatch } from './split-doc-message.js';
export { createPartAssembler } from './part-assembler.js';
export type {
  PartAssembler,
  PartAssemblerOptions,
  PartDropReason,
  PartOutcome,
} from './part-assembler.js';
export { InvalidDocError, InvalidDocFieldError } from './doc-errors.js';
export { encodeValue, decodeValue, ValueEncodeError, ValueDecodeError } from './msgpack-value.js';
export type {
  MsgpackValue,
  MsgpackRecord,
  DecodedValue,
  DecodeValueResult,
} from './msgpack-value.js';
export { encodeOperations } from './encode-operations.js';
export type { EncodeOperationsOptions } from './encode-operations.js';
export { decodeOperations } from './decode-operations.js';
export type { DecodeOperationsOptions, DecodeOperationsResult } from './decode-operations.js';
export {
  InvalidOperationsError,
  TooManyOperationsError,
  BatchTooLargeError,
  OperationEncodeError,
} from './operation-batch-errors.js';
export type { AeadKey, EnvelopeCrypto } from './envelope-crypto.js';
export {
  CLUSTER_KEY_BYTES,
  CLUSTER_KEY_TEXT_LENGTH,
  clusterKeyId,
  formatClusterKey,
  formatKeyId,
  generateClusterKey,
  parseClusterKey,
} from './cluster-key.js';
export type { ClusterKeyInput } from './cluster-key.js';
export { parseKeyFile } from './key-file.js';
export type { KeyFileKeys } from './key-file.js';
export { DEFAULT_CLUSTER_LABEL, MAX_CLUSTER_LABEL_BYTES, createKeyring } from './keyring.js';
export type { Keyring, KeyringEntry, KeyringOptions } from './keyring.js';
export { NONCE_BYTES } from './nonce-sequence.js';
export type { NonceSequence } from './nonce-sequence.js';
export {
  MAX_SEALED_TIMESTAMP,
  SEALED_HEADER_BYTES,
  SEALED_MARKER,
  SEALED_OVERHEAD,
  SEALED_VERSION,
  TAG_BYTES,
} from './envelope-format.js';
export { isSealedDatagram, sealDatagram } from './seal-datagram.js';
export { OPEN_FAILURE_REASONS, openDatagram } from './open-datagram.js';
export type {
  OpenFailure,
  OpenFailureReason,
  OpenResult,
  OpenedDatagram,
} from './open-datagram.js';
export {
  DEFAULT_FORGET_AFTER,
  DEFAULT_MAX_CLOCK_SKEW,
  DEFAULT_MAX_TRACKED_SENDERS,
  DEFAULT_REPLAY_WINDOW,
  createReplayGuard,
} from './replay-guard.js';
export type { FreshnessVerdict, ReplayGuard, ReplayGuardOptions } from './replay-guard.js';
export {
  InvalidClusterKeyError,
  InvalidKeyFileError,
  InvalidKeyringError,
} from './cluster-key-errors.js';
export { ReplayGuardOptionsError, SealTimestampError } from './envelope-errors.js';
