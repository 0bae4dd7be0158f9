import { describe, expect, it } from 'vitest';
import { VersionedStore, agentId, seededRandom } from '@vig/crdt-core';
import type { Operation, Version } from '@vig/crdt-core';
import {
  DOC_KINDS,
  DatagramBudgetError,
  InvalidDocFieldError,
  createPartAssembler,
  decodeDatagram,
  decodeDocMessage,
  decodeOperations,
  docMessageId,
  encodeDocMessage,
  encodeOperations,
  isDocDatagram,
  isSyncDatagram,
  operationsBatchCapacity,
  packOperations,
  splitDocMessage,
} from '@vig/wire';
import type { DocMessage, DocPart, WireDecodeError } from '@vig/wire';
import { fuzzDecoder } from './decoder-fuzz.js';
import { array, bin, concat, hex, map, str, uint } from './helpers.js';
import { mutateBytes } from './mutate-bytes.js';

const alice = agentId('alice-0123456789');
const bob = agentId('bob');
const versions: Version[] = [
  { agent: alice, seq: 0 },
  { agent: bob, seq: 70_000 },
  { agent: agentId('ü-🙂'), seq: 2 ** 53 - 1 },
];

/** One message of every kind, optional fields included, and some without them. */
function everyKind(): DocMessage[] {
  const batch = encodeOperations([
    { version: versions[0], parents: [], writes: [{ key: 'k', value: 1, replaces: [] }] },
  ]);
  return [
    { kind: 'digest', digest: { count: 2 ** 40 + 3, low: 0xffff_ffff, high: 7 }, vig: 1 },
    { kind: 'digest', digest: { count: 0, low: 0, high: 0 }, heads: versions, vig: 1 },
    { kind: 'recent', reply: false, heads: versions, complete: true, versions: [], vig: 1 },
    {
      kind: 'recent',
      reply: true,
      heads: [],
      complete: false,
      versions,
      from: 12,
      vig: 3,
      client: true,
    },
    { kind: 'ops', batch, ttl: 0, vig: 1 },
    { kind: 'ops', batch, ttl: 5, next: 99, vig: 1 },
    {
      kind: 'part',
      id: '0123456789abcdef',
      index: 3,
      count: 65_536,
      bytes: Uint8Array.of(1, 2),
      vig: 1,
    },
    { kind: 'put', request: 7, key: 'title', value: 'Draft', vig: 1, client: true },
    {
      kind: 'put',
      request: 0xffff_ffff,
      key: 'ключ',
      value: new Map<unknown, unknown>([
        ['a', [1, 2.5, null, true]],
        [3, Uint8Array.of(9)],
      ]),
      parents: versions,
      vig: 1,
      client: true,
    },
    { kind: 'get', request: 1, key: 'title', vig: 1, client: true },
    { kind: 'log', request: 2, limit: 50, vig: 1, client: true },
    { kind: 'log', request: 2, limit: 1, key: 'title', cursor: 0, vig: 1, client: true },
    { kind: 'checkout', request: 3, target: versions, vig: 1, client: true },
    { kind: 'checkout', request: 3, target: 'main', vig: 1, client: true },
    { kind: 'branch', request: 4, name: 'release', vig: 1, client: true },
    { kind: 'written', request: 7, version: versions[1], vig: 1 },
    { kind: 'siblings', request: 1, key: 'title', siblings: [], vig: 1 },
    {
      kind: 'siblings',
      request: 1,
      key: 'title',
      siblings: [
        { version: versions[0], value: 'A' },
        { version: versions[1], value: new Map([['x', 1]]) },
      ],
      vig: 1,
    },
    { kind: 'history', request: 2, batch, vig: 1 },
    { kind: 'history', request: 2, batch, cursor: 40, vig: 1 },
    { kind: 'frontier', request: 3, frontier: versions, vig: 1 },
    { kind: 'frontier', request: 4, frontier: [], branch: 'release', vig: 1 },
    {
      kind: 'failed',
      request: 5,
      code: 'unknown-branch',
      message: 'branch "x" does not exist',
      vig: 1,
    },
  ];
}

function decodeOk(bytes: Uint8Array): DocMessage {
  const result = decodeDocMessage(bytes);
  if (!result.ok) throw new Error(`expected a doc message: ${result.error.message}`);
  return result.doc;
}

function decodeError(bytes: Uint8Array): WireDecodeError {
  const result = decodeDocMessage(bytes);
  if (result.ok) throw new Error(`expected an error, got a "${result.doc.kind}" message`);
  return result.error;
}

describe('doc messages: encode and decode', () => {
  it('round-trips every kind, with and without optional fields', () => {
    const messages = everyKind();
    expect(new Set(messages.map((message) => message.kind))).toEqual(new Set(DOC_KINDS));
    for (const message of messages) {
      const bytes = encodeDocMessage(message);
      expect(isDocDatagram(bytes)).toBe(true);
      expect(isSyncDatagram(bytes)).toBe(false);
      expect(decodeOk(bytes)).toEqual(message);
      const routed = decodeDatagram(bytes);
      expect(routed.ok && routed.kind === 'doc' && routed.doc).toEqual(message);
    }
  });

  it('writes `doc` first, the fields in order, `vig`, then `client` only when true', () => {
    const bytes = encodeDocMessage({ kind: 'get', request: 1, key: 'k', vig: 1, client: false });
    expect(bytes).toEqual(
      concat(
        hex('84'),
        str('doc'),
        str('get'),
        str('request'),
        uint(1),
        str('key'),
        str('k'),
        str('vig'),
        uint(1),
      ),
    );
  });

  it('sends the digest in 16 bytes whatever the count: the in-sync check has one size', () => {
    const sizes = [0, 10, 1000, 100_000, 2 ** 40].map(
      (count) =>
        encodeDocMessage({
          kind: 'digest',
          digest: { count, low: count % 7, high: 0xffff_ffff },
          heads: [{ agent: alice, seq: 3 }],
          vig: 1,
        }).length,
    );
    expect(new Set(sizes).size).toBe(1);
  });

  it('reads fields in any order, integers in any encoding, and skips unknown fields', () => {
    const bytes = map(
      [str('doc'), str('ops')],
      [str('later'), array(map([uint(1), bin(Uint8Array.of(1))]))],
      [str('ttl'), hex('cb 4000000000000000')],
      [str('vig'), hex('cd 0001')],
      [str('batch'), bin(Uint8Array.of(1, 2, 3))],
      [str('reply'), hex('c3')],
    );
    expect(decodeOk(bytes)).toEqual({ kind: 'ops', batch: Uint8Array.of(1, 2, 3), ttl: 2, vig: 1 });
  });

  it('refuses what is not exactly a doc message, naming the field', () => {
    const get = (...extra: [Uint8Array, Uint8Array][]): Uint8Array =>
      map([str('doc'), str('get')], [str('request'), uint(1)], ...extra);
    const cases: [Uint8Array, string, string][] = [
      [map([str('doc'), str('nope')], [str('vig'), uint(1)]), 'invalid-doc', 'doc'],
      [map([str('key'), str('k')], [str('doc'), str('get')]), 'invalid-doc', 'doc'],
      [get([str('vig'), uint(1)]), 'invalid-doc', 'key'],
      [get([str('key'), str('k')]), 'invalid-doc', 'vig'],
      [get([str('key'), str('k')], [str('vig'), uint(0)]), 'invalid-doc', 'vig'],
      [get([str('key'), uint(1)], [str('vig'), uint(1)]), 'invalid-doc', 'key'],
      [
        get([str('key'), str('k')], [str('key'), str('k')], [str('vig'), uint(1)]),
        'invalid-doc',
        'key',
      ],
      [
        map(
          [str('doc'), str('written')],
          [str('request'), uint(1)],
          [str('version'), array(str('a'), uint(1), str('b'), uint(2))],
          [str('vig'), uint(1)],
        ),
        'invalid-doc',
        'version',
      ],
      [
        map(
          [str('doc'), str('frontier')],
          [str('request'), uint(1)],
          [str('frontier'), array(str(''), uint(1))],
          [str('vig'), uint(1)],
        ),
        'invalid-doc',
        'frontier',
      ],
      [
        map(
          [str('doc'), str('digest')],
          [str('digest'), bin(new Uint8Array(15))],
          [str('vig'), uint(1)],
        ),
        'invalid-doc',
        'digest',
      ],
      [
        map([str('doc'), str('put')], [str('request'), hex('cf 0000000100000000')]),
        'invalid-doc',
        'request',
      ],
      [
        map(
          [str('doc'), str('get')],
          [str('request'), uint(1)],
          [str('key'), hex('a2 c3 28')],
          [str('vig'), uint(1)],
        ),
        'invalid-doc',
        'key',
      ],
    ];
    for (const [bytes, reason, field] of cases) {
      const error = decodeError(bytes);
      expect([error.reason, (error as unknown as { field?: string }).field]).toEqual([
        reason,
        field,
      ]);
      expect(error.message).not.toBe('');
    }
    const longKey = get([str('key'), str('k'.repeat(2000))], [str('vig'), uint(1)]);
    expect(decodeError(longKey).reason).toBe('key-too-long');
    expect(
      decodeError(concat(get([str('key'), str('k')], [str('vig'), uint(1)]), hex('00'))).reason,
    ).toBe('trailing-bytes');
    const manyVersions = map(
      [str('doc'), str('frontier')],
      [str('request'), uint(1)],
      [
        str('frontier'),
        concat(hex('dc 2002'), ...Array.from({ length: 4097 }, () => concat(str('a'), uint(1)))),
      ],
      [str('vig'), uint(1)],
    );
    expect(decodeError(manyVersions).message).toContain('at most 4096');
  });

  it('throws InvalidDocFieldError naming a field it cannot encode', () => {
    const bad: [DocMessage, string][] = [
      [{ kind: 'get', request: -1, key: 'k', vig: 1 }, 'request'],
      [{ kind: 'get', request: 1, key: '\ud800', vig: 1 }, 'key'],
      [{ kind: 'get', request: 1, key: 'k', vig: 0 }, 'vig'],
      [{ kind: 'put', request: 1, key: 'k', value: () => 1, vig: 1 }, 'value'],
      [{ kind: 'put', request: 1, key: 'k', value: undefined, vig: 1 }, 'value'],
      [
        { kind: 'frontier', request: 1, frontier: [{ agent: alice, seq: 1.5 }], vig: 1 },
        'frontier[0]',
      ],
      [{ kind: 'part', id: 'xyz', index: 0, count: 2, bytes: new Uint8Array(), vig: 1 }, 'id'],
      [
        {
          kind: 'part',
          id: '0123456789abcdef',
          index: 0,
          count: 1,
          bytes: new Uint8Array(),
          vig: 1,
        },
        'count',
      ],
    ];
    for (const [message, field] of bad) {
      expect(() => encodeDocMessage(message)).toThrow(InvalidDocFieldError);
      try {
        encodeDocMessage(message);
      } catch (error) {
        expect((error as InvalidDocFieldError).field).toBe(field);
      }
    }
  });

  it('never throws on mutated and random input, and what it accepts re-encodes', () => {
    const corpus = (): Uint8Array[] => everyKind().map((message) => encodeDocMessage(message));
    const { problems, seen } = fuzzDecoder({
      seed: 20261201,
      rounds: 20_000,
      corpus,
      mutate: (random, inputs) =>
        mutateBytes(random, inputs, {
          interestingBytes: [
            0x00, 0x7f, 0x80, 0x90, 0xa0, 0xa3, 0xc0, 0xc1, 0xc3, 0xc4, 0xcf, 0xdc, 0xde, 0xff,
          ],
          maxRandomLength: 64,
          maxFlips: 4,
          randomPrefix: hex('84 a3 646f63'),
        }),
      decode: (input) => {
        const result = decodeDocMessage(input);
        return result.ok ? { ok: true, value: result.doc } : result;
      },
      reasons: new Set([
        'not-msgpack',
        'truncated',
        'trailing-bytes',
        'not-a-map',
        'nesting-too-deep',
        'key-too-long',
        'invalid-doc',
      ]),
      checkAccepted: (doc) =>
        decodeDocMessage(encodeDocMessage(doc)).ok ? undefined : 'did not re-encode',
    });
    expect(problems).toEqual([]);
    expect(seen.get('ok')).toBeGreaterThan(1000);
    expect(seen.get('invalid-doc')).toBeGreaterThan(100);
  });
});

describe('doc messages: parts', () => {
  const big: DocMessage = {
    kind: 'put',
    request: 1,
    key: 'blob',
    value: 'x'.repeat(10_000),
    vig: 1,
    client: true,
  };

  it('cuts a message too large for the budget into parts that reassemble in any order', () => {
    expect(splitDocMessage({ kind: 'get', request: 1, key: 'k', vig: 1 })).toHaveLength(1);
    const whole = encodeDocMessage(big);
    const parts = splitDocMessage(big, 1400);
    expect(parts.length).toBe(8);
    const decoded = parts.map((bytes) => decodeOk(bytes) as DocPart);
    for (const part of decoded) {
      expect(part).toMatchObject({ kind: 'part', count: 8, vig: 1, client: true });
      expect(part.id).toBe(docMessageId(whole));
    }
    for (const bytes of parts) expect(bytes.length).toBeLessThanOrEqual(1400);
    const assembler = createPartAssembler({
      maxMessageBytes: 1 << 20,
      maxMessages: 4,
      maxBufferedBytes: 1 << 20,
      timeout: 1000,
    });
    const order = [5, 0, 7, 3, 3, 1, 2, 6, 4];
    const outcomes = order.map((index) => assembler.add('a:1', decoded[index], index));
    expect(outcomes[4]).toEqual({ kind: 'duplicate' });
    const last = outcomes[outcomes.length - 1];
    expect(last?.kind).toBe('complete');
    if (last?.kind === 'complete') expect(decodeOk(last.bytes)).toEqual(big);
    expect(assembler.pending).toBe(0);
    expect(assembler.bufferedBytes).toBe(0);
  });

  it('completes a message from parts of several sendings, keeps sources apart, and bounds itself', () => {
    const parts = splitDocMessage(big, 1400).map((bytes) => decodeOk(bytes) as DocPart);
    const assembler = createPartAssembler({
      maxMessageBytes: 20_000,
      maxMessages: 2,
      maxBufferedBytes: 1 << 20,
      timeout: 1000,
    });
    // First sending: the odd parts arrive; second sending, later: the even ones.
    for (const part of parts.filter((part) => part.index % 2 === 1)) assembler.add('a:1', part, 0);
    expect(assembler.add('b:2', parts[0], 10)).toEqual({ kind: 'waiting', evicted: 0 });
    let outcome = assembler.add('a:1', parts[0], 900);
    for (const part of parts.filter((part) => part.index % 2 === 0 && part.index > 0)) {
      outcome = assembler.add('a:1', part, 900);
    }
    expect(outcome.kind).toBe('complete');
    expect(assembler.pending).toBe(1);
    // b's message has had no part for the timeout: given up.
    expect(assembler.expire(1010)).toBe(1);
    expect(assembler.pending).toBe(0);

    // More messages than allowed: the least recently progressed goes.
    const other = splitDocMessage({ ...big, key: 'other' }, 1400).map(
      (bytes) => decodeOk(bytes) as DocPart,
    );
    const third = splitDocMessage({ ...big, key: 'third' }, 1400).map(
      (bytes) => decodeOk(bytes) as DocPart,
    );
    assembler.add('a:1', parts[0], 0);
    assembler.add('a:1', other[0], 1);
    expect(assembler.add('a:1', third[0], 2)).toEqual({ kind: 'waiting', evicted: 1 });
    expect(assembler.pending).toBe(2);

    // A count that changes, a corrupt part, a message too large.
    expect(assembler.add('a:1', { ...other[1], count: 3 }, 3)).toEqual({
      kind: 'dropped',
      reason: 'inconsistent',
    });
    const corrupt = createPartAssembler({
      maxMessageBytes: 20_000,
      maxMessages: 2,
      maxBufferedBytes: 1 << 20,
      timeout: 1000,
    });
    let last = corrupt.add('c:3', { ...parts[0], bytes: Uint8Array.of(1) }, 0);
    for (const part of parts.slice(1)) last = corrupt.add('c:3', part, 0);
    expect(last).toEqual({ kind: 'dropped', reason: 'corrupt' });
    const small = createPartAssembler({
      maxMessageBytes: 3000,
      maxMessages: 2,
      maxBufferedBytes: 1 << 20,
      timeout: 1000,
    });
    let refused = small.add('c:3', parts[0], 0);
    for (const part of parts.slice(1, 3)) refused = small.add('c:3', part, 0);
    expect(refused).toEqual({ kind: 'dropped', reason: 'too-large' });
    expect(small.bufferedBytes).toBe(0);
  });

  it('throws DatagramBudgetError when not one byte of a part fits', () => {
    expect(() => splitDocMessage(big, 40)).toThrow(DatagramBudgetError);
  });
});

describe('doc messages: packing operations', () => {
  function history(): Operation[] {
    const random = seededRandom(5);
    const store = new VersionedStore({ agent: alice, random });
    for (let step = 0; step < 600; step++) {
      if (random() < 0.2) store.switchAgent();
      const value = step === 300 ? 'y'.repeat(5000) : step;
      store.put(`key-${Math.floor(random() * 40)}`, value);
    }
    return store.diff(store.heads, []).onlyA.map((version) => store.operation(version));
  }

  it('fills batches to the capacity of an ops datagram, in order; a huge operation gets its own', () => {
    const operations = history();
    const capacity = operationsBatchCapacity(1400);
    const batches = packOperations(operations, capacity);
    expect(batches.reduce((sum, { count }) => sum + count, 0)).toBe(operations.length);
    const decoded: Operation[] = [];
    for (const { batch, count } of batches) {
      const result = decodeOperations(batch);
      if (!result.ok) throw result.error;
      expect(result.operations).toHaveLength(count);
      decoded.push(...result.operations);
      if (count > 1) expect(batch.length).toBeLessThanOrEqual(capacity);
      const datagrams = splitDocMessage(
        { kind: 'ops', batch, ttl: 3, next: 2 ** 40, vig: 1 },
        1400,
      );
      expect(datagrams.length).toBe(batch.length > capacity ? 4 : 1);
    }
    expect(decoded.map((operation) => operation.version)).toEqual(
      operations.map((operation) => operation.version),
    );
    // Full: two neighbouring batches would not fit together.
    for (let index = 0; index + 1 < batches.length; index++) {
      const start = batches.slice(0, index).reduce((sum, { count }) => sum + count, 0);
      const both = (batches[index]?.count ?? 0) + 1;
      expect(encodeOperations(operations.slice(start, start + both)).length).toBeGreaterThan(
        capacity,
      );
    }
  });
});

describe('doc messages: the README', () => {
  it('writes the digest example byte for byte, and the sizes it states', () => {
    const example = encodeDocMessage({
      kind: 'digest',
      digest: { count: 3, low: 0x01020304, high: 0xa0b0c0d0 },
      heads: [{ agent: agentId('node-1'), seq: 2 }],
      vig: 1,
    });
    expect(Buffer.from(example).toString('hex')).toBe(
      '84a3646f63a6646967657374a6646967657374c410030000000000000004030201d0c0b0a0a5686561647392a66e6f64652d3102a376696701',
    );
    const sixteen = encodeDocMessage({
      kind: 'digest',
      digest: { count: 2 ** 40, low: 1, high: 2 },
      heads: [{ agent: agentId('0123456789abcdef'), seq: 2 }],
      vig: 1,
    });
    expect(sixteen.length).toBe(67);
    expect(operationsBatchCapacity(1400)).toBe(1338);
  });
});
