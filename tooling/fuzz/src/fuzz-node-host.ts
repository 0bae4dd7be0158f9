/**
 * A Vig node in a process of its own, for the fuzzer: it starts a memory
 * node on 127.0.0.1, then answers the parent's requests over the IPC channel
 * (`metrics`: the node's counters, kernel drops and memory; `stop`). Its
 * memory figures are its own, not the fuzzer's.
 *
 * Run by {@link startFuzzNodeHost} with `node --conditions=@vig/source --import tsx`.
 */
import { readFileSync } from 'node:fs';
import { createNode, readKernelReceiveDrops } from '@vig/node-udp';
import type { NodeOptions } from '@vig/node-udp';
import type { HostReply, HostRequest } from './fuzz-host-protocol.js';

/** The process's peak resident set (VmHWM), in bytes; undefined off Linux. */
function peakResidentBytes(): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    return match === null ? undefined : Number(match[1]) * 1024;
  } catch {
    return undefined;
  }
}

const send = (reply: HostReply): void => {
  process.send?.(reply);
};

const options = JSON.parse(process.argv[2] ?? '{}') as Partial<NodeOptions>;
const node = await createNode({
  bind: '127.0.0.1:0',
  memory: true,
  onWarning: () => {},
  ...options,
});
node.start();
send({ type: 'ready', address: node.address });

process.on('message', (request: HostRequest) => {
  if (request.type === 'metrics') {
    const memory = process.memoryUsage();
    send({
      type: 'metrics',
      metrics: JSON.parse(JSON.stringify(node.metrics())) as Record<string, unknown>,
      kernelDrops: readKernelReceiveDrops(node.address) ?? 0,
      residentBytes: memory.rss,
      heapUsedBytes: memory.heapUsed,
      peakResidentBytes: peakResidentBytes() ?? memory.rss,
    });
  } else if (request.type === 'stop') {
    void node.stop().finally(() => process.exit(0));
  }
});
// The parent gone means the run is over.
process.on('disconnect', () => void node.stop().finally(() => process.exit(0)));
