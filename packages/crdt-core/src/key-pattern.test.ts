import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compileKeyPattern,
  isAggregatePattern,
  isPattern,
  isPeerKey,
  isSearchPattern,
} from './index.js';

/** A reference matcher: a fully escaped, anchored regular expression (test-only). */
function referenceMatcher(pattern: string): (key: string) => boolean {
  const source = [...pattern]
    .map((character) =>
      character === '%' || character === '*'
        ? '[\\s\\S]*'
        : character.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&'),
    )
    .join('');
  const expression = new RegExp(`^${source}$`, 'u');
  return (key) => expression.test(key);
}

describe('key kinds', () => {
  it('checks * before %, as the Ruby prototype does', () => {
    expect(isAggregatePattern('views:*')).toBe(true);
    expect(isAggregatePattern('a%b*')).toBe(true);
    expect(isSearchPattern('a%b*')).toBe(false);
    expect(isSearchPattern('views:%')).toBe(true);
    expect(isSearchPattern('views:home')).toBe(false);
    expect(isAggregatePattern('views:%')).toBe(false);
  });

  it('calls a key a pattern when it holds % or *', () => {
    expect(isPattern('a%')).toBe(true);
    expect(isPattern('*')).toBe(true);
    expect(isPattern('plain.key(1)')).toBe(false);
    expect(isPattern('')).toBe(false);
  });

  it('recognises peer keys, but not peer patterns', () => {
    expect(isPeerKey('n:10.0.0.7:4000')).toBe(true);
    expect(isPeerKey('n:')).toBe(true);
    expect(isPeerKey('n:%')).toBe(false);
    expect(isPeerKey('N:host:1')).toBe(false);
    expect(isPeerKey('an:host:1')).toBe(false);
  });
});

describe('compileKeyPattern', () => {
  it('matches % and * as any run of characters, the empty run included', () => {
    const matches = compileKeyPattern('views:%');
    expect(matches('views:home')).toBe(true);
    expect(matches('views:')).toBe(true);
    expect(matches('page-views:home')).toBe(false);
    expect(compileKeyPattern('%')('')).toBe(true);
    expect(compileKeyPattern('*')('anything at all')).toBe(true);
    expect(compileKeyPattern('a%b*c')('abc')).toBe(true);
    expect(compileKeyPattern('a%b*c')('a-b-c')).toBe(true);
    expect(compileKeyPattern('a%b*c')('a-c')).toBe(false);
    expect(compileKeyPattern('%:%:%')('n:host:4000')).toBe(true);
    expect(compileKeyPattern('a%%*b')('ab')).toBe(true);
  });

  it('is anchored on the whole key (unlike the Ruby prototype)', () => {
    expect(compileKeyPattern('home')('views:home')).toBe(false);
    expect(compileKeyPattern('home%')('my-home')).toBe(false);
    expect(compileKeyPattern('%home')('homepage')).toBe(false);
    expect(compileKeyPattern('home')('home')).toBe(true);
  });

  it('matches every other character literally', () => {
    const metacharacters = ['.', '(', ')', '[', ']', '\\', '+', '?', '^', '$', '|', '{', '}', '/'];
    for (const character of metacharacters) {
      const matches = compileKeyPattern(`a${character}%`);
      expect(matches(`a${character}b`)).toBe(true);
      expect(matches(`axb`)).toBe(false);
    }
    expect(compileKeyPattern('v1.0')('v1x0')).toBe(false);
    expect(compileKeyPattern('(a|b)')('a')).toBe(false);
    expect(compileKeyPattern('(a|b)')('(a|b)')).toBe(true);
    expect(compileKeyPattern('x^$y%')('x^$y!')).toBe(true);
  });

  it('matches peer keys with n:%', () => {
    const peers = compileKeyPattern('n:%');
    expect(peers('n:10.0.0.1:4000')).toBe(true);
    expect(peers('views:n:1')).toBe(false);
  });

  it('keeps a middle piece that overlaps the suffix out of the suffix', () => {
    const matches = compileKeyPattern('a%aa');
    expect(matches('aa')).toBe(false);
    expect(matches('aaa')).toBe(true);
    expect(compileKeyPattern('%ab%ab')('ab')).toBe(false);
    expect(compileKeyPattern('%ab%ab')('abab')).toBe(true);
  });

  it('agrees with an escaped, anchored regular expression on any pattern and key', () => {
    const alphabet = fc.constantFrom('a', 'b', '%', '*', '.', '\\', '(', '$', 'é', '😀');
    const text = fc.array(alphabet, { maxLength: 10 }).map((characters) => characters.join(''));
    const plain = fc
      .array(fc.constantFrom('a', 'b', '.', '\\', '(', '$', 'é', '😀'), { maxLength: 12 })
      .map((characters) => characters.join(''));
    fc.assert(
      fc.property(text, plain, (pattern, key) => {
        expect(compileKeyPattern(pattern)(key)).toBe(referenceMatcher(pattern)(key));
      }),
      { numRuns: 2000 },
    );
  });
});
