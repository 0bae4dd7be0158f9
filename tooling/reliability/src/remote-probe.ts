/**
 * A {@link ClusterProbe} whose clients run in a probe host (probe-host.ts)
 * started inside a wrapper, `ip netns exec NAME`: the way to reach nodes in
 * a network namespace from a scenario running outside it.
 */
import type { ClusterProbe, ProbedMember, VectorRecord } from './cluster-probe.js';
import { startProcess } from './managed-process.js';
import type { ManagedProcess } from './managed-process.js';
import { PROBE_READY } from './probe-protocol.js';
import type { ProbeRequest, ProbeResponse } from './probe-protocol.js';
import { packageFolder, probeHostScript } from './repository-paths.js';

/** Options of {@link startRemoteProbe}. */
export interface RemoteProbeOptions {
  /** The command the host runs inside: `['ip', 'netns', 'exec', NAME]`. */
  readonly wrapper: readonly string[];
  /** The host's client address, `host:port` (port 0: any). */
  readonly bind: string;
  /** Ms each request waits for its node inside the host; default 1000. */
  readonly timeout?: number;
}

/** The most ms the host may take to start. */
const HOST_STARTUP_TIMEOUT = 60_000;

/** A pending request: how to settle it. */
interface Pending {
  readonly resolve: (result: unknown) => void;
  readonly reject: (error: Error) => void;
  readonly timer: NodeJS.Timeout;
}

/** Starts a probe host inside `options.wrapper` and resolves once it is ready. */
export async function startRemoteProbe(options: RemoteProbeOptions): Promise<ClusterProbe> {
  const timeout = options.timeout ?? 1_000;
  const [command = process.execPath, ...wrapperArgs] = options.wrapper;
  const host = startProcess({
    command,
    args: [
      ...wrapperArgs,
      process.execPath,
      '--import',
      'tsx',
      '--conditions=@vig/source',
      probeHostScript,
      options.bind,
      String(timeout),
    ],
    cwd: packageFolder,
    keepLines: false,
  });
  const pending = new Map<number, Pending>();
  let ready: () => void = () => undefined;
  const readyLine = new Promise<void>((resolve) => (ready = resolve));
  host.onLine((line) => {
    if (line === PROBE_READY) ready();
    else settle(pending, line);
  });
  const exited = host.exited.then((exit) => {
    throw new Error(
      `the probe host exited (${JSON.stringify(exit)}): ${host.stderr.slice(0, 500)}`,
    );
  });
  try {
    await Promise.race([readyLine, exited, rejectAfter(HOST_STARTUP_TIMEOUT, 'probe host start')]);
  } catch (error) {
    host.kill('SIGKILL');
    throw error;
  }
  exited.catch((error: unknown) => {
    for (const [id, request] of pending) {
      clearTimeout(request.timer);
      pending.delete(id);
      request.reject(error as Error);
    }
  });
  return remoteProbe(host, pending, timeout);
}

function remoteProbe(
  host: ManagedProcess,
  pending: Map<number, Pending>,
  timeout: number,
): ClusterProbe {
  let nextId = 0;
  /** Sends one request; the host answers within its clients' bounds, this one is a backstop. */
  const request = (body: DistributiveOmit<ProbeRequest, 'id'>): Promise<unknown> => {
    const id = nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => {
          pending.delete(id);
          reject(new Error(`the probe host did not answer request ${id} (${body.op})`));
        },
        8 * timeout + 5_000,
      );
      pending.set(id, { resolve, reject, timer });
      host.send(JSON.stringify({ ...body, id }));
    });
  };
  return {
    async put(node, key, entries) {
      await request({ op: 'put', node, key, entries });
    },
    async get(node, key) {
      return (await request({ op: 'get', node, key })) as VectorRecord;
    },
    async search(node, pattern) {
      return new Map((await request({ op: 'search', node, pattern })) as [string, VectorRecord][]);
    },
    async members(node) {
      return (await request({ op: 'members', node })) as ProbedMember[];
    },
    async close() {
      host.endInput();
      await host.stop(3_000);
    },
  };
}

/** Settles the request a response line answers; other lines are ignored. */
function settle(pending: Map<number, Pending>, line: string): void {
  let response: ProbeResponse;
  try {
    response = JSON.parse(line) as ProbeResponse;
  } catch {
    return;
  }
  const request = pending.get(response.id);
  if (request === undefined) return;
  pending.delete(response.id);
  clearTimeout(request.timer);
  if (response.ok) request.resolve(response.result);
  else request.reject(new Error(response.error));
}

function rejectAfter(milliseconds: number, what: string): Promise<never> {
  return new Promise((_, reject) => {
    setTimeout(
      () => reject(new Error(`${what} took over ${milliseconds} ms`)),
      milliseconds,
    ).unref();
  });
}

/** `Omit` applied to each member of a union. */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
