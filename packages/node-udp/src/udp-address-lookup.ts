import { lookup as dnsLookup } from 'node:dns';
import type { LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

/** The callback of a `dgram` lookup. */
type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string,
  family: number,
) => void;

/**
 * The `lookup` a dgram socket calls before every send: an IP literal (every
 * peer address a node learns from a datagram) is answered at once, in the
 * same turn, where `dns.lookup` would defer each datagram by a tick; a host
 * name goes to `dns.lookup` as usual. A literal of the other family than
 * the socket's fails here, with `EAFNOSUPPORT`, and is counted as a send
 * error like any other.
 */
export function literalFirstLookup(
  hostname: string,
  options: LookupOneOptions | number,
  callback: LookupCallback,
): void {
  const wanted = typeof options === 'number' ? options : options.family;
  const family = isIP(hostname);
  if (family === 0) {
    dnsLookup(hostname, typeof options === 'number' ? { family: options } : options, callback);
    return;
  }
  if (wanted === 4 || wanted === 6 || wanted === 'IPv4' || wanted === 'IPv6') {
    const wantedFamily = wanted === 4 || wanted === 'IPv4' ? 4 : 6;
    if (wantedFamily !== family) {
      callback(familyMismatch(hostname, wantedFamily), hostname, family);
      return;
    }
  }
  callback(null, hostname, family);
}

/** The error of an IPv`family` socket asked to send to `hostname`. */
function familyMismatch(hostname: string, family: 4 | 6): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `${hostname} is not an IPv${family} address: an IPv${family} socket cannot send to it`,
  );
  error.code = 'EAFNOSUPPORT';
  return error;
}
