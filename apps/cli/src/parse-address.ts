import { parsePeerAddress } from '@vig/gossip';
import { UsageError } from './usage-error.js';

/** A trailing port 0: "any free port", which only `--bind` accepts. */
const ANY_PORT = /:0$/;

/**
 * Checks a `HOST:PORT` argument (IPv6 as `[HOST]:PORT`, port 1..65535) and
 * returns it unchanged. With `allowAnyPort` (for `--bind`) port 0 is
 * accepted too: the system then picks a free port.
 *
 * @throws {@link UsageError} naming the value and the expected form
 */
export function parseAddress(value: string, allowAnyPort = false): string {
  // Port 0 is checked as port 1 would be: the host part follows the same rules.
  const checked = allowAnyPort ? value.replace(ANY_PORT, ':1') : value;
  if (parsePeerAddress(checked) === undefined) {
    const ports = allowAnyPort ? '0..65535' : '1..65535';
    throw new UsageError(
      `address ${JSON.stringify(value)} is invalid: expected HOST:PORT ([HOST]:PORT for IPv6) with a port in ${ports}`,
    );
  }
  return value;
}

/** {@link parseAddress} for a repeatable option: adds the checked address to those before it. */
export function collectAddress(value: string, previous: readonly string[] = []): string[] {
  return [...previous, parseAddress(value)];
}
