import { BlockList, isIP } from 'node:net';
import type { BindEndpoint } from './udp-bind-address.js';
import { ProtectedModeError } from './security-errors.js';

/** 127.0.0.0/8, ::1, and 127.0.0.0/8 mapped into IPv6. */
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');
loopback.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

/** Whether `host`, an IP address, is a loopback address: 127.0.0.0/8 or ::1 (in any spelling). */
export function isLoopbackAddress(host: string): boolean {
  const family = isIP(host);
  return family !== 0 && loopback.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/**
 * Protected mode: refuses a node bound to anything but loopback without a
 * cluster key, unless `insecure`.
 *
 * @throws {@link ProtectedModeError}
 */
export function checkProtectedMode(
  bind: string,
  endpoint: BindEndpoint,
  options: { readonly keyed: boolean; readonly insecure: boolean },
): void {
  if (options.keyed || options.insecure || isLoopbackAddress(endpoint.host)) return;
  throw new ProtectedModeError(bind, endpoint.host);
}
