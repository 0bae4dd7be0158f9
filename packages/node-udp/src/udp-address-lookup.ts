import { lookup as dnsLookup } from 'node:dns';
import type { LookupOneOptions } from 'node:dns';
import { isIP } from 'node:net';

/** The callback of a `dgram` lookup. */
type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string,
  family: number,
) => void;

/** The `lookup` option of a dgram socket. */
export type DatagramLookup = (
  hostname: string,
  options: LookupOneOptions | number,
  callback: LookupCallback,
) => void;

/**
 * The `lookup` a dgram socket calls before every send: an IP literal (every
 * peer address a node learns from a datagram) is answered at once, in the
 * same turn, where `dns.lookup` would defer each datagram by a tick. A host
 * name goes to `dns.lookup` only if `resolvable` allows it: an address
 * learned from the network that names a host (`n:evil.example:7000`) must
 * not make a node query DNS for every datagram, tying up libuv's small
 * thread pool, which LMDB's writes share. A refused name fails with
 * `ENOTIP`; a literal of the other family than the socket's fails with
 * `EAFNOSUPPORT`; both are counted as send errors like any other.
 *
 * @param resolvable - `'any'`, or the host names that may be resolved (a node's seeds)
 */
export function literalFirstLookup(
  resolvable: 'any' | ReadonlySet<string> = 'any',
): DatagramLookup {
  return (hostname, options, callback) => lookupAddress(resolvable, hostname, options, callback);
}

function lookupAddress(
  resolvable: 'any' | ReadonlySet<string>,
  hostname: string,
  options: LookupOneOptions | number,
  callback: LookupCallback,
): void {
  const wanted = typeof options === 'number' ? options : options.family;
  const family = isIP(hostname);
  if (family === 0) {
    if (resolvable !== 'any' && !resolvable.has(hostname.toLowerCase())) {
      callback(unresolvable(hostname), hostname, 4);
      return;
    }
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

/** The error of a send to a host name the socket may not resolve. */
function unresolvable(hostname: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `${hostname} is a host name, not an IP address; only the configured seeds are resolved`,
  );
  error.code = 'ENOTIP';
  return error;
}

/** The error of an IPv`family` socket asked to send to `hostname`. */
function familyMismatch(hostname: string, family: 4 | 6): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(
    `${hostname} is not an IPv${family} address: an IPv${family} socket cannot send to it`,
  );
  error.code = 'EAFNOSUPPORT';
  return error;
}
