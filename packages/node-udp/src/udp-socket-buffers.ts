import type { Socket } from 'node:dgram';

/** What the OS reports for a socket's buffers after they were raised. */
export interface GrantedBuffers {
  /** SO_RCVBUF as the OS reports it (on Linux, twice what it grants). */
  readonly receiveBufferBytes: number;
  /** SO_SNDBUF as the OS reports it (on Linux, twice what it grants). */
  readonly sendBufferBytes: number;
}

/** One direction of a socket's buffers. */
interface BufferDirection {
  readonly name: 'receive' | 'send';
  /** The Linux sysctl that caps it. */
  readonly sysctl: string;
  /** What a buffer smaller than asked means. */
  readonly consequence: string;
  readonly set: (bytes: number) => void;
  readonly get: () => number;
}

/** Linux reports SO_RCVBUF and SO_SNDBUF doubled: half of it is room for the kernel's bookkeeping. */
const reportedPerGranted = process.platform === 'linux' ? 2 : 1;

/**
 * Raises SO_RCVBUF and SO_SNDBUF of a bound socket to what was asked. The OS
 * may grant less (Linux caps at `net.core.rmem_max` / `wmem_max` unless the
 * process is privileged): then `warn` gets one line per direction saying
 * what was asked, what was granted and how to raise the cap. Never throws.
 */
export function raiseSocketBuffers(
  socket: Socket,
  asked: GrantedBuffers,
  warn: (message: string) => void,
): GrantedBuffers {
  const receive: BufferDirection = {
    name: 'receive',
    sysctl: 'net.core.rmem_max',
    consequence: 'bursts of incoming datagrams may be dropped meanwhile',
    set: (bytes) => socket.setRecvBufferSize(bytes),
    get: () => socket.getRecvBufferSize(),
  };
  const send: BufferDirection = {
    name: 'send',
    sysctl: 'net.core.wmem_max',
    consequence: 'bursts of outgoing datagrams may wait or fail meanwhile',
    set: (bytes) => socket.setSendBufferSize(bytes),
    get: () => socket.getSendBufferSize(),
  };
  return {
    receiveBufferBytes: raise(receive, asked.receiveBufferBytes, warn),
    sendBufferBytes: raise(send, asked.sendBufferBytes, warn),
  };
}

/** Asks for `bytes` in one direction; warns when less is granted; returns what the OS reports. */
function raise(direction: BufferDirection, bytes: number, warn: (message: string) => void): number {
  let failure = '';
  try {
    direction.set(bytes);
  } catch (error) {
    failure = ` (setting it failed: ${error instanceof Error ? error.message : String(error)})`;
  }
  let reported = 0;
  try {
    reported = direction.get();
  } catch {
    // Left at 0: reported as granting nothing, which the warning says.
  }
  const granted = Math.floor(reported / reportedPerGranted);
  if (granted < bytes) warn(shortfallMessage(direction, bytes, granted, reported, failure));
  return reported;
}

/** The one line that explains a buffer smaller than asked. */
function shortfallMessage(
  direction: BufferDirection,
  asked: number,
  granted: number,
  reported: number,
  failure: string,
): string {
  const doubled =
    reportedPerGranted === 2 ? `; Linux reports ${reported}, twice the grant, for bookkeeping` : '';
  const remedy =
    process.platform === 'linux'
      ? `raise the cap with \`sysctl -w ${direction.sysctl}=${asked}\` (as root)`
      : process.platform === 'darwin' || process.platform === 'freebsd'
        ? `raise the cap with \`sysctl -w kern.ipc.maxsockbuf=${Math.ceil(asked * 1.25)}\` (as root)`
        : 'raise the OS limit on socket buffers';
  return (
    `UDP ${direction.name} buffer: asked for ${asked} bytes (${mebibytes(asked)}), ` +
    `the OS granted ${granted} (${mebibytes(granted)})${doubled}${failure}; ` +
    `${remedy}, or ask for less; ${direction.consequence}`
  );
}

/** Bytes in MiB, to two decimals. */
function mebibytes(bytes: number): string {
  return `${(bytes / 1_048_576).toFixed(2).replace(/\.?0+$/, '')} MiB`;
}
