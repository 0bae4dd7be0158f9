import { describe, expect, it } from 'vitest';
import { jsonOfDocValue } from './doc-value-json.js';

describe('jsonOfDocValue', () => {
  it('gives back parsed JSON as it was, with maps as objects', () => {
    const decoded = new Map<unknown, unknown>([
      ['text', 'Draft'],
      ['tags', ['a', new Map([['deep', true]])]],
      ['count', 2.5],
      ['none', null],
    ]);
    expect(jsonOfDocValue(decoded)).toEqual({
      text: 'Draft',
      tags: ['a', { deep: true }],
      count: 2.5,
      none: null,
    });
  });

  it('writes what JSON cannot hold as close as it gets', () => {
    expect(jsonOfDocValue(new Map<unknown, unknown>([[1, 'one']]))).toEqual({ 1: 'one' });
    expect(jsonOfDocValue(5n)).toBe(5);
    expect(jsonOfDocValue(2n ** 60n)).toBe('1152921504606846976');
    expect(jsonOfDocValue(new Uint8Array([104, 105]))).toBe('aGk=');
    expect(jsonOfDocValue(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00.000Z');
    expect(jsonOfDocValue(undefined)).toBeNull();
  });
});
