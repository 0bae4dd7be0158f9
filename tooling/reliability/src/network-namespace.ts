/**
 * Network namespaces for real-UDP faults: a namespace of our own (`ip netns
 * add vig-rel-PID-N`, loopback up) where nodes run on 127.x addresses that
 * nothing outside can reach, and nftables rules inside it that lose or block
 * datagrams. Loss is applied to the packets themselves, so no peer can go
 * around it (a node's peer key names its real address). `tc netem` is not
 * needed: many kernels (this VM's included) lack it, while nftables'
 * `numgen random` loses datagrams just as well.
 */
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { promisify } from 'node:util';
import { onEmergencyExit } from './emergency-cleanup.js';
import { PROBE_HOST, lossRules } from './nft-rules.js';

const run = promisify(execFile);

/** `ip` and `nft`: found on PATH or in the sbin folders, which a user's PATH may lack. */
const IP = locateTool('ip');
const NFT = locateTool('nft');

/** The most ms one `ip` or `nft` command may take. */
const COMMAND_TIMEOUT = 15_000;

/** Whether namespaces with nftables work here, and if not, why. */
export type NamespaceSupport =
  { readonly available: true } | { readonly available: false; readonly reason: string };

/** A namespace of our own; {@link NetworkNamespace.remove} deletes it. */
export interface NetworkNamespace {
  /** Its name: `vig-rel-PID-N`. */
  readonly name: string;
  /** The command that runs a program inside it: `['/usr/sbin/ip', 'netns', 'exec', name]`. */
  readonly wrapper: readonly string[];
  /** Loads an nftables ruleset (the text of `nft -f`) inside it. */
  applyRules(ruleset: string): Promise<void>;
  /** Deletes the nftables table `inet NAME` inside it. */
  deleteTable(table: string): Promise<void>;
  /** The packet counts of the named counters of table `inet NAME`. */
  counters(table: string): Promise<Map<string, number>>;
  /** Deletes the namespace (after killing anything still inside); harmless twice. */
  remove(): Promise<void>;
}

let namespaces = 0;
let support: Promise<NamespaceSupport> | undefined;

/**
 * Checks once per process that a namespace can be made and that nftables
 * can lose datagrams in it at random (root, `ip`, `nft`, the kernel's
 * nf_tables with numgen); the reason when not, for a loud skip.
 */
export function namespaceSupport(): Promise<NamespaceSupport> {
  support ??= probeSupport();
  return support;
}

async function probeSupport(): Promise<NamespaceSupport> {
  if (process.platform !== 'linux') {
    return {
      available: false,
      reason: `network namespaces need Linux (this is ${process.platform})`,
    };
  }
  if (process.getuid?.() !== 0) {
    return { available: false, reason: `network namespaces need root (uid ${process.getuid?.()})` };
  }
  for (const [tool, path, install] of [
    ['ip', IP, 'iproute2'],
    ['nft', NFT, 'nftables'],
  ] as const) {
    try {
      await run(path, ['-V'], { timeout: COMMAND_TIMEOUT });
    } catch {
      return {
        available: false,
        reason: `\`${tool}\` is not installed (apt-get install ${install})`,
      };
    }
  }
  let namespace: NetworkNamespace | undefined;
  try {
    namespace = await createNamespace();
    await namespace.applyRules(lossRules(0.3, PROBE_HOST));
    return { available: true };
  } catch (error) {
    return {
      available: false,
      reason: `a namespace with nftables rules failed: ${message(error)}`,
    };
  } finally {
    await namespace?.remove();
  }
}

/** Makes a namespace with loopback up; it is deleted at exit if {@link NetworkNamespace.remove} was not called. */
export async function createNamespace(): Promise<NetworkNamespace> {
  const name = `vig-rel-${process.pid}-${namespaces++}`;
  await run(IP, ['netns', 'add', name], { timeout: COMMAND_TIMEOUT });
  const unregister = onEmergencyExit(() => removeNow(name));
  let removed: Promise<void> | undefined;
  const inside = (command: string, args: readonly string[]) =>
    run(IP, ['netns', 'exec', name, command, ...args], { timeout: COMMAND_TIMEOUT });
  const namespace: NetworkNamespace = {
    name,
    wrapper: [IP, 'netns', 'exec', name],
    async applyRules(ruleset) {
      const child = execFile(IP, ['netns', 'exec', name, NFT, '-f', '-'], {
        timeout: COMMAND_TIMEOUT,
      });
      const done = new Promise<void>((resolve, reject) => {
        let stderr = '';
        child.stderr?.on('data', (chunk: Buffer | string) => (stderr += String(chunk)));
        child.on('error', reject);
        child.on('close', (code) =>
          code === 0 ? resolve() : reject(new Error(`nft -f failed (${code}): ${stderr.trim()}`)),
        );
      });
      child.stdin?.end(ruleset);
      await done;
    },
    async deleteTable(table) {
      await inside(NFT, ['delete', 'table', 'inet', table]);
    },
    async counters(table) {
      const { stdout } = await inside(NFT, ['-j', 'list', 'counters', 'table', 'inet', table]);
      return parseCounters(stdout);
    },
    remove() {
      removed ??= (async () => {
        unregister();
        await removeAsync(name);
      })();
      return removed;
    },
  };
  try {
    await inside(IP, ['link', 'set', 'lo', 'up']);
  } catch (error) {
    await namespace.remove();
    throw error;
  }
  return namespace;
}

/**
 * Deletes namespaces left by runs of this tool that died before cleaning up
 * (`vig-rel-PID-N` whose PID no longer runs), killing what still runs in
 * them first. Returns their names.
 */
export async function removeStaleNamespaces(): Promise<string[]> {
  if ((await namespaceSupport()).available === false) return [];
  const { stdout } = await run(IP, ['netns', 'list'], { timeout: COMMAND_TIMEOUT });
  const stale = stdout
    .split('\n')
    .map((line) => line.split(' ')[0] ?? '')
    .filter((name) => {
      const owner = /^vig-rel-(\d+)-\d+$/.exec(name)?.[1];
      return owner !== undefined && !isRunning(Number(owner));
    });
  for (const name of stale) await removeAsync(name);
  return stale;
}

async function removeAsync(name: string): Promise<void> {
  try {
    const { stdout } = await run(IP, ['netns', 'pids', name], { timeout: COMMAND_TIMEOUT });
    for (const pid of stdout.split(/\s+/).filter(Boolean)) killQuietly(Number(pid));
    await run(IP, ['netns', 'delete', name], { timeout: COMMAND_TIMEOUT });
  } catch {
    removeNow(name);
  }
}

/** The synchronous removal, for exit handlers. */
function removeNow(name: string): void {
  try {
    const pids = execFileSync(IP, ['netns', 'pids', name], { timeout: COMMAND_TIMEOUT });
    for (const pid of String(pids).split(/\s+/).filter(Boolean)) killQuietly(Number(pid));
    execFileSync(IP, ['netns', 'delete', name], { timeout: COMMAND_TIMEOUT, stdio: 'ignore' });
  } catch {
    // Already gone, or not ours to delete: nothing more to do.
  }
}

function parseCounters(json: string): Map<string, number> {
  const counts = new Map<string, number>();
  const parsed = JSON.parse(json) as {
    nftables?: { counter?: { name?: string; packets?: number } }[];
  };
  for (const item of parsed.nftables ?? []) {
    if (item.counter?.name !== undefined) counts.set(item.counter.name, item.counter.packets ?? 0);
  }
  return counts;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // Gone already.
  }
}

function message(error: unknown): string {
  return error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error);
}

/** `name`'s absolute path, from PATH or the sbin folders; the bare name when not found. */
function locateTool(name: string): string {
  const folders = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/sbin'];
  return folders.map((folder) => join(folder, name)).find((path) => existsSync(path)) ?? name;
}
