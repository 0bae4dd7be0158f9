/** Free UDP ports on loopback addresses, for nodes in this machine's own network namespace. */
import { createSocket } from 'node:dgram';

/** A UDP port free on `host` right now (the system's choice of an ephemeral port). */
export async function freePort(host: string): Promise<number> {
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, host, () => resolve());
    });
    return socket.address().port;
  } finally {
    await new Promise<void>((resolve) => socket.close(() => resolve()));
  }
}

/** `host:port` for each of `hosts`, each on a port free right now. */
export async function freeAddresses(hosts: readonly string[]): Promise<string[]> {
  return Promise.all(hosts.map(async (host) => `${host}:${await freePort(host)}`));
}
