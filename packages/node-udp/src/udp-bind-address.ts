import { lookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { InvalidBindAddressError, UdpBindError } from './udp-errors.js';

/** Where to bind: an IP literal, its family and a port (0: ephemeral). */
export interface BindEndpoint {
  readonly host: string;
  readonly port: number;
  readonly family: 4 | 6;
}

const bindPattern = /^(?:\[([0-9A-Fa-f:.]+)\]|([^:[\]\s]+)):(\d{1,5})$/;

/**
 * Parses `host:port` (`[v6]:port` for IPv6, port 0 for an ephemeral one) and
 * resolves a host name to one IP address, whose family picks `udp4` or `udp6`.
 *
 * @throws {@link InvalidBindAddressError} when `bind` is not `host:port`
 * @throws {@link UdpBindError} when a host name does not resolve
 */
export async function resolveBindEndpoint(bind: string): Promise<BindEndpoint> {
  const match = typeof bind === 'string' ? bindPattern.exec(bind) : null;
  const port = Number(match?.[3]);
  const bracketed = match?.[1];
  const host = bracketed ?? match?.[2];
  if (host === undefined || !(port >= 0 && port <= 65_535)) {
    throw new InvalidBindAddressError(String(bind));
  }
  const family = isIP(host);
  if (bracketed !== undefined && family !== 6) throw new InvalidBindAddressError(bind);
  if (family === 4 || family === 6) return { host, port, family };
  try {
    const resolved = await lookup(host);
    return { host: resolved.address, port, family: resolved.family === 6 ? 6 : 4 };
  } catch (error) {
    throw new UdpBindError(bind, `host ${host} does not resolve`, { cause: error });
  }
}
