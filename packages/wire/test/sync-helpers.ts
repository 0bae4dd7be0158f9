import { expect } from 'vitest';
import { decodeSyncMessage, encodeSyncMessage } from '@vig/wire';
import type {
  DecodeOptions,
  SyncBucketDigest,
  SyncLeafRange,
  SyncMemberEntry,
  SyncMessage,
  SyncPeerEntry,
  WireDecodeError,
} from '@vig/wire';

/** Decodes bytes that must decode as a sync message, and returns it. */
export function decodeSyncOk(bytes: Uint8Array, options?: DecodeOptions): SyncMessage {
  const result = decodeSyncMessage(bytes, options);
  if (!result.ok) {
    throw new Error(`expected a sync message, got ${result.error.name}: ${result.error.message}`);
  }
  return result.sync;
}

/** Decodes bytes that must fail, and returns the error. */
export function decodeSyncError(bytes: Uint8Array, options?: DecodeOptions): WireDecodeError {
  const result = decodeSyncMessage(bytes, options);
  if (result.ok) throw new Error(`expected an error, got a "${result.sync.kind}" sync message`);
  return result.error;
}

/**
 * The message as a decoder returns it after a round trip: `client` present
 * only when true (the encoder writes it only then).
 */
export function asWritten(message: SyncMessage): SyncMessage {
  return message.client === true ? message : withoutClient(message);
}

function withoutClient({ client: _client, ...rest }: SyncMessage): SyncMessage {
  return rest;
}

/** Encodes, decodes, and checks the result equals the message (as written) with fresh, aligned arrays. */
export function expectRoundTrip(message: SyncMessage): Uint8Array {
  const bytes = encodeSyncMessage(message);
  const decoded = decodeSyncOk(bytes);
  expect(decoded).toEqual(asWritten(message));
  expect('client' in decoded).toBe(message.client === true);
  for (const words of wordArraysOf(decoded)) {
    expect(words.byteOffset % 4).toBe(0);
    expect(words.buffer).not.toBe(bytes.buffer);
  }
  return bytes;
}

/** Every Uint32Array a sync message holds. */
export function wordArraysOf(message: SyncMessage): Uint32Array[] {
  switch (message.kind) {
    case 'root':
    case 'want':
      return [message.hashes];
    case 'buckets':
      return message.buckets.map((digest) => digest.hashes);
    case 'leaves':
      return message.leaves.map((range) => range.entries);
    case 'peers':
    case 'members':
      return [];
  }
}

/** The items of a sync message's list, for comparing splits: hashes as numbers for a want or root. */
export function listOf(message: SyncMessage): unknown[] {
  switch (message.kind) {
    case 'root':
    case 'want':
      return [...message.hashes];
    case 'buckets':
      return [...message.buckets];
    case 'leaves':
      return [...message.leaves];
    case 'peers':
      return [...message.peers];
    case 'members':
      return [...message.members];
  }
}

/** The message with its list replaced by `items` (numbers for a want or root). */
export function withList(message: SyncMessage, items: readonly unknown[]): SyncMessage {
  switch (message.kind) {
    case 'root':
    case 'want':
      return { ...message, hashes: Uint32Array.from(items as number[]) };
    case 'buckets':
      return { ...message, buckets: items as SyncBucketDigest[] };
    case 'leaves':
      return { ...message, leaves: items as SyncLeafRange[] };
    case 'peers':
      return { ...message, peers: items as SyncPeerEntry[] };
    case 'members':
      return { ...message, members: items as SyncMemberEntry[] };
  }
}
