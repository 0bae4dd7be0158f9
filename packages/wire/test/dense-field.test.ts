import { Buffer } from 'node:buffer';
import type { RegisterArray } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { decodeDatagram, decodeMessage, encodeMessage } from '@vig/wire';
import {
  array,
  bin,
  decodeOk,
  expectSameMessage,
  fields,
  foldEntries,
  hex,
  map,
  messageOf,
  sparse,
  uint,
} from './helpers.js';

const denseOf = (offset: number, registers: RegisterArray) =>
  messageOf({ kind: 'dense', offset, registers }, { key: 'k' });

describe('the dense field', () => {
  it('is [offset, width, registers as little-endian bin], after the other fields', () => {
    const bytes = encodeMessage(denseOf(10, Uint8Array.of(0, 1, 2, 3, 0)), { dense: 'always' });
    // {key: "k", vector: {}, ttl: 5, dense: [11, 1, bin(01 02 03)]}: zero registers trimmed.
    expect(bytes).toEqual(
      hex('84 a36b6579 a16b a6766563746f72 80 a374746c 05 a564656e7365 93 0b 01 c403 010203'),
    );
  });

  it('decodes to dense entries of the width sent', () => {
    const cases = [
      [Uint8Array.of(1, 255), Uint8Array, 1],
      [Uint16Array.of(1, 256), Uint16Array, 2],
      [Uint32Array.of(1, 65536), Uint32Array, 4],
      [Float64Array.of(1, 2 ** 32, 2 ** 53 - 1), Float64Array, 8],
    ] as const;
    for (const [registers, arrayType, width] of cases) {
      const bytes = encodeMessage(denseOf(3, registers), { dense: 'always' });
      const message = decodeOk(bytes);
      expect(message.vector.kind).toBe('dense');
      if (message.vector.kind !== 'dense') continue;
      expect(message.vector.offset).toBe(3);
      expect(message.vector.registers).toBeInstanceOf(arrayType);
      expect([...message.vector.registers]).toEqual([...registers]);
      const widthByte = bytes[bytes.indexOf(0x93) + 2];
      expect(widthByte).toBe(width);
    }
  });

  it('writes registers little-endian, byte by byte', () => {
    const bytes = encodeMessage(denseOf(0, Uint32Array.of(0x0102_0304)), { dense: 'always' });
    expect([...bytes.subarray(bytes.length - 6)]).toEqual([0xc4, 4, 0x04, 0x03, 0x02, 0x01]);
    const wide = encodeMessage(denseOf(0, Float64Array.of(2 ** 40 + 5)), { dense: 'always' });
    expect([...wide.subarray(wide.length - 8)]).toEqual([5, 0, 0, 0, 0, 1, 0, 0]);
  });

  it('picks the narrowest width for the values, whatever the array type', () => {
    const bytes = encodeMessage(denseOf(0, Float64Array.of(1, 2, 3)), { dense: 'always' });
    const message = decodeOk(bytes);
    expect(message.vector.kind === 'dense' && message.vector.registers).toBeInstanceOf(Uint8Array);
  });

  it('turns sparse entries into dense ones under always', () => {
    const message = messageOf(sparse([100, 4], [103, 300], [101, 0]), { key: 'k' });
    const decoded = decodeOk(encodeMessage(message, { dense: 'always' }));
    expect(decoded.vector).toEqual({
      kind: 'dense',
      offset: 100,
      registers: Uint16Array.of(4, 0, 0, 300),
    });
  });

  it('writes no dense field for an empty vector: empty means "send me everything"', () => {
    for (const vector of [sparse(), sparse([5, 0])]) {
      const bytes = encodeMessage(messageOf(vector), { dense: 'always' });
      expect(bytes[0]).toBe(0x83);
      expect(decodeOk(bytes).vector.kind).toBe('sparse');
    }
    expect(encodeMessage(denseOf(0, new Uint8Array(8)), { dense: 'always' })[0]).toBe(0x83);
  });

  it('auto picks whichever encoding is smaller', () => {
    const registers = new Uint8Array(16384).map((_, i) => 1 + (i % 12));
    const hll = denseOf(0, registers);
    const auto = encodeMessage(hll, { dense: 'auto' });
    expect(auto.length).toBe(encodeMessage(hll, { dense: 'always' }).length);
    expect(auto.length).toBeLessThan(encodeMessage(hll).length);

    const scattered = messageOf(sparse([5, 1], [9000, 2], [70_000, 3]));
    expect(encodeMessage(scattered, { dense: 'auto' })).toEqual(encodeMessage(scattered));

    const run = messageOf(
      sparse(...Array.from({ length: 40 }, (_, i): [number, number] => [500 + i, 7])),
    );
    const runAuto = encodeMessage(run, { dense: 'auto' });
    expect(runAuto.length).toBe(encodeMessage(run, { dense: 'always' }).length);
    expect(runAuto.length).toBeLessThan(encodeMessage(run).length);

    const sparseDense = denseOf(0, Uint8Array.of(1, ...new Uint8Array(100), 1));
    expect(encodeMessage(sparseDense, { dense: 'auto' })).toEqual(encodeMessage(sparseDense));
    for (const message of [hll, scattered, run, sparseDense]) {
      expectSameMessage(decodeOk(encodeMessage(message, { dense: 'auto' })), message);
    }
  });

  it('decodes a message with both a sparse vector and a dense field to their union', () => {
    const bytes = map(
      ...fields({
        vector: map([uint(1), uint(9)], [uint(50), uint(4)]),
        dense: array(uint(0), uint(1), bin(Uint8Array.of(3, 3, 3))),
      }),
    );
    const message = decodeOk(bytes);
    expect(message.vector.kind).toBe('sparse');
    expect(foldEntries(message.vector)).toEqual(
      new Map([
        [0, 3],
        [1, 9],
        [2, 3],
        [50, 4],
      ]),
    );
  });

  it('reads a dense field with an empty vector map as dense entries, and an empty one as nothing', () => {
    const bytes = map(...fields({ dense: array(uint(7), uint(2), bin(Uint8Array.of(1, 1))) }));
    expect(decodeOk(bytes).vector).toEqual({
      kind: 'dense',
      offset: 7,
      registers: Uint16Array.of(257),
    });
    const empty = map(...fields({ dense: array(uint(7), uint(1), bin(new Uint8Array(0))) }));
    expect(foldEntries(decodeOk(empty).vector).size).toBe(0);
    expect(decodeMessage(empty).ok).toBe(true);
  });

  it('copies the registers out of the message bytes', () => {
    const bytes = encodeMessage(denseOf(0, Uint8Array.of(5, 6)), { dense: 'always' });
    const message = decodeOk(bytes);
    bytes.fill(0);
    expect(message.vector.kind === 'dense' && [...message.vector.registers]).toEqual([5, 6]);
  });

  it('copies width-1 registers out of a Node Buffer too (whose slice is a view)', () => {
    const encoded = encodeMessage(denseOf(4, Uint8Array.of(5, 6, 7)), { dense: 'always' });
    // A receive buffer: the message at an odd offset of a Node Buffer.
    const received = Buffer.alloc(encoded.length + 3);
    received.set(encoded, 3);
    const input = received.subarray(3);
    for (const message of [
      decodeOk(input),
      (() => {
        const routed = decodeDatagram(input);
        if (!routed.ok || routed.kind !== 'message') throw new Error('expected a message');
        return routed.message;
      })(),
    ]) {
      if (message.vector.kind !== 'dense') throw new Error('expected dense entries');
      const { registers } = message.vector;
      expect(registers).toBeInstanceOf(Uint8Array);
      // A plain Uint8Array of its own, not a Buffer sharing the receive buffer's memory.
      expect(Object.getPrototypeOf(registers)).toBe(Uint8Array.prototype);
      expect(registers.buffer).not.toBe(received.buffer);
      received.fill(0xee);
      expect([...registers]).toEqual([5, 6, 7]);
      received.set(encoded, 3);
    }
  });
});
