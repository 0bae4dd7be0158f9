/**
 * Real nodes: `vig serve --local` processes (apps/cli/bin/vig.js, from
 * source), or keyed nodes (keyed-node-host.ts: `createNode` with a cluster
 * key, in a process of its own), optionally inside a wrapper such as `ip netns exec NAME`, with their
 * JSON log lines read back.
 */
import { within } from './bounded-wait.js';
import { startProcess } from './managed-process.js';
import type { ManagedProcess } from './managed-process.js';
import { keyedNodeHostScript, packageFolder, vigLauncher } from './repository-paths.js';

/** One node to start. */
export interface ServeSpec {
  /** Where it listens, `host:port`; also its peer key and the address clients use. */
  readonly address: string;
  /** Nodes it joins through. */
  readonly seeds?: readonly string[];
  /** Its LMDB store's folder (`--data`); without it, `--memory`. */
  readonly dataDir?: string;
  /** A command to run it inside, such as `['ip', 'netns', 'exec', 'vig-rel-1']`. */
  readonly wrapper?: readonly string[];
  /** Variables added to its environment (libfaketime's, for one). */
  readonly env?: NodeJS.ProcessEnv;
  /** A cluster key and label: run keyed-node-host.ts (memory store, loopback timings) instead. */
  readonly keyed?: { readonly key: string; readonly label: string };
}

/** A node that has logged `started`. */
export interface ServedNode {
  readonly address: string;
  readonly process: ManagedProcess;
  /** Ms from spawning the process to its `started` line. */
  readonly startupMilliseconds: number;
  /** Keys (peer keys aside) its store held at start, from the `started` line. */
  readonly storedKeys: number;
}

/** One JSON log line of `vig serve`, as far as the scenarios read it. */
interface LogLine {
  readonly msg?: unknown;
  readonly keys?: unknown;
  /** A keyed node host's `security` line. */
  readonly security?: { readonly droppedByReason?: Readonly<Record<string, number>> };
}

/** The most ms a node may take to start (tsx compiles the CLI on the way). */
const STARTUP_TIMEOUT = 60_000;

/** Starts `vig serve --local` for `spec` and waits (bounded) for its `started` line. */
export async function serveNode(spec: ServeSpec): Promise<ServedNode> {
  const serveArgs = spec.keyed === undefined ? vigServeArguments(spec) : keyedHostArguments(spec);
  const env = {
    ...spec.env,
    ...(spec.keyed === undefined
      ? {}
      : { VIG_RELIABILITY_KEY: spec.keyed.key, VIG_RELIABILITY_LABEL: spec.keyed.label }),
  };
  const [command, ...wrapperArgs] = spec.wrapper ?? [];
  const started = performance.now();
  const child = startProcess({
    command: command ?? process.execPath,
    args: command === undefined ? serveArgs : [...wrapperArgs, process.execPath, ...serveArgs],
    env,
    cwd: packageFolder,
  });
  try {
    const line = await child.waitForLine(
      (text) => parseLog(text)?.msg === 'started',
      `a started line from ${spec.address}`,
      STARTUP_TIMEOUT,
    );
    const keys = parseLog(line)?.keys;
    return {
      address: spec.address,
      process: child,
      startupMilliseconds: performance.now() - started,
      storedKeys: typeof keys === 'number' ? keys : -1,
    };
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
}

/** `vig serve --local …` for `spec`, after `node`. */
function vigServeArguments(spec: ServeSpec): string[] {
  return [
    vigLauncher,
    'serve',
    '--local',
    '--bind',
    spec.address,
    ...(spec.dataDir === undefined ? ['--memory'] : ['--data', spec.dataDir]),
    ...(spec.seeds ?? []).flatMap((seed) => ['--join', seed]),
  ];
}

/** The keyed node host for `spec`, after `node` (run in this package's folder, where tsx resolves). */
function keyedHostArguments(spec: ServeSpec): string[] {
  return [
    '--import',
    'tsx',
    '--conditions=@vig/source',
    keyedNodeHostScript,
    spec.address,
    ...(spec.seeds ?? []),
  ];
}

/** Starts every node of `specs` at once and waits for all; kills those started if one fails. */
export async function serveNodes(specs: readonly ServeSpec[]): Promise<ServedNode[]> {
  const outcomes = await Promise.allSettled(specs.map(serveNode));
  const failed = outcomes.find((outcome) => outcome.status === 'rejected');
  if (failed === undefined) {
    return outcomes.map((outcome) => (outcome as PromiseFulfilledResult<ServedNode>).value);
  }
  for (const outcome of outcomes) {
    if (outcome.status === 'fulfilled') outcome.value.process.kill('SIGKILL');
  }
  throw failed.reason;
}

/** SIGKILLs every node of `nodes` still running and waits (bounded) for each to end. */
export async function killNodes(nodes: readonly ServedNode[]): Promise<void> {
  for (const node of nodes) node.process.kill('SIGKILL');
  await within(Promise.all(nodes.map((node) => node.process.exited)), 10_000);
}

/** The datagrams a keyed node's sealed transport dropped, by reason, from its latest `security` line. */
export function securityDrops(node: ServedNode): Readonly<Record<string, number>> {
  for (let index = node.process.lines.length - 1; index >= 0; index--) {
    const line = parseLog(node.process.lines[index] ?? '');
    if (line?.msg === 'security') return line.security?.droppedByReason ?? {};
  }
  return {};
}

/** How many `member-down` lines (a peer judged dead or left) `node` has logged. */
export function memberDownLines(node: ServedNode): number {
  return node.process.lines.filter((text) => parseLog(text)?.msg === 'member-down').length;
}

/** The largest peak resident memory among `nodes` still running, in bytes, or undefined. */
export function largestPeakResident(nodes: readonly ServedNode[]): number | undefined {
  const peaks = nodes
    .map((node) => node.process.peakResidentBytes())
    .filter((bytes): bytes is number => bytes !== undefined);
  return peaks.length === 0 ? undefined : Math.max(...peaks);
}

function parseLog(text: string): LogLine | undefined {
  if (!text.startsWith('{')) return undefined;
  try {
    return JSON.parse(text) as LogLine;
  } catch {
    return undefined;
  }
}
