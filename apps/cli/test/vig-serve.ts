/**
 * Test helpers for the client commands: real `vig serve --memory --local`
 * nodes on loopback, and client runs expected to succeed.
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { freePort, killAll, runVig, startVig } from './vig-process.js';
import type { LogLine, VigProcess } from './vig-process.js';

/** A running node and its address. */
export interface ServedVig {
  readonly vig: VigProcess;
  readonly address: string;
}

/**
 * Starts `vig serve --memory --local` on `host` (joining `join`, with the
 * further options `extra`) and waits for its `started` line.
 */
export async function serve(
  host: string,
  join: string[] = [],
  extra: readonly string[] = [],
): Promise<ServedVig> {
  const address = `${host}:${await freePort(host)}`;
  const vig = startVig([
    'serve',
    '--bind',
    address,
    '--memory',
    '--local',
    ...join.flatMap((seed) => ['--join', seed]),
    ...extra,
  ]);
  await vig.waitForLog((line) => line.msg === 'started', 'started');
  return { vig, address };
}

/**
 * Starts two nodes on `hosts`, the second joining the first, each with the
 * further options `extra(index)`, and waits until each sees the other.
 */
export async function serveTwo(
  hosts: [string, string],
  extra: (index: number) => readonly string[] = () => [],
): Promise<[ServedVig, ServedVig]> {
  const first = await serve(hosts[0], [], extra(0));
  const second = await serve(hosts[1], [first.address], extra(1));
  await Promise.all([
    first.vig.waitForLog(
      (line) => line.msg === 'member-up' && line.address === second.address,
      'member-up',
    ),
    second.vig.waitForLog(
      (line) => line.msg === 'member-up' && line.address === first.address,
      'member-up',
    ),
  ]);
  return [first, second];
}

/** Waits until `vig` (served with `--log-level debug`) has logged that `key` grew. */
export function grown(vig: VigProcess, key: string): Promise<LogLine> {
  return vig.waitForLog((line) => line.msg === 'change' && line.key === key, `a change of ${key}`);
}

/** Runs a client command and expects exit 0 with nothing on stderr; returns stdout. */
export async function client(args: string[], env?: NodeJS.ProcessEnv): Promise<string> {
  const run = await runVig(args, env);
  expect(run.stderr).toBe('');
  expect(run.code).toBe(0);
  return run.stdout;
}

/** Runs `vig ARGS…` and expects it to fail with `code` and one line on stderr matching `message`. */
export async function failure(
  args: string[],
  code: number,
  message: RegExp,
  env?: NodeJS.ProcessEnv,
): Promise<void> {
  const run = await runVig(args, env);
  expect(run.stdout).toBe('');
  expect(run.stderr).toMatch(/^vig: [^\n]+\n$/);
  expect(run.stderr).toMatch(message);
  expect(run.code).toBe(code);
}

/**
 * One node for a test file: started on `host` before its tests (`beforeAll`)
 * and killed after them. Returns `['--node', ADDRESS]`, filled in once the
 * node has started, to spread into client commands.
 */
export function sharedNode(host: string): string[] {
  const node: string[] = [];
  beforeAll(async () => {
    const { address } = await serve(host);
    node.push('--node', address);
  });
  afterAll(killAll);
  return node;
}
