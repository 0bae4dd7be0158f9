import { MAX_VALUE } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_DATAGRAM_BUDGET,
  DatagramBudgetError,
  MAX_SYNC_HASHES,
  MAX_SYNC_ITEMS,
  encodeSyncMessage,
  splitSyncMessage,
} from '@vig/wire';
import type { SyncMessage, SyncPeerEntry, SyncPeers } from '@vig/wire';
import { asWritten, decodeSyncOk, listOf, withList } from './sync-helpers.js';

const uint32 = fc.integer({ min: 0, max: 0xffff_ffff });
/** Mostly small numbers, sometimes any: every integer encoding gets used. */
const smallOrAny = (max: number) =>
  fc.oneof(
    { weight: 3, arbitrary: fc.integer({ min: 0, max: 300 }) },
    { weight: 1, arbitrary: fc.integer({ min: 0, max }) },
  );
const words = (maxLength: number) =>
  fc.array(uint32, { maxLength }).map((items) => Uint32Array.from(items));
const pairs = (maxPairs: number) =>
  fc
    .array(fc.tuple(uint32, uint32), { maxLength: maxPairs })
    .map((items) => Uint32Array.from(items.flat()));
const envelope = fc.record(
  { vig: fc.integer({ min: 1, max: 2 ** 31 }), client: fc.boolean() },
  { requiredKeys: ['vig'] },
);

const buckets = fc
  .tuple(
    fc.array(fc.record({ bucket: smallOrAny(0xffff_ffff), hashes: words(80) }), { maxLength: 60 }),
    envelope,
  )
  .map(([items, rest]): SyncMessage => ({ kind: 'buckets', buckets: items, ...rest }));
const leaves = fc
  .tuple(
    fc.array(
      fc.record({
        leaf: smallOrAny(0xffff_ffff),
        from: uint32,
        to: uint32,
        entries: pairs(40),
      }),
      { maxLength: 60 },
    ),
    envelope,
  )
  .map(([items, rest]): SyncMessage => ({ kind: 'leaves', leaves: items, ...rest }));
const utf8 = new TextEncoder();
const graphemes = fc.string({ unit: 'grapheme', maxLength: 60 });
/** An address range: `from` and `to`, each optional (in any order: unsorted lists have no real range). */
const range = fc.record({ from: graphemes, to: graphemes }, { requiredKeys: [] });
const peers = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.record({
        address: graphemes,
        heartbeat: smallOrAny(MAX_VALUE),
        leave: smallOrAny(MAX_VALUE),
      }),
      { maxLength: 200 },
    ),
    range,
    envelope,
  )
  .map(([reply, items, bounds, rest]): SyncMessage => ({
    kind: 'peers',
    reply,
    peers: items,
    ...bounds,
    ...rest,
  }));

/**
 * Addresses of every sort: text of any script, IPv4-like ones sharing long
 * prefixes, and short strings of characters whose UTF-16 order differs from
 * their code point order (U+FFFF sorts after U+10000 in JavaScript).
 */
const address = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 24 }) },
    {
      weight: 3,
      arbitrary: fc
        .tuple(fc.nat({ max: 255 }), fc.nat({ max: 255 }), fc.integer({ min: 1, max: 65_535 }))
        .map(([a, b, port]) => `10.${a}.${b}.1:${port}`),
    },
    {
      weight: 3,
      arbitrary: fc.string({
        unit: fc.constantFrom('a', 'b', ':', 'é', '\uffff', '\u{10000}'),
        maxLength: 8,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.string({ unit: fc.constantFrom('x', 'y', 'é'), minLength: 30, maxLength: 127 }),
    },
  )
  .filter((text) => utf8.encode(text).length <= 255);

/** JavaScript string order: UTF-16 code units. */
const byAddress = (left: SyncPeerEntry, right: SyncPeerEntry) =>
  left.address < right.address ? -1 : left.address > right.address ? 1 : 0;

/**
 * A sorted membership table with an address range around it: `from` at most
 * the first address (equal to it, or a lower address left out), `to` above the
 * last (an address left out), each optional.
 */
const sortedPeers = fc
  .tuple(
    fc.uniqueArray(
      fc.record({ address, heartbeat: smallOrAny(MAX_VALUE), leave: smallOrAny(MAX_VALUE) }),
      { selector: (entry) => entry.address, maxLength: 150, size: 'medium' },
    ),
    fc.constantFrom('none', 'first', 'below'),
    fc.boolean(),
    fc.boolean(),
    envelope,
  )
  .map(([entries, lower, hasTo, reply, rest]): SyncPeers => {
    const sorted = [...entries].sort(byAddress);
    const to = hasTo ? sorted.pop()?.address : undefined;
    const from = lower === 'none' ? undefined : (sorted[0]?.address ?? '');
    if (lower === 'below') sorted.shift();
    return {
      kind: 'peers',
      reply,
      peers: sorted,
      ...(from === undefined ? {} : { from }),
      ...(to === undefined ? {} : { to }),
      ...rest,
    };
  });
const want = fc
  .tuple(words(3000), envelope)
  .map(([hashes, rest]): SyncMessage => ({ kind: 'want', hashes, ...rest }));
const members = fc
  .tuple(
    fc.boolean(),
    fc.array(
      fc.record({
        address: graphemes,
        status: fc.oneof(fc.constantFrom('alive', 'suspect', 'dead', 'left'), graphemes),
      }),
      { maxLength: 200 },
    ),
    envelope,
  )
  .map(([reply, items, rest]): SyncMessage => ({
    kind: 'members',
    reply,
    members: items,
    ...rest,
  }));

/** A `peers` message without its address range; other kinds as they are. */
function withoutRange(message: SyncMessage): SyncMessage {
  return message.kind === 'peers' ? peersWithoutRange(message) : message;
}

function peersWithoutRange({ from: _from, to: _to, ...rest }: SyncPeers): SyncPeers {
  return rest;
}

/**
 * What the datagram holding items `start..end` of the message's list carries:
 * for `peers`, with its address range (the message's `from` for the first,
 * else the address of item `start`; the message's `to` for the last, else the
 * address of item `end`).
 */
function chunkOf(message: SyncMessage, start: number, end: number): SyncMessage {
  const part = withList(message, listOf(message).slice(start, end));
  if (part.kind !== 'peers' || message.kind !== 'peers') return part;
  const from = start === 0 ? message.from : message.peers[start]?.address;
  const to = end === message.peers.length ? message.to : message.peers[end]?.address;
  return {
    ...peersWithoutRange(part),
    ...(from === undefined ? {} : { from }),
    ...(to === undefined ? {} : { to }),
  };
}

/** The list split into `datagrams`, checked: each within budget, the same envelope, filled greedily. */
function checkSplit(message: SyncMessage, datagrams: readonly Uint8Array[], budget: number): void {
  expect(datagrams.length).toBeGreaterThan(0);
  const parts = datagrams.map((datagram) => {
    expect(datagram.length).toBeLessThanOrEqual(budget);
    const part = decodeSyncOk(datagram);
    // Same kind, envelope and reply: everything but the list (and the range) is the message's.
    expect(withoutRange(withList(part, []))).toEqual(
      withoutRange(withList(asWritten(message), [])),
    );
    return listOf(part);
  });
  const whole = listOf(message);
  expect(parts.flat()).toEqual(whole);
  // Each datagram is exactly what encodeSyncMessage writes for its part (and
  // its range), and (but the last) could not take the next item: sizes are
  // exact, not estimates.
  const limit = message.kind === 'want' ? MAX_SYNC_HASHES : MAX_SYNC_ITEMS;
  let start = 0;
  datagrams.forEach((datagram, index) => {
    const end = start + (parts[index] ?? []).length;
    expect(datagram).toEqual(encodeSyncMessage(chunkOf(message, start, end)));
    if (index < datagrams.length - 1 && end - start < limit) {
      expect(encodeSyncMessage(chunkOf(message, start, end + 1)).length).toBeGreaterThan(budget);
    }
    start = end;
  });
}

/** Whether every single item (with its range), or the empty list, fits the budget on its own. */
function everyItemFits(message: SyncMessage, budget: number): boolean {
  const count = listOf(message).length;
  if (count === 0) return encodeSyncMessage(message).length <= budget;
  return Array.from({ length: count }, (_, i) => chunkOf(message, i, i + 1)).every(
    (chunk) => encodeSyncMessage(chunk).length <= budget,
  );
}

/**
 * Splits the message and checks the datagrams; or, when the split throws,
 * checks that it had to: the item it names does not fit alone, with the range
 * its datagram would carry. (A `peers` item that does not fit alone with the
 * `from` it would start a datagram with may never start one: only every item
 * fitting guarantees a split.)
 */
function splitChecked(message: SyncMessage, budget: number): Uint8Array[] | undefined {
  let datagrams: Uint8Array[];
  try {
    datagrams = splitSyncMessage(message, budget);
  } catch (error) {
    if (!(error instanceof DatagramBudgetError)) throw error;
    expect(everyItemFits(message, budget)).toBe(false);
    expect(error.needed).toBeGreaterThan(budget);
    const item = /holding only \w+\[(\d+)\]/.exec(error.message)?.[1];
    const chunk = item === undefined ? message : chunkOf(message, Number(item), Number(item) + 1);
    expect(error.needed).toBe(encodeSyncMessage(chunk).length);
    return undefined;
  }
  checkSplit(message, datagrams, budget);
  return datagrams;
}

/**
 * The address ranges of a sorted `peers` message's datagrams, checked: the
 * first starts at the message's `from` and the last ends at its `to`, each
 * ends where the next starts, and each holds its own items.
 */
function checkRanges(message: SyncPeers, datagrams: readonly Uint8Array[]): void {
  const parts = datagrams.map((datagram) => {
    const part = decodeSyncOk(datagram);
    if (part.kind !== 'peers') throw new Error('expected peers');
    return part;
  });
  const first = parts[0];
  const last = parts.at(-1);
  if (first === undefined || last === undefined) throw new Error('expected datagrams');
  expect('from' in first).toBe(message.from !== undefined);
  expect(first.from).toBe(message.from);
  expect('to' in last).toBe(message.to !== undefined);
  expect(last.to).toBe(message.to);
  parts.forEach((part, index) => {
    const next = parts[index + 1];
    if (next !== undefined) {
      expect(part.to).toBeDefined();
      expect(next.from).toBe(part.to);
    }
    for (const { address } of part.peers) {
      if (part.from !== undefined) expect(address >= part.from).toBe(true);
      if (part.to !== undefined) expect(address < part.to).toBe(true);
    }
  });
}

describe('splitSyncMessage', () => {
  it('fits every datagram in budgets of 100..1500 bytes, items in order', () => {
    fc.assert(
      fc.property(
        fc.oneof(buckets, leaves, peers, want, members),
        fc.integer({ min: 100, max: 1500 }),
        (message, budget) => {
          splitChecked(message, budget);
        },
      ),
      { numRuns: 400, seed: 20261122 },
    );
  });

  it('keeps a small message in one datagram, the same as encodeSyncMessage', () => {
    const message: SyncMessage = {
      kind: 'peers',
      reply: true,
      peers: [{ address: '10.0.0.1:7946', heartbeat: 12, leave: 0 }],
      vig: 1,
    };
    const datagrams = splitSyncMessage(message);
    expect(datagrams).toEqual([encodeSyncMessage(message)]);
    // No range is added to a message that has none and fits one datagram.
    const [only] = datagrams.map((datagram) => decodeSyncOk(datagram));
    expect(only !== undefined && ('from' in only || 'to' in only)).toBe(false);
    const ranged: SyncMessage = { ...message, from: '10.0.0.0', to: '10.0.0.2' };
    expect(splitSyncMessage(ranged)).toEqual([encodeSyncMessage(ranged)]);
    expect(DEFAULT_DATAGRAM_BUDGET).toBe(1400);
  });

  it('gives the datagrams of a sorted peers list contiguous address ranges', () => {
    const table = ['a:1', 'b:1', 'c:1', 'd:1', 'e:1'].map((address) => ({
      address,
      heartbeat: 1,
      leave: 0,
    }));
    const message: SyncMessage = { kind: 'peers', reply: false, peers: table, vig: 1 };
    // Room for two entries of 7 bytes each with a "from" (9 bytes) and a "to"
    // (7): the first datagram, with no "from", takes a third entry.
    const budget = encodeSyncMessage(chunkOf(message, 2, 4)).length;
    const rangesOf = (datagrams: readonly Uint8Array[]) =>
      datagrams.map((datagram) => {
        const part = decodeSyncOk(datagram);
        if (part.kind !== 'peers') throw new Error('expected peers');
        return [part.from, part.peers.map((entry) => entry.address), part.to];
      });
    const datagrams = splitSyncMessage(message, budget);
    expect(rangesOf(datagrams)).toEqual([
      [undefined, ['a:1', 'b:1', 'c:1'], 'd:1'],
      ['d:1', ['d:1', 'e:1'], undefined],
    ]);
    checkSplit(message, datagrams, budget);
    checkRanges(message, datagrams);
    // The message's own bounds go on the first and the last datagram (and
    // count: with a "from", the first takes only two entries).
    const bounded: SyncPeers = { ...message, from: '', to: 'f' };
    const cut = splitSyncMessage(bounded, budget);
    expect(rangesOf(cut)).toEqual([
      ['', ['a:1', 'b:1'], 'c:1'],
      ['c:1', ['c:1', 'd:1'], 'e:1'],
      ['e:1', ['e:1'], 'f'],
    ]);
    checkSplit(bounded, cut, budget);
    checkRanges(bounded, cut);
  });

  it('splits sorted peer lists of random addresses into contiguous ranges within budget', () => {
    fc.assert(
      fc.property(sortedPeers, fc.integer({ min: 60, max: 900 }), (message, budget) => {
        const datagrams = splitChecked(message, budget);
        if (datagrams !== undefined) checkRanges(message, datagrams);
      }),
      { numRuns: 300, seed: 20261125 },
    );
  });

  it('fills peers datagrams to the byte, range fields counted, at every budget', () => {
    const table = Array.from({ length: 40 }, (_, i) => ({
      address: `${String(i).padStart(2, '0')}:${'x'.repeat((i * 37) % 90)}`,
      heartbeat: i * 1000,
      leave: i % 3,
    }));
    for (const bounds of [{}, { from: '' }, { to: 'z'.repeat(200) }, { from: '0', to: '99' }]) {
      const message: SyncPeers = { kind: 'peers', reply: true, peers: table, ...bounds, vig: 1 };
      for (let budget = 60; budget <= 360; budget++) {
        const datagrams = splitChecked(message, budget);
        if (datagrams !== undefined) checkRanges(message, datagrams);
      }
    }
  });

  it('gives one datagram for an empty list', () => {
    for (const message of [
      { kind: 'buckets', buckets: [], vig: 1 },
      { kind: 'leaves', leaves: [], vig: 1, client: true },
      { kind: 'want', hashes: new Uint32Array(0), vig: 1 },
      { kind: 'peers', reply: false, peers: [], vig: 1 },
    ] satisfies SyncMessage[]) {
      expect(splitSyncMessage(message, 100)).toEqual([encodeSyncMessage(message)]);
    }
  });

  it('never splits a root, and throws DatagramBudgetError when it does not fit', () => {
    const root: SyncMessage = { kind: 'root', hashes: new Uint32Array(64), keys: 10, vig: 1 };
    const bytes = encodeSyncMessage(root);
    expect(bytes.length).toBe(288);
    expect(splitSyncMessage(root, 288)).toEqual([bytes]);
    const error = captureBudgetError(() => splitSyncMessage(root, 287));
    expect(error.budget).toBe(287);
    expect(error.needed).toBe(288);
    expect(error.message).toMatch(/sync "root" message \(never split\) needs at least 288 bytes/);
  });

  it('throws DatagramBudgetError naming the item that cannot fit', () => {
    const message: SyncMessage = {
      kind: 'buckets',
      buckets: [
        { bucket: 0, hashes: new Uint32Array(4) },
        { bucket: 1, hashes: new Uint32Array(100) },
      ],
      vig: 1,
    };
    const needed = encodeSyncMessage(chunkOf(message, 1, 2)).length;
    const error = captureBudgetError(() => splitSyncMessage(message, 200));
    expect(error.needed).toBe(needed);
    expect(error.message).toMatch(/holding only buckets\[1\] needs at least \d+ bytes/);
    expect(() => splitSyncMessage({ kind: 'want', hashes: Uint32Array.of(1), vig: 1 }, 28)).toThrow(
      DatagramBudgetError,
    );
    expect(() => splitSyncMessage({ kind: 'peers', reply: true, peers: [], vig: 1 }, 20)).toThrow(
      DatagramBudgetError,
    );
    // A peer's datagram takes its range: the next address counts towards its size.
    const ranged: SyncMessage = {
      kind: 'peers',
      reply: true,
      peers: [
        { address: 'a', heartbeat: 1, leave: 0 },
        { address: 'b'.repeat(200), heartbeat: 1, leave: 0 },
      ],
      vig: 1,
    };
    const alone = encodeSyncMessage(chunkOf(ranged, 0, 1)).length;
    expect(alone).toBeGreaterThan(200);
    const rangeError = captureBudgetError(() => splitSyncMessage(ranged, alone - 1));
    expect(rangeError.needed).toBe(alone);
    expect(rangeError.message).toMatch(/holding only peers\[0\] needs at least/);
    expect(() => splitSyncMessage({ ...ranged, peers: [], from: 'x'.repeat(20) }, 40)).toThrow(
      DatagramBudgetError,
    );
  });

  it('cuts lists longer than one message may hold, whatever the budget', () => {
    const many: SyncMessage = {
      kind: 'peers',
      reply: false,
      peers: Array.from({ length: 10_000 }, (_, i) => ({
        address: `p${i}`,
        heartbeat: i,
        leave: 0,
      })),
      vig: 1,
    };
    const datagrams = splitSyncMessage(many, 10_000_000);
    expect(datagrams.map((datagram) => listOf(decodeSyncOk(datagram)).length)).toEqual([
      4096, 4096, 1808,
    ]);
    checkSplit(many, datagrams, 10_000_000);
    const hashes = new Uint32Array(40_000).map((_, i) => i);
    const wanted = splitSyncMessage({ kind: 'want', hashes, vig: 1 }, 10_000_000);
    expect(wanted.map((datagram) => listOf(decodeSyncOk(datagram)).length)).toEqual([
      16_384, 16_384, 7232,
    ]);
  });

  it('fills want datagrams across bin header sizes exactly', () => {
    const message: SyncMessage = {
      kind: 'want',
      hashes: new Uint32Array(400).map((_, i) => i * 7),
      vig: 1,
    };
    for (let budget = 30; budget <= 400; budget++) {
      checkSplit(message, splitSyncMessage(message, budget), budget);
    }
  });
});

function captureBudgetError(run: () => unknown): DatagramBudgetError {
  try {
    run();
  } catch (error) {
    if (error instanceof DatagramBudgetError) return error;
    throw error;
  }
  throw new Error('expected a DatagramBudgetError');
}
