import { isVigError } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import {
  DatagramBudgetError,
  InvalidSyncError,
  InvalidSyncFieldError,
  InvalidUtf8Error,
  MAX_SYNC_ADDRESS_BYTES,
  MAX_SYNC_ITEMS,
  TooManySyncItemsError,
  decodeDatagram,
  encodeSyncMessage,
  splitSyncMessage,
} from '@vig/wire';
import type { SyncField, SyncMemberEntry, SyncMessage } from '@vig/wire';
import { array, bin, hex, map, str, uint } from './helpers.js';
import { decodeSyncError, decodeSyncOk, expectRoundTrip } from './sync-helpers.js';

const syncField = 'a4 73796e63';
const membersKind = 'a7 6d656d62657273';
const replyField = 'a5 7265706c79';
const vigOne = 'a3 766967 01';
const clientTrue = 'a6 636c69656e74 c3';

/** A `members` message map built by hand: `sync: members`, then the given fields, then vig: 1. */
function membersMap(...fields: [Uint8Array, Uint8Array][]): Uint8Array {
  return map([str('sync'), str('members')], ...fields, [str('vig'), uint(1)]);
}

const membersOf = (...items: Uint8Array[]) =>
  membersMap([str('reply'), hex('c3')], [str('members'), array(...items)]);

function expectInvalid(bytes: Uint8Array, field: SyncField, text: RegExp): void {
  const error = decodeSyncError(bytes);
  expect(error).toBeInstanceOf(InvalidSyncError);
  expect(error.reason).toBe('invalid-sync');
  expect((error as InvalidSyncError).field).toBe(field);
  expect(error.message).toMatch(text);
}

function expectFieldError(message: unknown, field: SyncField, text: RegExp, item?: number): void {
  let caught: unknown;
  try {
    encodeSyncMessage(message as SyncMessage);
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

describe('the members sync message', () => {
  it('writes the documented bytes: reply, then an array of [address, status]', () => {
    // The request a client sends: no members, reply false, client true.
    expect(
      encodeSyncMessage({ kind: 'members', reply: false, members: [], vig: 1, client: true }),
    ).toEqual(
      hex(
        `85 ${syncField} ${membersKind} ${replyField} c2 ${membersKind} 90 ${vigOne} ${clientTrue}`,
      ),
    );
    // The answer: the node itself first, as alive, then its table.
    const answer: SyncMessage = {
      kind: 'members',
      reply: true,
      members: [
        { address: 'a:1', status: 'alive' },
        { address: 'b:2', status: 'dead' },
      ],
      vig: 1,
    };
    expect(encodeSyncMessage(answer)).toEqual(
      hex(
        `84 ${syncField} ${membersKind} ${replyField} c3 ${membersKind} 92 92 a3 613a31 a5 616c697665 92 a3 623a32 a4 64656164 ${vigOne}`,
      ),
    );
  });

  it('round-trips, with any status text and addresses at their limit', () => {
    const messages: SyncMessage[] = [
      { kind: 'members', reply: false, members: [], vig: 1 },
      { kind: 'members', reply: false, members: [], vig: 1, client: true },
      {
        kind: 'members',
        reply: true,
        members: [
          { address: '127.0.0.1:7946', status: 'alive' },
          { address: '[::1]:7946', status: 'suspect' },
          { address: 'nœud-ключ-🙂:1', status: 'left' },
          { address: 'x'.repeat(MAX_SYNC_ADDRESS_BYTES), status: 'é'.repeat(127) },
          { address: '', status: '' },
        ],
        vig: 7,
      },
    ];
    for (const message of messages) expectRoundTrip(message);
  });

  it('is routed as a sync message by decodeDatagram', () => {
    const bytes = encodeSyncMessage({ kind: 'members', reply: false, members: [], vig: 1 });
    const decoded = decodeDatagram(bytes);
    expect(decoded.ok && decoded.kind === 'sync' && decoded.sync.kind).toBe('members');
  });

  it('splits a long list between items, each datagram within the budget', () => {
    const members: SyncMemberEntry[] = Array.from({ length: 500 }, (_, i) => ({
      address: `10.0.${i >> 8}.${i & 255}:7946`,
      status: i % 7 === 0 ? 'suspect' : 'alive',
    }));
    const message: SyncMessage = { kind: 'members', reply: true, members, vig: 1 };
    for (const budget of [60, 200, 1400]) {
      const datagrams = splitSyncMessage(message, budget);
      expect(datagrams.length).toBeGreaterThan(1);
      const parts = datagrams.map((datagram) => {
        expect(datagram.length).toBeLessThanOrEqual(budget);
        const part = decodeSyncOk(datagram);
        if (part.kind !== 'members') throw new Error('expected members');
        expect(part.reply).toBe(true);
        return part.members;
      });
      expect(parts.flat()).toEqual(members);
    }
    const many: SyncMessage = {
      kind: 'members',
      reply: true,
      members: Array.from({ length: MAX_SYNC_ITEMS + 1 }, () => ({ address: '', status: '' })),
      vig: 1,
    };
    expect(splitSyncMessage(many, 10_000_000)).toHaveLength(2);
    expect(() =>
      splitSyncMessage({ ...message, members: [{ address: 'x'.repeat(80), status: 'a' }] }, 60),
    ).toThrow(DatagramBudgetError);
  });

  it('decoding refuses missing fields, wrong shapes and long or malformed text', () => {
    expectInvalid(membersMap([str('members'), array()]), 'reply', /no "reply"/);
    expectInvalid(membersMap([str('reply'), hex('c2')]), 'members', /no "members"/);
    expectInvalid(
      membersOf(array(str('a:1'))),
      'members',
      /"members\[0\]" .* expected an array \[address, status\]/,
    );
    expectInvalid(
      membersOf(array(uint(1), str('alive'))),
      'address',
      /"members\[0\]\.address" at offset \d+ holds 1: expected a string/,
    );
    expectInvalid(
      membersOf(array(str('a:1'), bin(Uint8Array.of(0x61)))),
      'status',
      /"members\[0\]\.status" at offset \d+ holds binary data: expected a string/,
    );
    expectInvalid(
      membersOf(array(str('a:1'), str('s'.repeat(256)))),
      'status',
      /"members\[0\]\.status" at offset \d+ is 256 bytes long: expected at most 255 bytes/,
    );
    const utf8 = decodeSyncError(membersOf(array(str('a:1'), hex('a2 c0 80'))));
    expect(utf8).toBeInstanceOf(InvalidUtf8Error);
    expect(utf8.message).toMatch(/field "status"/);
    const tooMany = decodeSyncError(
      membersMap([str('reply'), hex('c3')], [str('members'), hex('dc 1001')]),
    );
    expect(tooMany).toBeInstanceOf(TooManySyncItemsError);
    expect((tooMany as TooManySyncItemsError).field).toBe('members');
  });

  it('decoding skips fields a members message does not have', () => {
    const bytes = membersMap(
      [str('peers'), array(array(str('a:1'), uint(1), uint(0)))],
      [str('reply'), hex('c2')],
      [str('members'), array()],
    );
    expect(decodeSyncOk(bytes)).toEqual({ kind: 'members', reply: false, members: [], vig: 1 });
  });

  it('encoding refuses what the decoder would', () => {
    const base = { kind: 'members', reply: true, members: [], vig: 1 };
    expectFieldError({ ...base, reply: 1 }, 'reply', /"reply" is 1: expected a boolean/);
    expectFieldError({ ...base, members: {} }, 'members', /"members" is object/);
    expectFieldError({ ...base, members: [null] }, 'members', /"members\[0\]" is null/, 0);
    expectFieldError(
      { ...base, members: [{ address: 7, status: 'alive' }] },
      'address',
      /"members\[0\]\.address" is 7: expected a string/,
      0,
    );
    expectFieldError(
      { ...base, members: [{ address: 'a:1', status: 's'.repeat(256) }] },
      'status',
      /"members\[0\]\.status" is 256 bytes long in UTF-8: expected at most 255 bytes/,
      0,
    );
    expectFieldError(
      { ...base, members: [{ address: 'a:1', status: '\ud800' }] },
      'status',
      /lone surrogate/,
      0,
    );
    const many = Array.from({ length: MAX_SYNC_ITEMS + 1 }, () => ({ address: '', status: '' }));
    expectFieldError({ ...base, members: many }, 'members', /use splitSyncMessage/);
  });
});
