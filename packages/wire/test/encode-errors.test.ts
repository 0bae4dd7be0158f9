import { InvalidIndexError, InvalidValueError, MAX_VALUE, isVigError } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { describe, expect, it } from 'vitest';
import { DenseSpanTooLargeError, InvalidMessageFieldError, encodeMessage } from '@vig/wire';
import type { VignetteMessage } from '@vig/wire';
import { messageOf, sparse } from './helpers.js';

/** A message with a field of the wrong type, as plain JavaScript could pass it. */
function withField(field: string, value: unknown): VignetteMessage {
  return { ...messageOf(sparse([1, 1])), [field]: value };
}

function expectFieldError(message: VignetteMessage, field: string, text: string | RegExp): void {
  let caught: unknown;
  try {
    encodeMessage(message);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidMessageFieldError);
  expect(isVigError(caught, 'InvalidMessageFieldError')).toBe(true);
  expect((caught as InvalidMessageFieldError).field).toBe(field);
  if (typeof text === 'string') expect((caught as Error).message).toBe(text);
  else expect((caught as Error).message).toMatch(text);
}

describe('encodeMessage validates what it writes', () => {
  it('rejects a key that is not a string, not well-formed, or too long', () => {
    expectFieldError(
      withField('key', 7),
      'key',
      'message field "key" is number: expected a string',
    );
    expectFieldError(
      withField('key', 'a\uD800b'),
      'key',
      /holds a lone surrogate: expected well-formed UTF-16/,
    );
    expectFieldError(withField('key', '\uDC00'), 'key', /lone surrogate/);
    expectFieldError(
      withField('key', 'é'.repeat(513)),
      'key',
      'message field "key" is 1026 bytes long in UTF-8: expected at most 1024 bytes (maxKeyBytes)',
    );
    expect(() => encodeMessage(withField('key', 'abcd'), { maxKeyBytes: 3 })).toThrow(
      /at most 3 bytes/,
    );
  });

  it('rejects a ttl that is not an integer in 0..2^53-1', () => {
    for (const ttl of [-1, 1.5, Number.NaN, Infinity, MAX_VALUE + 1, '5', undefined]) {
      expectFieldError(
        withField('ttl', ttl),
        'ttl',
        /^message field "ttl" is .+: expected an integer in 0\.\.2\^53-1$/,
      );
    }
  });

  it('rejects a full that is not a boolean', () => {
    expectFieldError(
      withField('full', 1),
      'full',
      'message field "full" is number: expected a boolean',
    );
    expectFieldError(withField('full', undefined), 'full', /is undefined/);
  });

  it('rejects a vector that is not entries', () => {
    for (const vector of [
      null,
      {},
      { kind: 'other' },
      new Map(),
      { kind: 'dense', offset: 0, registers: [1] },
    ]) {
      expectFieldError(
        withField('vector', vector),
        'vector',
        /is not vector entries: expected sparse/,
      );
    }
    expectFieldError(
      withField('vector', { kind: 'sparse', indices: [1, 2], values: [1] }),
      'vector',
      /indices and values of different lengths/,
    );
  });

  it('throws crdt-core errors for invalid entries', () => {
    const entries = (indices: unknown[], values: unknown[]) =>
      messageOf({ kind: 'sparse', indices, values } as unknown as VectorEntries);
    for (const index of [-1, 2 ** 32, 1.5, Number.NaN, '3']) {
      expect(() => encodeMessage(entries([index], [1]))).toThrow(InvalidIndexError);
    }
    for (const value of [-1, 1.5, MAX_VALUE + 1, Infinity, '3']) {
      expect(() => encodeMessage(entries([1], [value]))).toThrow(InvalidValueError);
    }
    expect(() => encodeMessage(entries([1], [-1]))).toThrow(
      'vector value -1 at index 1 is out of range: expected an integer in 0..2^53-1',
    );
    const dense = (offset: number, registers: Float64Array) =>
      messageOf({ kind: 'dense', offset, registers });
    expect(() => encodeMessage(dense(0, Float64Array.of(1.5)))).toThrow(InvalidValueError);
    expect(() => encodeMessage(dense(-1, Float64Array.of(1)))).toThrow(InvalidIndexError);
    expect(() => encodeMessage(dense(2 ** 32 - 1, Float64Array.of(1, 1)))).toThrow(
      InvalidIndexError,
    );
    for (const mode of ['auto', 'always'] as const) {
      expect(() => encodeMessage(dense(0, Float64Array.of(-2)), { dense: mode })).toThrow(
        InvalidValueError,
      );
      expect(() => encodeMessage(entries([-1], [1]), { dense: mode })).toThrow(InvalidIndexError);
    }
  });

  it('refuses dense: always for sparse entries spanning more than 65536 indices', () => {
    const message = messageOf(sparse([0, 1], [70_000, 1]));
    expect(() => encodeMessage(message, { dense: 'always' })).toThrow(DenseSpanTooLargeError);
    expect(() => encodeMessage(message, { dense: 'always' })).toThrow(
      /entries span 70001 indices: a dense field holds at most 65536 registers/,
    );
    expect(encodeMessage(message, { dense: 'auto' }).length).toBeLessThan(40);
  });
});
