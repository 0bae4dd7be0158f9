import { decode as independentDecode, encode as independentEncode } from '@msgpack/msgpack';
import {
  MalformedOperationError,
  VersionedStore,
  agentId,
  assertOperation,
  isVigError,
} from '@vig/crdt-core';
import type { AgentId, KeyWrite, Operation, Version } from '@vig/crdt-core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzzDecoder } from './decoder-fuzz.js';
import { mutateBytes } from './mutate-bytes.js';
import {
  BatchTooLargeError,
  DEFAULT_MAX_OPERATIONS,
  InvalidOperationsError,
  InvalidUtf8Error,
  KeyTooLongError,
  NestingTooDeepError,
  NotMsgpackError,
  OperationEncodeError,
  TooManyOperationsError,
  TrailingBytesError,
  TruncatedMessageError,
  ValueDecodeError,
  ValueEncodeError,
  WireDecodeError,
  decodeOperations,
  decodeValue,
  encodeOperations,
  encodeValue,
} from '@vig/wire';
import type {
  DecodeFailureReason,
  DecodeOperationsOptions,
  DecodedValue,
  MsgpackValue,
} from '@vig/wire';
import { array, bin, concat, hex, map, seededRandom, str, uint } from './helpers.js';

const alice = agentId('alice');
const bob = agentId('bob');
const carol = agentId('carol');

type WriteSpec = readonly [key: string, value: unknown, replaces?: readonly Version[]];

/** An operation from its agent, seq, parents and `[key, value, replaces]` writes. */
function operation(
  agent: AgentId,
  seq: number,
  parents: readonly Version[],
  ...writes: WriteSpec[]
): Operation {
  return {
    version: { agent, seq },
    parents,
    writes: writes.map(([key, value, replaces = []]) => ({ key, value, replaces })),
  };
}

function version(agent: AgentId, seq: number): Version {
  return { agent, seq };
}

/** Operations `first..first+count-1` of `agent`, each the only parent of the next. */
function sequence(
  agent: AgentId,
  first: number,
  count: number,
  write: (seq: number) => WriteSpec,
): Operation[] {
  return Array.from({ length: count }, (_, index) => {
    const seq = first + index;
    return operation(agent, seq, seq === first ? [] : [version(agent, seq - 1)], write(seq));
  });
}

function decodeOk(bytes: Uint8Array, options?: DecodeOperationsOptions): Operation[] {
  const result = decodeOperations(bytes, options);
  if (!result.ok) {
    throw new Error(`expected operations, got ${result.error.name}: ${result.error.message}`);
  }
  return result.operations;
}

function decodeFailure(bytes: Uint8Array, options?: DecodeOperationsOptions): WireDecodeError {
  const result = decodeOperations(bytes, options);
  if (result.ok) throw new Error(`expected an error, got ${result.operations.length} operations`);
  expect(result.error).toBeInstanceOf(WireDecodeError);
  expect(isVigError(result.error)).toBe(true);
  return result.error;
}

/** A value as it comes back from the value codec (plain objects become Maps). */
function throughValueCodec(value: unknown): DecodedValue {
  const result = decodeValue(encodeValue(value as MsgpackValue));
  if (!result.ok) throw result.error;
  return result.value;
}

/** The operations as they come back from a round trip: values through the value codec. */
function expectedAfterRoundTrip(operations: readonly Operation[]): Operation[] {
  return operations.map((operation) => ({
    ...operation,
    writes: operation.writes.map((write): KeyWrite => ({
      ...write,
      value: throughValueCodec(write.value),
    })),
  }));
}

function roundTrip(operations: readonly Operation[]): Operation[] {
  return decodeOk(encodeOperations(operations));
}

/** The batch as a generic msgpack reader sees it. */
function structure(bytes: Uint8Array): [number, string[], string[], unknown[][]] {
  return independentDecode(bytes) as [number, string[], string[], unknown[][]];
}

// Raw batches for the error paths: [format, agents, keys, runs].
function batch(agents: Uint8Array, keys: Uint8Array, ...runs: Uint8Array[]): Uint8Array {
  return array(uint(1), agents, keys, array(...runs));
}
const noParents = array();
/** One write of inline key "k" = 1, replacing nothing. */
const oneWrite = array(str('k'), uint(1), array());
const aliceOnly = array(str('alice'));
/** The smallest batch holding an operation: alice:0 writes k = 1. */
const minimal = batch(aliceOnly, array(), array(uint(0), uint(0), noParents, oneWrite));

describe('encodeOperations and decodeOperations', () => {
  it('encode the empty batch in 5 bytes', () => {
    const bytes = encodeOperations([]);
    expect(bytes).toEqual(hex('94 01 90 90 90'));
    expect(decodeOk(bytes)).toEqual([]);
  });

  it('write the README example byte for byte', () => {
    const store = new VersionedStore({ agent: alice });
    store.put('title', 'Draft');
    store.put('title', 'Final');
    const operations = store.operationsMissingFrom([]);
    const bytes = encodeOperations(operations);
    expect(bytes).toEqual(
      hex(`94 01
           91 a5 61 6c 69 63 65
           91 a5 74 69 74 6c 65
           91 95 00 00 90
           93 00 a5 44 72 61 66 74 90
           93 00 a5 46 69 6e 61 6c 92 00 00`),
    );
    expect(decodeOk(bytes)).toEqual(operations);
  });

  it('encode a sequential run of one agent as one run that costs only its writes', () => {
    const operations = sequence(alice, 0, 40, (seq) => [`key:${seq % 4}`, seq]);
    const bytes = encodeOperations(operations);
    expect(decodeOk(bytes)).toEqual(operations);
    const [format, agents, keys, runs] = structure(bytes);
    expect(format).toBe(1);
    expect(agents).toEqual(['alice']);
    expect(keys).toEqual(['key:0', 'key:1', 'key:2', 'key:3']);
    expect(runs).toHaveLength(1);
    expect(runs[0]).toHaveLength(3 + 40);
    expect(runs[0].slice(0, 5)).toEqual([0, 0, [], [0, 0, []], [1, 1, []]]);
  });

  it('start a run from any seq, with the first operation’s parents', () => {
    const operations = [
      operation(alice, 7, [version(alice, 6), version(bob, 2)], ['x', 1]),
      operation(alice, 8, [version(alice, 7)], ['x', 2, [version(alice, 7)]]),
      operation(alice, 9, [version(alice, 8)], ['x', 3, [version(alice, 8)]]),
    ];
    const bytes = encodeOperations(operations);
    expect(decodeOk(bytes)).toEqual(operations);
    const [, agents, , runs] = structure(bytes);
    expect(agents).toEqual(['alice', 'bob']);
    expect(runs).toHaveLength(1);
    expect(runs[0].slice(0, 3)).toEqual([0, 7, [0, 6, 1, 2]]);
  });

  it('round-trip interleaved agents: each break in the sequence starts a run', () => {
    const operations = [
      operation(alice, 0, [], ['a', 1]),
      operation(bob, 0, [], ['b', 1]),
      operation(alice, 1, [version(alice, 0)], ['a', 2, [version(alice, 0)]]),
      operation(bob, 1, [version(bob, 0)], ['b', 2, [version(bob, 0)]]),
      operation(alice, 2, [version(alice, 1)], ['a', 3, [version(alice, 1)]]),
      operation(alice, 3, [version(alice, 2)], ['c', 3]),
    ];
    const bytes = encodeOperations(operations);
    expect(decodeOk(bytes)).toEqual(operations);
    const runs = structure(bytes)[3];
    expect(runs.map((run) => run.length - 3)).toEqual([1, 1, 1, 1, 2]);
  });

  it('round-trip concurrent operations with several parents, replacing several siblings', () => {
    const operations = [
      operation(alice, 0, [], ['title', 'A']),
      operation(bob, 0, [], ['title', 'B']),
      operation(carol, 0, [], ['title', 'C']),
      operation(
        alice,
        1,
        // Kept in the order given, as are the replaced versions.
        [version(carol, 0), version(alice, 0), version(bob, 0)],
        ['title', 'merged', [version(bob, 0), version(alice, 0), version(carol, 0)]],
      ),
      // Not a run: alice:1 is not its only parent.
      operation(alice, 2, [version(alice, 1), version(bob, 0)], ['other', true]),
    ];
    expect(roundTrip(operations)).toEqual(operations);
    expect(structure(encodeOperations(operations))[3]).toHaveLength(5);
  });

  it('round-trip multi-key writes; only keys written more than once go through the key table', () => {
    const operations = [
      operation(alice, 0, [], ['once', 1], ['twice', 2], ['thrice', 3]),
      operation(alice, 1, [version(alice, 0)], ['thrice', 4], ['twice', 5], ['', 'empty key']),
      operation(alice, 2, [version(alice, 1)], ['thrice', 6], ['ключ 🙂', 7]),
    ];
    const bytes = encodeOperations(operations);
    expect(decodeOk(bytes)).toEqual(operations);
    const [, , keys, runs] = structure(bytes);
    // Most written first.
    expect(keys).toEqual(['thrice', 'twice']);
    expect(runs[0][3]).toEqual(['once', 1, [], 1, 2, [], 0, 3, []]);
  });

  const values: unknown[] = [
    null,
    true,
    false,
    0,
    -0,
    1,
    127,
    128,
    255,
    256,
    65_535,
    65_536,
    2 ** 32 - 1,
    2 ** 32,
    Number.MAX_SAFE_INTEGER,
    -1,
    -32,
    -33,
    -128,
    -129,
    -32_768,
    -32_769,
    -(2 ** 31),
    -(2 ** 31) - 1,
    1.5,
    -2.25,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    '',
    'text',
    'ключ 🙂',
    'x'.repeat(300),
    5n,
    -(2n ** 63n),
    2n ** 64n - 1n,
    new Uint8Array(0),
    Uint8Array.of(1, 2, 3),
    new Date(1_700_000_000_123),
    [],
    [1, 'two', [3, null]],
    new Map<MsgpackValue, MsgpackValue>([
      [1, 'one'],
      ['two', [2]],
      [true, new Map([[3, 3]])],
    ]),
    { a: 1, b: [true, { c: null }] },
  ];

  it('round-trip every value type the value codec supports, as the value codec returns it', () => {
    const operations = values.map((value, seq) =>
      operation(alice, seq, seq === 0 ? [] : [version(alice, seq - 1)], ['value', value]),
    );
    const decoded = roundTrip(operations);
    expect(decoded).toEqual(expectedAfterRoundTrip(operations));
    // Plain objects come back as Maps, 64-bit integers as bigints.
    expect(decoded.at(-1)?.writes[0].value).toBeInstanceOf(Map);
    expect(decoded[values.indexOf(5n)].writes[0].value).toBe(5n);
  });

  /** More values at the edges of the encoder's direct paths (which must match encodeValue). */
  const edgeValues: unknown[] = [
    0.1,
    -1e300,
    Number.MIN_VALUE,
    Number.NEGATIVE_INFINITY,
    2 ** 53,
    -(2 ** 53),
    2 ** 31,
    -(2 ** 31) + 1,
    -(2 ** 32),
    ...[31, 32, 255, 256, 65_535, 65_536].map((length) => 'a'.repeat(length)),
    'é'.repeat(16),
    'é'.repeat(128),
    '€'.repeat(11),
    '🙂'.repeat(8),
    '\ufeffbom',
    'lone \ud800 surrogate',
    '\udc00'.repeat(70),
  ];

  it('write every value exactly as encodeValue does', () => {
    // alice:0 writes the inline key "k": the value sits between these bytes.
    const before = hex('94 01 91 a5 61 6c 69 63 65 90 91 94 00 00 90 93 a1 6b');
    for (const value of [...values, ...edgeValues]) {
      const bytes = encodeOperations([operation(alice, 0, [], ['k', value])]);
      expect(bytes, String(value)).toEqual(
        concat(before, encodeValue(value as MsgpackValue), hex('90')),
      );
    }
  });

  it('read every value exactly as decodeValue does, whoever wrote it', () => {
    const textEncoder = new TextEncoder();
    const raw = [
      ...[...values, ...edgeValues].map((value) => encodeValue(value as MsgpackValue)),
      hex('cb 8000000000000000'), // float64 -0
      hex('cb 7ff8000000000001'), // a NaN
      hex('ca 3fc00000'), // float32 1.5
      hex('ca 3dcccccd'), // float32 0.1
      hex('cf 0000000000000005'), // uint64 5
      hex('d3 ffffffffffffffff'), // int64 -1
      hex('da 0002 6f 6b'), // str16 "ok"
      hex('db 00000002 6f 6b'), // str32 "ok"
      hex('d9 03 ef bb bf'), // str8: a lone BOM
      hex('a2 c3 28'), // invalid UTF-8
      hex('a3 ed a0 80'), // an encoded surrogate
      hex('c4 02 01 02'), // bin
      hex('d6 ff 00000001'), // timestamp 32
      hex('92 c0 a0'),
      str('x'.repeat(300)),
      bin(textEncoder.encode('bytes')),
    ];
    for (const value of raw) {
      const expected = decodeValue(value);
      if (!expected.ok) throw expected.error;
      const bytes = batch(
        aliceOnly,
        array(),
        array(uint(0), uint(0), noParents, array(str('k'), value, array())),
      );
      const [decoded] = decodeOk(bytes);
      expect(decoded.writes[0].value, Buffer.from(value).toString('hex')).toEqual(expected.value);
      if (typeof expected.value === 'number') {
        expect(Object.is(decoded.writes[0].value, expected.value)).toBe(true);
      }
    }
  });

  it('round-trip the extremes: seqs up to 2^53−1, 64-character agents, big tables and runs', () => {
    const longAgent = agentId('λ'.repeat(64));
    const many = Array.from({ length: 300 }, (_, index) => agentId(`agent-${index}`));
    const operations = [
      operation(longAgent, Number.MAX_SAFE_INTEGER, [version(alice, 2 ** 32)], ['k', 1]),
      ...many.map((agent, index) =>
        operation(
          agent,
          index * 1000,
          [version(many[(index + 1) % many.length], 2 ** 40)],
          [`key-${index % 200}`, index, [version(many[(index + 7) % many.length], 3)]],
        ),
      ),
      ...sequence(alice, 2 ** 32 - 5, 70, (seq) => [`key-${seq % 150}`, -seq]),
    ];
    const bytes = encodeOperations(operations);
    expect(decodeOk(bytes)).toEqual(operations);
    expect(structure(bytes)[1]).toHaveLength(302);
  });

  it('keep operations, parents and replaced versions in the order given', () => {
    const operations = [
      operation(bob, 3, [version(bob, 2)], ['k', 1]),
      operation(alice, 9, [version(bob, 3), version(alice, 8)], ['k', 2, [version(bob, 3)]]),
      operation(alice, 0, [], ['j', 3]),
    ];
    expect(roundTrip(operations)).toEqual(operations);
  });

  it('write plain msgpack: a batch any implementation writes decodes too', () => {
    const operations = sequence(alice, 0, 3, (seq) => [
      'counter',
      seq,
      seq > 0 ? [version(alice, seq - 1)] : [],
    ]);
    const bytes = encodeOperations(operations);
    const generic = structure(bytes);
    expect(generic).toEqual([
      1,
      ['alice'],
      ['counter'],
      [[0, 0, [], [0, 0, []], [0, 1, [0, 0]], [0, 2, [0, 1]]]],
    ]);
    // Re-encoded by another implementation (its own header choices), then a
    // hand-made variant: str8 and bin text, integral floats, non-minimal ints.
    expect(decodeOk(independentEncode(generic))).toEqual(operations);
    const foreign = array(
      hex('cc 01'),
      array(bin(new TextEncoder().encode('alice'))),
      array(hex('d9 05 74 69 74 6c 65')),
      array(
        array(
          hex('cd 00 00'),
          hex('cb 0000000000000000'),
          array(),
          array(hex('d0 00'), str('x'.repeat(40)), array()),
          array(hex('ca 00000000'), uint(2), array(uint(0), hex('cb 0000000000000000'))),
        ),
      ),
    );
    expect(decodeOk(foreign)).toEqual([
      operation(alice, 0, [], ['title', 'x'.repeat(40)]),
      operation(alice, 1, [version(alice, 0)], ['title', 2, [version(alice, 0)]]),
    ]);
  });

  it('round-trip arbitrary well-formed batches (property)', () => {
    const agents = [alice, bob, carol, agentId('x'.repeat(64)), agentId('ünïcødé')];
    const seq = fc.oneof(fc.nat(50), fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER - 100 }));
    const versionArbitrary = fc.record({ agent: fc.constantFrom(...agents), seq });
    const value = fc.oneof(
      fc.integer(),
      fc.double(),
      fc.string(),
      fc.constant(null),
      fc.boolean(),
      fc.array(fc.nat(), { maxLength: 4 }),
      fc.bigInt({ min: -(2n ** 63n), max: 2n ** 64n - 1n }),
    );
    const key = fc.oneof(
      fc.constantFrom('a', 'b', 'title'),
      fc.string({ unit: 'grapheme', maxLength: 12 }),
    );
    const write = fc.record({
      key,
      value,
      replaces: fc.array(versionArbitrary, { maxLength: 3 }),
    });
    const operationArbitrary = fc.record({
      version: versionArbitrary,
      parents: fc.array(versionArbitrary, { maxLength: 3 }),
      writes: fc.uniqueArray(write, { minLength: 1, maxLength: 4, selector: (entry) => entry.key }),
      continues: fc.boolean(),
    });
    fc.assert(
      fc.property(fc.array(operationArbitrary, { maxLength: 30 }), (generated) => {
        // Chain some operations onto the previous one, so that runs form.
        const operations: Operation[] = [];
        for (const { continues, ...generatedOperation } of generated) {
          const previous = operations.at(-1);
          operations.push(
            continues && previous !== undefined
              ? {
                  ...generatedOperation,
                  version: { agent: previous.version.agent, seq: previous.version.seq + 1 },
                  parents: [previous.version],
                }
              : generatedOperation,
          );
        }
        expect(roundTrip(operations)).toEqual(expectedAfterRoundTrip(operations));
      }),
      { seed: 20261122, numRuns: 150 },
    );
  });
});

/** Two stores writing concurrently, some keys shared, with a sync in the middle. */
function concurrentStores(): [VersionedStore, VersionedStore] {
  const left = new VersionedStore({ agent: agentId('left-agent') });
  const right = new VersionedStore({ agent: agentId('right-agent') });
  const random = seededRandom(7);
  const writeSome = (store: VersionedStore, count: number) => {
    for (let i = 0; i < count; i++) {
      const key = `key:${Math.floor(random() * 12)}`;
      // Values that come back equal (plain objects would come back as Maps).
      if (random() < 0.2)
        store.putMany([
          [key, i],
          [`multi:${i % 3}`, [i, 'multi']],
        ]);
      else store.put(key, random() < 0.5 ? i : `text ${i}`);
    }
  };
  writeSome(left, 30);
  writeSome(right, 25);
  exchange(left, right);
  writeSome(left, 20);
  writeSome(right, 35);
  return [left, right];
}

/** Sends each store what the other lacks, through the wire, and checks each batch round-trips. */
function exchange(left: VersionedStore, right: VersionedStore): void {
  for (const [from, to] of [
    [left, right],
    [right, left],
  ] as const) {
    const operations = from.operationsMissingFrom(to.summary());
    const decoded = decodeOk(encodeOperations(operations));
    expect(decoded).toEqual(expectedAfterRoundTrip(operations));
    const result = to.applyRemote(decoded);
    expect(result.rejected).toEqual([]);
    expect(result.waiting).toBe(0);
  }
}

function contents(store: VersionedStore): Map<string, unknown> {
  return new Map([...store.keys()].sort().map((key) => [key, store.get(key)]));
}

describe('operation batches between versioned stores', () => {
  it('carry operationsMissingFrom both ways, and the stores converge', () => {
    const [left, right] = concurrentStores();
    expect(left.heads).not.toEqual(right.heads);
    exchange(left, right);
    expect(left.heads).toEqual(right.heads);
    expect(left.size).toBe(right.size);
    expect(contents(left)).toEqual(contents(right));
    // Concurrent writes of a key are siblings on both sides.
    expect([...left.keys()].some((key) => left.get(key).length > 1)).toBe(true);
  });

  it('carry operationsSince, including operations the receiver already has', () => {
    const [left, right] = concurrentStores();
    const operations = left.operationsSince(right.recentVersions());
    const decoded = decodeOk(encodeOperations(operations));
    expect(decoded).toEqual(expectedAfterRoundTrip(operations));
    right.applyRemote(decoded);
    right.applyRemote(decodeOk(encodeOperations(left.operationsMissingFrom(right.summary()))));
    left.applyRemote(decodeOk(encodeOperations(right.operationsMissingFrom(left.summary()))));
    expect(contents(left)).toEqual(contents(right));
  });

  it('carry a whole history to a fresh store in one batch', () => {
    const [left, right] = concurrentStores();
    exchange(left, right);
    left.put('key:0', 'after');
    const fresh = new VersionedStore({ agent: agentId('fresh') });
    const result = fresh.applyRemote(decodeOk(encodeOperations(left.operationsMissingFrom([]))));
    expect(result.applied).toBe(left.size);
    expect(contents(fresh)).toEqual(contents(left));
  });
});

describe('the size of operation batches', () => {
  /** 1000 sequential operations of one agent (16-character id), small integer values. */
  function sequentialBatch(keyOf: (index: number) => string): Operation[] {
    const store = new VersionedStore({ agent: agentId('a1b2c3d4e5f6g7h8') });
    for (let index = 0; index < 1000; index++) store.put(keyOf(index), index % 100);
    return store.operationsMissingFrom([]);
  }

  /** Bytes per operation beyond each value's encoding and each distinct key's text once. */
  function overheadPerOperation(operations: readonly Operation[], bytes: Uint8Array): number {
    const textEncoder = new TextEncoder();
    let payload = 0;
    const keys = new Set<string>();
    for (const { writes } of operations) {
      for (const { key, value } of writes) {
        payload += encodeValue(value as MsgpackValue).length;
        if (!keys.has(key)) payload += textEncoder.encode(key).length;
        keys.add(key);
      }
    }
    return (bytes.length - payload) / operations.length;
  }

  it('costs under 8 bytes per operation beyond keys and values, far below JSON', () => {
    // Ten counters written in turn: each write replaces the previous one's.
    const counters = sequentialBatch((index) => `counter:${index % 10}`);
    // A new key each time: nothing replaced, every key inline.
    const distinct = sequentialBatch((index) => `item:${index}`);
    // Bounds around the README's figures: 7.7 and 11.9 bytes per operation,
    // 6.6 and 3.0 beyond values and key texts; 195 and 157 as JSON.
    const bounds = [
      { operations: counters, total: 8, overhead: 7 },
      { operations: distinct, total: 12.5, overhead: 3.5 },
    ];
    for (const { operations, total, overhead } of bounds) {
      const bytes = encodeOperations(operations);
      const json = new TextEncoder().encode(JSON.stringify(operations)).length;
      expect(bytes.length / operations.length).toBeLessThan(total);
      expect(overheadPerOperation(operations, bytes)).toBeLessThan(overhead);
      expect(bytes.length * 10).toBeLessThan(json);
      // One run: the agent and seqs are written once.
      expect(structure(bytes)[3]).toHaveLength(1);
    }
  });
});

describe('decodeOperations errors', () => {
  function expectFailure<T extends WireDecodeError>(
    bytes: Uint8Array,
    type: abstract new (...args: never[]) => T,
    reason: DecodeFailureReason,
    message: RegExp,
    options?: DecodeOperationsOptions,
  ): T {
    const error = decodeFailure(bytes, options);
    expect(error).toBeInstanceOf(type);
    expect(error.reason).toBe(reason);
    expect(error.message).toMatch(message);
    return error as T;
  }

  it('decodes the smallest batch these cases start from', () => {
    expect(decodeOk(minimal)).toEqual([operation(alice, 0, [], ['k', 1])]);
  });

  it('not-msgpack: input that is not bytes, or the byte 0xc1 anywhere', () => {
    expectFailure(
      'batch' as unknown as Uint8Array,
      NotMsgpackError,
      'not-msgpack',
      /input is string: expected a Uint8Array/,
    );
    expectFailure(hex('c1'), NotMsgpackError, 'not-msgpack', /0xc1 at offset 0/);
    expectFailure(
      batch(aliceOnly, array(), array(uint(0), hex('c1'), noParents, oneWrite)),
      NotMsgpackError,
      'not-msgpack',
      /0xc1/,
    );
    expectFailure(
      batch(
        aliceOnly,
        array(),
        array(uint(0), uint(0), noParents, array(str('k'), array(hex('c1')), array())),
      ),
      NotMsgpackError,
      'not-msgpack',
      /0xc1/,
    );
  });

  it('truncated: no bytes, or any prefix of a batch', () => {
    expectFailure(
      new Uint8Array(0),
      TruncatedMessageError,
      'truncated',
      /empty: expected an operation batch/,
    );
    const bytes = encodeOperations([
      operation(alice, 0, [], ['k', { nested: [1, 'two'] }]),
      operation(
        bob,
        5,
        [version(alice, 0)],
        ['k', 'x'.repeat(40), [version(alice, 0)]],
        ['j', 1.5],
      ),
    ]);
    for (let length = 1; length < bytes.length; length++) {
      expect(decodeFailure(bytes.subarray(0, length)).reason, `prefix of ${length}`).toBe(
        'truncated',
      );
    }
    // A count larger than the bytes left is a truncation, found before allocating.
    expectFailure(hex('94 01 dd 7fffffff'), TruncatedMessageError, 'truncated', /truncated/);
  });

  it('trailing-bytes: anything after the batch', () => {
    expectFailure(
      concat(minimal, hex('00')),
      TrailingBytesError,
      'trailing-bytes',
      /1 more bytes follow: expected exactly one operation batch/,
    );
  });

  it('batch-too-large: longer than maxBytes, refused before reading', () => {
    const error = expectFailure(minimal, BatchTooLargeError, 'batch-too-large', /maxBytes/, {
      maxBytes: minimal.length - 1,
    });
    expect(error.limit).toBe(minimal.length - 1);
    expect(decodeOk(minimal, { maxBytes: minimal.length })).toHaveLength(1);
  });

  it('too-many-operations: more than maxOperations, counted before reading them', () => {
    const bytes = encodeOperations(sequence(alice, 0, 3, (seq) => ['k', seq]));
    const error = expectFailure(
      bytes,
      TooManyOperationsError,
      'too-many-operations',
      /at least 3 operations: expected at most 2/,
      { maxOperations: 2 },
    );
    expect(error.count).toBe(3);
    expect(decodeOk(bytes, { maxOperations: 3 })).toHaveLength(3);
    const runs = encodeOperations([
      operation(alice, 0, [], ['k', 1]),
      operation(bob, 0, [], ['k', 1]),
      operation(carol, 0, [], ['k', 1]),
    ]);
    expectFailure(runs, TooManyOperationsError, 'too-many-operations', /maxOperations/, {
      maxOperations: 2,
    });
    expect(DEFAULT_MAX_OPERATIONS).toBe(100_000);
    // A header claiming more runs than the default allows.
    expectFailure(
      concat(hex('94 01 90 90 dd 00 01 86 a1')),
      TooManyOperationsError,
      'too-many-operations',
      /100001/,
    );
  });

  it('key-too-long and invalid-utf8: keys inline or in the table', () => {
    const long = batch(
      aliceOnly,
      array(),
      array(uint(0), uint(0), noParents, array(str('long'), uint(1), array())),
    );
    expectFailure(long, KeyTooLongError, 'key-too-long', /4 bytes long: expected at most 3/, {
      maxKeyBytes: 3,
    });
    expectFailure(
      batch(aliceOnly, array(str('long')), array()),
      KeyTooLongError,
      'key-too-long',
      /maxKeyBytes/,
      { maxKeyBytes: 3 },
    );
    const invalid = hex('a2 c3 28');
    expectFailure(
      batch(
        aliceOnly,
        array(),
        array(uint(0), uint(0), noParents, array(invalid, uint(1), array())),
      ),
      InvalidUtf8Error,
      'invalid-utf8',
      /not valid UTF-8/,
    );
    expectFailure(
      batch(aliceOnly, array(invalid), array()),
      InvalidUtf8Error,
      'invalid-utf8',
      /UTF-8/,
    );
  });

  /** A batch whose one run is `[0, 0, parents, writes]` for alice, with `keys` in the table. */
  function withWrites(writes: Uint8Array, parents = noParents, keys = array()): Uint8Array {
    return batch(array(str('alice'), str('bob')), keys, array(uint(0), uint(0), parents, writes));
  }

  const invalidCases: [string, Uint8Array, RegExp][] = [
    [
      'a map',
      map([str('format'), uint(1)]),
      /the batch at offset 0 is a map: expected an array of 4 items/,
    ],
    ['an array of 3', array(uint(1), array(), array()), /an array of 3 items/],
    [
      'format 2',
      array(uint(2), array(), array(), array()),
      /the format at offset 1 is 2: expected 1/,
    ],
    [
      'format as text',
      array(str('1'), array(), array(), array()),
      /the format at offset 1 is a string/,
    ],
    [
      'agents not an array',
      array(uint(1), hex('c0'), array(), array()),
      /the agent table at offset 2 is nil/,
    ],
    [
      'an agent not a string',
      batch(array(uint(5)), array()),
      /agent 0 at offset 3 is 5: expected a string of 1..64 characters/,
    ],
    ['an empty agent id', batch(array(str('')), array()), /agent 0 at offset 3 is 0 bytes long/],
    [
      'a 65-character agent id',
      batch(array(str('x'.repeat(65))), array()),
      /is 65 characters long: expected 1..64/,
    ],
    ['a 193-byte agent id', batch(array(str('é'.repeat(97))), array()), /194 bytes long/],
    [
      'an agent id not UTF-8',
      batch(array(hex('a2 c3 28')), array()),
      /agent 0 at offset 3 is not valid UTF-8/,
    ],
    [
      'an agent listed twice',
      batch(array(str('alice'), str('alice')), array()),
      /"alice", is listed twice/,
    ],
    [
      'keys not an array',
      array(uint(1), array(), map(), array()),
      /the key table at offset 3 is a map/,
    ],
    [
      'a key not a string',
      batch(array(), array(uint(3))),
      /key 0 of the key table at offset 4 is 3: expected a string/,
    ],
    ['a key listed twice', batch(array(), array(str('k'), str('k'))), /"k", is listed twice/],
    [
      'runs not an array',
      array(uint(1), array(), array(), str('runs')),
      /the run list at offset 4 is a string/,
    ],
    [
      'a run not an array',
      batch(aliceOnly, array(), uint(0)),
      /run 0 at offset \d+ is 0: expected an array \[agent, seq, parents, writes…\]/,
    ],
    [
      'a run without writes',
      batch(aliceOnly, array(), array(uint(0), uint(0), noParents)),
      /run 0 at offset \d+ is an array of 3 items/,
    ],
    [
      'an agent index out of range',
      batch(aliceOnly, array(), array(uint(1), uint(0), noParents, oneWrite)),
      /the agent of run 0 at offset \d+ is 1: expected an index into the agent table \(0..0\)/,
    ],
    [
      'an agent index with no agents',
      batch(array(), array(), array(uint(0), uint(0), noParents, oneWrite)),
      /agent table, which is empty/,
    ],
    [
      'a negative agent index',
      batch(aliceOnly, array(), array(hex('ff'), uint(0), noParents, oneWrite)),
      /is -1: expected an index/,
    ],
    [
      'a fractional agent index',
      batch(aliceOnly, array(), array(hex('cb 3fe0000000000000'), uint(0), noParents, oneWrite)),
      /the float 0.5/,
    ],
    [
      'a negative seq',
      batch(aliceOnly, array(), array(uint(0), hex('ff'), noParents, oneWrite)),
      /first seq of run 0 at offset \d+ is -1: expected an integer in 0..2\^53-1/,
    ],
    [
      'a fractional seq',
      batch(aliceOnly, array(), array(uint(0), hex('cb 3ff8000000000000'), noParents, oneWrite)),
      /the float 1.5/,
    ],
    [
      'a seq of 2^53',
      batch(aliceOnly, array(), array(uint(0), hex('cf 0020000000000000'), noParents, oneWrite)),
      /9007199254740992: expected an integer in 0..2\^53-1/,
    ],
    [
      'a seq as text',
      batch(aliceOnly, array(), array(uint(0), str('0'), noParents, oneWrite)),
      /is a string/,
    ],
    [
      'a run past 2^53-1',
      batch(
        aliceOnly,
        array(),
        array(uint(0), uint(Number.MAX_SAFE_INTEGER), noParents, oneWrite, oneWrite),
      ),
      /its 2 operations from seq 9007199254740991 .* go past 2\^53-1/,
    ],
    [
      'parents not an array',
      withWrites(oneWrite, hex('c0')),
      /the parents of run 0 at offset \d+ is nil: expected a flat array of agent index, seq pairs/,
    ],
    [
      'parents of odd length',
      withWrites(oneWrite, array(uint(1))),
      /the parents of run 0 at offset \d+ is an array of 1 items/,
    ],
    [
      'a parent agent out of range',
      withWrites(oneWrite, array(uint(2), uint(0))),
      /an agent in the parents of run 0 at offset \d+ is 2/,
    ],
    [
      'a parent seq out of range',
      withWrites(oneWrite, array(uint(1), hex('d0 80'))),
      /a seq in the parents of run 0 at offset \d+ is -128/,
    ],
    [
      'writes not an array',
      withWrites(map()),
      /the writes of operation alice:0 at offset \d+ is a map: expected a flat array of key, value, replaces triples/,
    ],
    [
      'no writes',
      withWrites(array()),
      /the writes of operation alice:0 at offset \d+ is an array of 0 items/,
    ],
    [
      'writes of 4 items',
      withWrites(array(str('k'), uint(1), array(), str('j'))),
      /an array of 4 items/,
    ],
    [
      'a key index out of range',
      withWrites(array(uint(2), uint(1), array()), noParents, array(str('only'), str('other'))),
      /a key of operation alice:0 at offset \d+ is 2: expected a string or an index into the key table \(0..1\)/,
    ],
    [
      'a key index of 300',
      withWrites(array(uint(300), uint(1), array())),
      /is 300: expected a string \(the key table is empty\)/,
    ],
    [
      'a key as nil',
      withWrites(array(hex('c0'), uint(1), array())),
      /a key of operation alice:0 at offset \d+ is nil/,
    ],
    [
      'replaces of odd length',
      withWrites(array(str('k'), uint(1), array(uint(0)))),
      /the versions key "k" of operation alice:0 replaces at offset \d+ is an array of 1 items/,
    ],
    [
      'a replaced seq as text',
      withWrites(array(str('k'), uint(1), array(uint(0), str('s')))),
      /a seq in the versions key "k" of operation alice:0 replaces at offset \d+ is a string/,
    ],
  ];

  it.each(invalidCases)('invalid-operations: %s', (_, bytes, message) => {
    const error = expectFailure(bytes, InvalidOperationsError, 'invalid-operations', message);
    expect(error.message).toMatch(/^operation batch is invalid: /);
  });

  it('invalid-operations: a value that is not plain msgpack, with the value codec’s error as cause', () => {
    const error = expectFailure(
      withWrites(array(str('k'), hex('d4 05 01'), array())),
      InvalidOperationsError,
      'invalid-operations',
      /the value of key "k" in operation alice:0 at offset \d+ is not a plain msgpack value/,
    );
    expect(error.cause).toBeInstanceOf(ValueDecodeError);
  });

  it('invalid-operations: a value nesting deeper than the value codec allows', () => {
    const nested = (depth: number) => concat(new Uint8Array(depth - 1).fill(0x91), hex('90'));
    expect(decodeOk(withWrites(array(str('k'), nested(100), array())))).toHaveLength(1);
    const error = expectFailure(
      withWrites(array(str('k'), nested(101), array())),
      InvalidOperationsError,
      'invalid-operations',
      /nests containers more than 100 levels deep/,
    );
    expect(error.cause).toBeInstanceOf(NestingTooDeepError);
  });

  it('invalid-operations: what crdt-core’s assertOperation rejects, with its error as cause', () => {
    const error = expectFailure(
      withWrites(array(str('k'), uint(1), array(), str('k'), uint(2), array())),
      InvalidOperationsError,
      'invalid-operations',
      /operation 0: malformed operation: operation alice:0: key "k" is written twice/,
    );
    expect(error.cause).toBeInstanceOf(MalformedOperationError);
  });
});

describe('encodeOperations errors', () => {
  function expectEncodeError(
    operations: readonly Operation[],
    message: RegExp,
    options?: { maxKeyBytes?: number },
  ): OperationEncodeError {
    let thrown: unknown;
    try {
      encodeOperations(operations, options);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(OperationEncodeError);
    expect(isVigError(thrown)).toBe(true);
    const error = thrown as OperationEncodeError;
    expect(error.message).toMatch(message);
    return error;
  }

  it('names the operation that assertOperation rejects, with its error as cause', () => {
    const good = operation(alice, 0, [], ['k', 1]);
    const error = expectEncodeError(
      [good, { version: version(alice, 1), parents: [], writes: [] }],
      /operation 1 of the batch cannot be encoded: malformed operation: .*writes is not a non-empty array/,
    );
    expect(error.position).toBe(1);
    expect(error.cause).toBeInstanceOf(MalformedOperationError);
    expectEncodeError(
      [{ version: { agent: '' as AgentId, seq: 0 }, parents: [], writes: [] }],
      /agent id/,
    );
    expectEncodeError([operation(alice, -1, [], ['k', 1])], /seq/);
    expectEncodeError('nope' as unknown as Operation[], /operations cannot be encoded/);
  });

  it('names a value outside the msgpack data model, with the value codec’s error as cause', () => {
    for (const value of [undefined, () => 1, Symbol('s'), new Float32Array(2), 2n ** 70n]) {
      const error = expectEncodeError(
        [operation(alice, 0, [], ['fine', 1]), operation(bob, 0, [], ['bad', value])],
        /operation 1 of the batch cannot be encoded: the value of key "bad": value cannot be encoded as msgpack/,
      );
      expect(error.cause).toBeInstanceOf(ValueEncodeError);
    }
  });

  it('refuses keys and agent ids UTF-8 cannot carry, and keys over maxKeyBytes', () => {
    expectEncodeError(
      [operation(alice, 0, [], ['\ud800', 1])],
      /key "\\ud800" holds a lone surrogate/,
    );
    expectEncodeError(
      [operation(agentId('a\udc00'), 0, [], ['k', 1])],
      /agent id "a\\udc00" holds a lone surrogate/,
    );
    expectEncodeError(
      [operation(alice, 0, [], ['k', 1], ['x'.repeat(1025), 1])],
      /is 1025 bytes long: expected at most 1024 \(maxKeyBytes\)/,
    );
    expectEncodeError([operation(alice, 0, [], ['long', 1])], /maxKeyBytes/, { maxKeyBytes: 3 });
    expect(
      encodeOperations([operation(alice, 0, [], ['long', 1])], { maxKeyBytes: 4 }).length,
    ).toBeGreaterThan(0);
  });

  it('leaves the encoder usable after a failure', () => {
    expect(() => encodeOperations([operation(alice, 0, [], ['k', undefined])])).toThrow(
      OperationEncodeError,
    );
    expect(decodeOk(encodeOperations([operation(alice, 0, [], ['k', 1])]))).toEqual([
      operation(alice, 0, [], ['k', 1]),
    ]);
  });
});

describe('decodeOperations under fuzzing', () => {
  const reasons: ReadonlySet<DecodeFailureReason> = new Set<DecodeFailureReason>([
    'not-msgpack',
    'truncated',
    'trailing-bytes',
    'invalid-operations',
    'too-many-operations',
    'batch-too-large',
    'key-too-long',
    'invalid-utf8',
  ]);
  const interestingBytes = [
    0x00, 0x01, 0x02, 0x7f, 0x80, 0x90, 0x91, 0x92, 0x93, 0x94, 0xa0, 0xa1, 0xc0, 0xc1, 0xc2, 0xc3,
    0xc4, 0xca, 0xcb, 0xcc, 0xcd, 0xcf, 0xd3, 0xd4, 0xd9, 0xdc, 0xdd, 0xde, 0xe0, 0xff,
  ];

  /** Valid batches of every shape: from stores, and hand-made. */
  function corpus(random: () => number): Uint8Array[] {
    const batches: Uint8Array[] = [encodeOperations([]), minimal];
    for (let round = 0; round < 40; round++) {
      const left = new VersionedStore({ agent: agentId(`left-${round}`) });
      const right = new VersionedStore({ agent: agentId(`right-${round}`) });
      for (const store of [left, right]) {
        for (let i = 0, count = Math.floor(random() * 12); i < count; i++) {
          const key = `k${Math.floor(random() * 5)}`;
          const value = [i, -i, `v${i}`, null, [i, { x: i }], 1.5, 2n ** 60n][
            Math.floor(random() * 7)
          ];
          if (random() < 0.2)
            store.putMany([
              [key, value],
              ['other', true],
            ]);
          else store.put(key, value);
        }
      }
      right.applyRemote(left.operationsMissingFrom(right.summary()));
      right.put('k0', round);
      batches.push(encodeOperations(right.operationsMissingFrom(left.summary())));
      batches.push(encodeOperations(right.operationsMissingFrom([])));
    }
    return batches;
  }

  /** One fuzz input: random bytes, or a valid batch flipped, cut, grown, spliced or overwritten. */
  function mutate(random: () => number, batches: readonly Uint8Array[]): Uint8Array {
    return mutateBytes(random, batches, {
      interestingBytes,
      maxRandomLength: 48,
      maxFlips: 3,
      randomPrefix: hex('94 01'),
    });
  }

  it('answers 20k seeded inputs with a well-formed batch or a typed error, never a throw', () => {
    const { problems, seen } = fuzzDecoder({
      seed: 20261123,
      rounds: 20_000,
      corpus,
      mutate,
      reasons,
      decode: (input) => {
        const result = decodeOperations(input, { maxOperations: 20 });
        return result.ok ? { ok: true, value: result.operations } : result;
      },
      // A decoded batch is well formed, and re-encodes to the same operations.
      checkAccepted: (operations) => {
        for (const decoded of operations) assertOperation(decoded);
        // A mismatch throws, which the harness reports with the input.
        expect(decodeOk(encodeOperations(operations))).toEqual(operations);
        return undefined;
      },
    });
    expect(problems).toEqual([]);
    expect(seen.get('ok')).toBeGreaterThan(2000);
    for (const reason of [
      'not-msgpack',
      'truncated',
      'trailing-bytes',
      'invalid-operations',
      'too-many-operations',
      'invalid-utf8',
    ] as const) {
      expect(seen.get(reason), reason).toBeGreaterThan(0);
    }
  });
});
