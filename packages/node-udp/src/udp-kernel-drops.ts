import { readFileSync } from 'node:fs';
import { isIPv4, isIPv6 } from 'node:net';
import { endianness } from 'node:os';
import { parsePeerAddress } from '@vig/gossip';

/** The most socket lines read from one /proc table: every loop is bounded. */
const MAX_SOCKET_LINES = 1_000_000;

/**
 * Datagrams the Linux kernel dropped for the UDP socket bound at
 * `localAddress` (a transport's `localAddress`), mostly because its receive
 * buffer was full: the `drops` column of `/proc/net/udp` or `/proc/net/udp6`.
 * These never reach the process, so no counter of the transport can see
 * them. Undefined off Linux, or when no such socket is listed. Reads a file
 * synchronously: for diagnostics, tests and benchmarks, not a hot path.
 */
export function readKernelReceiveDrops(localAddress: string): number | undefined {
  if (process.platform !== 'linux') return undefined;
  const endpoint = parsePeerAddress(localAddress);
  if (endpoint === undefined) return undefined;
  const hostHex = procAddressHex(endpoint.host);
  if (hostHex === undefined) return undefined;
  const wanted = `${hostHex}:${endpoint.port.toString(16).toUpperCase().padStart(4, '0')}`;
  let table: string;
  try {
    table = readFileSync(isIPv4(endpoint.host) ? '/proc/net/udp' : '/proc/net/udp6', 'latin1');
  } catch {
    return undefined;
  }
  const lines = table.split('\n', MAX_SOCKET_LINES);
  for (let line = 1; line < lines.length; line++) {
    const fields = (lines[line] ?? '').trim().split(/\s+/);
    if (fields[1] === wanted) return Number(fields[fields.length - 1]);
  }
  return undefined;
}

/** An IP address as /proc/net prints it: 32-bit words in host byte order, upper-case hex. */
function procAddressHex(host: string): string | undefined {
  const bytes = isIPv4(host) ? host.split('.').map(Number) : ipv6Bytes(host);
  if (bytes === undefined) return undefined;
  const littleEndian = endianness() === 'LE';
  let hex = '';
  for (let word = 0; word < bytes.length; word += 4) {
    const group = bytes.slice(word, word + 4);
    if (littleEndian) group.reverse();
    hex += group.map((byte) => byte.toString(16).toUpperCase().padStart(2, '0')).join('');
  }
  return hex;
}

/** The 16 bytes of an IPv6 address (with `::` and a trailing dotted quad), or undefined. */
function ipv6Bytes(host: string): number[] | undefined {
  if (!isIPv6(host)) return undefined;
  const [head = '', tail] = host.split('::');
  const groups = (part: string | undefined): number[] => {
    if (part === undefined || part === '') return [];
    return part.split(':').flatMap((group) => {
      if (isIPv4(group)) {
        const [a = 0, b = 0, c = 0, d = 0] = group.split('.').map(Number);
        return [(a << 8) | b, (c << 8) | d];
      }
      return [parseInt(group, 16)];
    });
  };
  const front = groups(head);
  const back = groups(tail);
  const words = [...front, ...new Array<number>(8 - front.length - back.length).fill(0), ...back];
  return words.flatMap((word) => [word >> 8, word & 0xff]);
}
