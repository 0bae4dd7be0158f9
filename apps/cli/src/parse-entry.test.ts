import { describe, expect, it } from 'vitest';
import { parseEntries, parseEntry } from './parse-entry.js';
import { UsageError } from './usage-error.js';

describe('parseEntry', () => {
  it('reads INDEX=VALUE with decimal digits', () => {
    expect(parseEntry('3=7')).toEqual([3, 7]);
    expect(parseEntry('0=0')).toEqual([0, 0]);
    expect(parseEntry('4294967295=9007199254740991')).toEqual([4294967295, 9007199254740991]);
  });

  it.each([
    '3',
    '=7',
    '3=',
    'a=1',
    '1=b',
    '-1=2',
    '1=-2',
    '1.5=2',
    '1=2.5',
    '1=2=3',
    ' 1=2',
    '1e3=1',
    '0x10=1',
  ])('refuses %j with a UsageError naming it', (text) => {
    expect(() => parseEntry(text)).toThrow(UsageError);
    expect(() => parseEntry(text)).toThrow(`entry ${JSON.stringify(text)} is invalid`);
  });

  it('refuses an index above 2^32-1 and a value above 2^53-1', () => {
    expect(() => parseEntry('4294967296=1')).toThrow(UsageError);
    expect(() => parseEntry('1=9007199254740992')).toThrow(UsageError);
  });
});

describe('parseEntries', () => {
  it('gathers entries into a record, keeping the larger value of a repeated index', () => {
    expect(parseEntries(['0=5', '3=7', '0=2'])).toEqual({ 0: 5, 3: 7 });
  });
});
