import { describe, expect, it } from 'vitest';
import { literalFirstLookup } from './udp-address-lookup.js';

/** What the lookup calls back with. */
function lookup(
  resolvable: 'any' | ReadonlySet<string>,
  hostname: string,
  family: number,
): Promise<{ code: string | undefined; address: string }> {
  return new Promise((resolve) => {
    literalFirstLookup(resolvable)(hostname, { family }, (error, address) =>
      resolve({ code: error?.code, address }),
    );
  });
}

describe('literalFirstLookup', () => {
  it('answers IP literals at once, refusing the other family', async () => {
    expect(await lookup(new Set(), '127.0.0.5', 4)).toEqual({
      code: undefined,
      address: '127.0.0.5',
    });
    expect((await lookup('any', '::1', 4)).code).toBe('EAFNOSUPPORT');
  });

  it('resolves only the host names it is allowed to, refusing the rest with ENOTIP', async () => {
    expect(await lookup(new Set(['localhost']), 'localhost', 4)).toEqual({
      code: undefined,
      address: '127.0.0.1',
    });
    expect((await lookup(new Set(['localhost']), 'evil.example', 4)).code).toBe('ENOTIP');
    expect((await lookup('any', 'localhost', 4)).code).toBeUndefined();
  });
});
