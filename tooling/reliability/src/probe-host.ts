/**
 * The probe host: a small program run inside a network namespace (`ip netns
 * exec NAME node --import tsx probe-host.ts BIND TIMEOUT`), where the
 * scenario's own process cannot reach the nodes. It serves the requests of
 * probe-protocol.ts with a local probe bound to BIND's host, and exits when
 * its stdin closes.
 */
import { createInterface } from 'node:readline';
import { createLocalProbe } from './cluster-probe.js';
import { PROBE_READY } from './probe-protocol.js';
import type { ProbeRequest, ProbeResponse } from './probe-protocol.js';

const [bind = '127.0.0.1:0', timeout = '1000'] = process.argv.slice(2);
const probe = createLocalProbe({ bind, timeout: Number(timeout) });

/** Runs one request against the probe. */
async function serve(request: ProbeRequest): Promise<unknown> {
  switch (request.op) {
    case 'put':
      await probe.put(request.node, request.key, request.entries);
      return null;
    case 'get':
      return probe.get(request.node, request.key);
    case 'search':
      return [...(await probe.search(request.node, request.pattern))];
    case 'members':
      return probe.members(request.node);
  }
}

/** Answers one line; a line that is not a request is answered with an error under id -1. */
async function answer(line: string): Promise<ProbeResponse> {
  let request: ProbeRequest;
  try {
    request = JSON.parse(line) as ProbeRequest;
  } catch {
    return { id: -1, ok: false, error: `not a request: ${line.slice(0, 80)}` };
  }
  try {
    return { id: request.id, ok: true, result: await serve(request) };
  } catch (error) {
    return {
      id: request.id,
      ok: false,
      error: error instanceof Error ? error.message : String(error),
    };
  }
}

const lines = createInterface({ input: process.stdin });
lines.on('line', (line) => {
  void answer(line).then((response) => process.stdout.write(`${JSON.stringify(response)}\n`));
});
lines.on('close', () => {
  void probe.close().then(() => process.exit(0));
});
process.stdout.write(`${PROBE_READY}\n`);
