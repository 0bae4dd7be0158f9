import { MAX_VALUE, isVigError } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import {
  InvalidSyncFieldError,
  MAX_SYNC_HASHES,
  MAX_SYNC_ITEMS,
  encodeSyncMessage,
  splitSyncMessage,
} from '@vig/wire';
import type { SyncField, SyncMessage } from '@vig/wire';

/** A message as plain JavaScript could pass it, with `changes` applied. */
function withFields(base: SyncMessage, changes: Record<string, unknown>): SyncMessage {
  const changed: unknown = { ...base, ...changes };
  return changed as SyncMessage;
}

function expectFieldError(
  message: SyncMessage,
  field: SyncField,
  text: RegExp,
  item?: number,
  encode: (message: SyncMessage) => unknown = encodeSyncMessage,
): void {
  let caught: unknown;
  try {
    encode(message);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidSyncFieldError);
  expect(isVigError(caught, 'InvalidSyncFieldError')).toBe(true);
  const error = caught as InvalidSyncFieldError;
  expect(error.field).toBe(field);
  expect(error.item).toBe(item);
  expect(error.message).toMatch(text);
}

const root: SyncMessage = { kind: 'root', hashes: new Uint32Array(64), keys: 3, vig: 1 };
const want: SyncMessage = { kind: 'want', hashes: Uint32Array.of(1), vig: 1 };
const bucket = { bucket: 1, hashes: Uint32Array.of(2) };
const leaf = { leaf: 1, from: 2, to: 3, entries: Uint32Array.of(4, 5) };
const peer = { address: '10.0.0.1:7946', heartbeat: 1, leave: 0 };
const buckets = (...items: unknown[]) =>
  ({ kind: 'buckets', buckets: items, vig: 1 }) as SyncMessage;
const leaves = (...items: unknown[]) => ({ kind: 'leaves', leaves: items, vig: 1 }) as SyncMessage;
const peers = (...items: unknown[]) =>
  ({ kind: 'peers', reply: true, peers: items, vig: 1 }) as SyncMessage;

describe('encodeSyncMessage validates what it writes', () => {
  it('rejects an unknown kind, or no message at all', () => {
    expectFieldError(
      withFields(root, { kind: 'roots' }),
      'sync',
      /^sync message field "sync" is "roots": expected one of 'root', 'buckets', 'leaves', 'want', 'peers', 'members'/,
    );
    expectFieldError(null as unknown as SyncMessage, 'sync', /message is null: expected an object/);
  });

  it('rejects a vig not in 1..2^31 and a client that is not a boolean', () => {
    for (const vig of [0, -1, 1.5, 2 ** 31 + 1, Number.NaN, '1', undefined]) {
      expectFieldError(
        withFields(want, { vig }),
        'vig',
        /^sync message field "vig" is .+: expected an integer in 1\.\.2\^31/,
      );
    }
    expectFieldError(
      withFields(want, { client: 1 }),
      'client',
      /"client" is 1: expected a boolean/,
    );
    expectFieldError(withFields(want, { client: null }), 'client', /is null/);
  });

  it('rejects hashes that are not a Uint32Array or too many for one message', () => {
    for (const hashes of [[1, 2], new Uint8Array(4), new Int32Array(1), undefined]) {
      expectFieldError(
        withFields(root, { hashes }),
        'hashes',
        /"hashes" is .+: expected a Uint32Array/,
      );
    }
    expectFieldError(
      withFields(root, { hashes: new Uint32Array(MAX_SYNC_HASHES + 1) }),
      'hashes',
      /"hashes" holds 16385 words: expected at most 16384 in one message/,
    );
    expectFieldError(
      withFields(want, { hashes: new Uint32Array(MAX_SYNC_HASHES + 1) }),
      'hashes',
      /use splitSyncMessage for a want/,
    );
    expect(
      splitSyncMessage(withFields(want, { hashes: new Uint32Array(MAX_SYNC_HASHES + 1) }), 1e6),
    ).toHaveLength(2);
    // A root is never split: splitting checks its hashes too.
    expectFieldError(
      withFields(root, { hashes: new Uint32Array(MAX_SYNC_HASHES + 1) }),
      'hashes',
      /at most 16384/,
      undefined,
      (message) => splitSyncMessage(message, 1e6),
    );
  });

  it('rejects keys, heartbeats and leave markers not in 0..2^53-1', () => {
    for (const value of [-1, 0.5, MAX_VALUE + 1, Infinity, '3', undefined]) {
      expectFieldError(
        withFields(root, { keys: value }),
        'keys',
        /^sync message field "keys" is .+: expected an integer in 0\.\.2\^53-1$/,
      );
      expectFieldError(
        peers(peer, { ...peer, heartbeat: value }),
        'heartbeat',
        /^sync message field "peers\[1\]\.heartbeat" is .+: expected an integer in 0\.\.2\^53-1$/,
        1,
      );
      expectFieldError(peers({ ...peer, leave: value }), 'leave', /"peers\[0\]\.leave"/, 0);
    }
  });

  it('rejects buckets, leaves and ranges not in 0..2^32-1', () => {
    for (const value of [-1, 2 ** 32, 1.5, Number.NaN, '1', undefined]) {
      expectFieldError(
        buckets(bucket, bucket, { ...bucket, bucket: value }),
        'bucket',
        /^sync message field "buckets\[2\]\.bucket" is .+: expected an integer in 0\.\.2\^32-1$/,
        2,
      );
      expectFieldError(leaves({ ...leaf, leaf: value }), 'leaf', /"leaves\[0\]\.leaf"/, 0);
      expectFieldError(leaves({ ...leaf, from: value }), 'from', /"leaves\[0\]\.from"/, 0);
      expectFieldError(leaves({ ...leaf, to: value }), 'to', /"leaves\[0\]\.to"/, 0);
    }
  });

  it('rejects leaf entries of odd length, or not a Uint32Array', () => {
    expectFieldError(
      leaves(leaf, { ...leaf, entries: Uint32Array.of(1, 2, 3) }),
      'entries',
      /"leaves\[1\]\.entries" holds 3 words: expected an even number: \(keyHash, contentHash\) pairs/,
      1,
    );
    expectFieldError(
      leaves({ ...leaf, entries: [1, 2] }),
      'entries',
      /"leaves\[0\]\.entries" is an array: expected a Uint32Array/,
      0,
    );
    expectFieldError(
      leaves({ ...leaf, entries: new Uint32Array(MAX_SYNC_HASHES + 2) }),
      'entries',
      /holds 16386 words: expected at most 16384/,
      0,
    );
    expectFieldError(
      buckets({ ...bucket, hashes: null }),
      'hashes',
      /"buckets\[0\]\.hashes" is null/,
      0,
    );
  });

  it('rejects addresses that are not strings, not well-formed, or longer than 255 bytes', () => {
    expectFieldError(
      peers({ ...peer, address: 7 }),
      'address',
      /"peers\[0\]\.address" is 7: expected a string/,
      0,
    );
    expectFieldError(
      peers({ ...peer, address: 'a\uD800' }),
      'address',
      /holds a lone surrogate: expected well-formed UTF-16 text/,
      0,
    );
    expectFieldError(
      peers(peer, { ...peer, address: 'é'.repeat(128) }),
      'address',
      /"peers\[1\]\.address" is 256 bytes long in UTF-8: expected at most 255 bytes/,
      1,
    );
    expect(() => encodeSyncMessage(peers({ ...peer, address: 'x'.repeat(255) }))).not.toThrow();
  });

  it('rejects a peers range bound (from, to) that is not a string, not well-formed, or longer than 255 bytes', () => {
    const split = (message: SyncMessage) => splitSyncMessage(message, 1e6);
    for (const field of ['from', 'to'] as const) {
      for (const encode of [encodeSyncMessage, split]) {
        for (const value of [7, null, ['a'], { toString: () => 'a' }]) {
          expectFieldError(
            withFields(peers(peer), { [field]: value }),
            field,
            new RegExp(`^sync message field "${field}" is .+: expected a string$`),
            undefined,
            encode,
          );
        }
        expectFieldError(
          withFields(peers(peer), { [field]: 'a\uDC00b' }),
          field,
          new RegExp(`^sync message field "${field}" holds a lone surrogate: expected well-formed`),
          undefined,
          encode,
        );
        expectFieldError(
          withFields(peers(), { [field]: 'é'.repeat(128) }),
          field,
          new RegExp(
            `^sync message field "${field}" is 256 bytes long in UTF-8: expected at most 255 bytes$`,
          ),
          undefined,
          encode,
        );
      }
      expect(() =>
        encodeSyncMessage(withFields(peers(peer), { [field]: 'x'.repeat(255) })),
      ).not.toThrow();
    }
    // A bound holding undefined (plain JavaScript) is no bound: nothing is written.
    expect(encodeSyncMessage(withFields(peers(peer), { from: undefined, to: undefined }))).toEqual(
      encodeSyncMessage(peers(peer)),
    );
    // Other kinds have no range: their from and to are not looked at.
    expect(encodeSyncMessage(withFields(want, { from: 7 }))).toEqual(encodeSyncMessage(want));
  });

  it('rejects a reply that is not a boolean, lists that are not arrays, items that are not objects', () => {
    expectFieldError(
      withFields(peers(peer), { reply: 'yes' }),
      'reply',
      /"reply" is "yes": expected a boolean/,
    );
    expectFieldError(
      withFields(buckets(), { buckets: new Set() }),
      'buckets',
      /"buckets" is object: expected an array/,
    );
    expectFieldError(
      buckets(bucket, 3),
      'buckets',
      /"buckets\[1\]" is 3: expected a \{ bucket, hashes \} object/,
      1,
    );
    expectFieldError(peers(null), 'peers', /"peers\[0\]" is null/, 0);
  });

  it('rejects lists longer than one message holds; splitSyncMessage cuts them', () => {
    const long = peers(...Array.from({ length: MAX_SYNC_ITEMS + 1 }, () => peer));
    expectFieldError(
      long,
      'peers',
      /"peers" holds 4097 items: expected at most 4096 in one message \(use splitSyncMessage\)/,
    );
    expect(splitSyncMessage(long).length).toBeGreaterThan(1);
  });
});
