/**
 * Cluster keys through real `vig` processes on loopback: `vig keygen`, a
 * keyed two-node cluster and its clients (by flag and by environment), the
 * one-line failures (a client without the key, protected mode, a key file
 * others may read), and key rotation by SIGHUP with no restart.
 */
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newClusterKey } from '@vig/node-udp';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Command } from 'commander';
import { VIG_SUBCOMMANDS } from '../test/vig-commands.js';
import { killAll, startVig } from '../test/vig-process.js';
import type { VigProcess } from '../test/vig-process.js';
import { client, failure, grown, serve, serveTwo } from '../test/vig-serve.js';
import type { ServedVig } from '../test/vig-serve.js';
import { clusterKeyIdOf } from './cluster-key-id.js';
import { createProgram } from './create-program.js';

/** One cluster key as a key file's line holds it: 44 characters of base64. */
const KEY_LINE = /^[A-Za-z0-9+/]{43}=\n$/;

let folder = '';

beforeEach(async () => {
  folder = await mkdtemp(join(tmpdir(), 'vig-cluster-keys-'));
});

afterEach(async () => {
  await killAll();
  await rm(folder, { recursive: true, force: true });
});

/** Writes the key file `name` in the test's folder holding `keys`, primary first (mode 0600); returns its path. */
async function keyFile(name: string, keys: readonly string[]): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, `${keys.join('\n')}\n`, { mode: 0o600 });
  return path;
}

/** A file's permission bits. */
async function modeOf(path: string): Promise<number> {
  return (await stat(path)).mode & 0o777;
}

/** Expects that no line `vig` printed holds any of `keys`. */
function expectNoKeyMaterial(vig: VigProcess, keys: readonly string[]): void {
  for (const key of keys) {
    expect(vig.stdout).not.toContain(key);
    expect(vig.stderr).not.toContain(key);
  }
}

describe('vig keygen', () => {
  it('prints a new key as one line of base64', async () => {
    const [first, second] = await Promise.all([client(['keygen']), client(['keygen'])]);
    expect(first).toMatch(KEY_LINE);
    expect(second).toMatch(KEY_LINE);
    expect(first).not.toBe(second);
  });

  it('writes a new key file with mode 0600, and refuses to overwrite it without --force', async () => {
    const path = join(folder, 'cluster.key');
    const wrote = await client(['keygen', path]);
    const text = await readFile(path, 'utf8');
    expect(text).toMatch(KEY_LINE);
    expect(await modeOf(path)).toBe(0o600);
    expect(wrote).toBe(
      `wrote a new cluster key to ${path} (key id ${clusterKeyIdOf(text.trim())})\n`,
    );

    await failure(['keygen', path], 1, /key file .*cluster\.key already exists: .*--force/);
    expect(await readFile(path, 'utf8')).toBe(text);

    await chmod(path, 0o644);
    await client(['keygen', path, '--force']);
    const replaced = await readFile(path, 'utf8');
    expect(replaced).toMatch(KEY_LINE);
    expect(replaced).not.toBe(text);
    expect(await modeOf(path)).toBe(0o600);
  });

  it('fails in one line when the folder does not exist', async () => {
    await failure(
      ['keygen', join(folder, 'missing', 'cluster.key')],
      1,
      /could not write key file/,
    );
  });

  it('explains the key file format and points to the rotation procedure', async () => {
    const help = (await client(['keygen', '--help'])).replace(/\s+/g, ' ');
    expect(help).toContain('one key per line: the first is the primary key');
    expect(help).toContain('# comments');
    expect(help).toContain('docs/security.md');
  });
});

describe('a keyed cluster', () => {
  it('converges, answers clients with the key (flag or VIG_KEY_FILE), and no others', async () => {
    const key = newClusterKey();
    const path = await keyFile('cluster.key', [key]);
    const keyed = ['--key-file', path];
    const [first, second] = await serveTwo(['127.0.0.21', '127.0.0.22'], () => [
      ...keyed,
      '--log-level',
      'debug',
    ]);
    for (const { vig } of [first, second]) {
      expect(vig.logs().find((line) => line.msg === 'started')).toMatchObject({
        sealed: true,
        keyFile: path,
        label: 'vig',
        keyIds: [clusterKeyIdOf(key)],
      });
    }

    await client(['put', 'visits', '0=5', '3=7', '--node', first.address, ...keyed]);
    await grown(second.vig, 'visits');
    expect(await client(['get', 'visits', '--json', '--node', second.address, ...keyed])).toBe(
      '{"key":"visits","vector":{"0":5,"3":7}}\n',
    );
    expect(await client(['get', 'visits', '--node', first.address], { VIG_KEY_FILE: path })).toBe(
      'visits  0=5 3=7\n',
    );

    await failure(
      ['get', 'visits', '--node', second.address, '--timeout', '300'],
      1,
      /^vig: no node answered within 300 ms \(tried 127\.0\.0\.22:\d+\): .*--key-file FILE/,
    );
    for (const { vig } of [first, second]) expectNoKeyMaterial(vig, [key]);
  });

  it('keeps apart clusters with different labels under one key', async () => {
    const path = await keyFile('cluster.key', [newClusterKey()]);
    const { address } = await serve('127.0.0.23', [], ['--key-file', path, '--label', 'prod']);
    const node = ['--node', address, '--key-file', path];
    await client(['put', 'labelled', '0=1', ...node], { VIG_LABEL: 'prod' });
    await failure(
      ['get', 'labelled', ...node, '--label', 'staging', '--timeout', '300'],
      1,
      /no node answered .*--key-file and --label/,
    );
  });
});

describe('refusals', () => {
  it('refuses to serve beyond loopback without a key, saying why and what to do', async () => {
    await failure(
      ['serve', '--bind', '0.0.0.0:0', '--memory'],
      1,
      /^vig: refusing to start a node on 0\.0\.0\.0:0 without a cluster key: .*not a loopback address.*--key-file FILE.*--insecure/,
    );
  });

  it('serves beyond loopback without a key given --insecure, with a warning', async () => {
    const vig = startVig(['serve', '--bind', '0.0.0.0:0', '--memory', '--local', '--insecure']);
    const started = await vig.waitForLog((line) => line.msg === 'started', 'started');
    expect(started).toMatchObject({ sealed: false, insecure: true });
    await vig.waitForLog(
      (line) => line.msg === 'warning' && String(line.warning).includes('protected mode is off'),
      'the protected-mode warning',
    );
    vig.kill('SIGTERM');
    expect(await vig.exited).toEqual({ code: 0, signal: null });
  });

  it('refuses a key file its group or others may read, naming the chmod to run', async () => {
    const path = await keyFile('open.key', [newClusterKey()]);
    await chmod(path, 0o644);
    const chmodHint = /mode 0644\): .*run: chmod 600 /;
    await failure(
      ['serve', '--bind', '127.0.0.25:0', '--memory', '--key-file', path],
      1,
      chmodHint,
    );
    await failure(['get', 'k', '--node', '127.0.0.25:7946', '--key-file', path], 1, chmodHint);
  });

  it('refuses --label without a key file, and --insecure with one, as bad usage', async () => {
    await failure(['serve', '--label', 'prod'], 2, /--label is given without --key-file/);
    await failure(['get', 'k'], 2, /--label \(or VIG_LABEL\) is given without/, {
      VIG_LABEL: 'prod',
    });
    await failure(
      ['serve', '--insecure', '--key-file', 'cluster.key'],
      2,
      /'--insecure' cannot be used with option '--key-file/,
    );
  });
});

describe('key rotation by SIGHUP', () => {
  /** Rewrites every node's key file to `keys`, sends SIGHUP, and waits until each logged the new key ids. */
  async function rotate(
    nodes: readonly ServedVig[],
    files: readonly string[],
    keys: readonly string[],
  ): Promise<void> {
    await Promise.all(files.map((path) => writeFile(path, `${keys.join('\n')}\n`)));
    const keyIds = keys.map(clusterKeyIdOf);
    await Promise.all(
      nodes.map(({ vig }) => {
        const reloaded = vig.waitForLog(
          (line) =>
            line.msg === 'keys-reloaded' && JSON.stringify(line.keyIds) === JSON.stringify(keyIds),
          `keys-reloaded with ${keyIds.join(', ')}`,
        );
        vig.kill('SIGHUP');
        return reloaded;
      }),
    );
  }

  /** Writes a key through each node with `keyed` and reads it back through the other. */
  async function writeAndReadThroughBoth(
    [first, second]: readonly [ServedVig, ServedVig],
    step: string,
    keyed: readonly string[],
  ): Promise<void> {
    const [one, two] = [`${step}:1`, `${step}:2`];
    await Promise.all([
      client(['put', one, '0=1', '--node', first.address, ...keyed]),
      client(['put', two, '0=2', '--node', second.address, ...keyed]),
    ]);
    await Promise.all([grown(second.vig, one), grown(first.vig, two)]);
    expect(
      await Promise.all([
        client(['get', one, '--node', second.address, ...keyed]),
        client(['get', two, '--node', first.address, ...keyed]),
      ]),
    ).toEqual([`${one}  0=1\n`, `${two}  0=2\n`]);
  }

  it('moves two nodes from key A to key B with no restart, a client with B served after each step', async () => {
    const [keyA, keyB] = [newClusterKey(), newClusterKey()];
    const files = await Promise.all([keyFile('node-1.key', [keyA]), keyFile('node-2.key', [keyA])]);
    const withA = ['--key-file', await keyFile('client-a.key', [keyA])];
    const withB = ['--key-file', await keyFile('client-b.key', [keyB])];
    const nodes = await serveTwo(['127.0.0.26', '127.0.0.27'], (index) => [
      '--key-file',
      files[index] ?? '',
      '--log-level',
      'debug',
    ]);
    await writeAndReadThroughBoth(nodes, 'before', withA);

    await rotate(nodes, files, [keyB, keyA]);
    await writeAndReadThroughBoth(nodes, 'b-primary', withB);

    await rotate(nodes, files, [keyB]);
    await writeAndReadThroughBoth(nodes, 'a-dropped', withB);
    await failure(
      ['get', 'a-dropped:1', '--node', nodes[0].address, '--timeout', '300', ...withA],
      1,
      /no node answered/,
    );

    // A reload that fails is logged, and the node keeps the keys it had.
    const [first] = nodes;
    await chmod(files[0] ?? '', 0o644);
    const failed = first.vig.waitForLog(
      (line) => line.msg === 'keys-reload-failed',
      'keys-reload-failed',
    );
    first.vig.kill('SIGHUP');
    expect(await failed).toMatchObject({
      level: 50,
      keyIds: [clusterKeyIdOf(keyB)],
      error: expect.stringMatching(/chmod 600/) as unknown,
    });
    expect(await client(['get', 'a-dropped:2', '--node', first.address, ...withB])).toBe(
      'a-dropped:2  0=2\n',
    );
    for (const { vig } of nodes) expectNoKeyMaterial(vig, [keyA, keyB]);
  }, 90_000);
});

describe('client commands', () => {
  /** Every command below `command` that has no subcommands, with its path. */
  function leaves(command: Command, path: string[] = []): [string, Command][] {
    if (command.commands.length === 0) return [[path.join(' '), command]];
    return command.commands.flatMap((child) => leaves(child, [...path, child.name()]));
  }

  it('each take --key-file and --label, or VIG_KEY_FILE and VIG_LABEL', () => {
    const io = { write: () => {}, isTTY: false };
    const commands = leaves(createProgram({ stdout: io, stderr: io })).filter(
      ([name]) => !['serve', 'keygen', 'demo'].includes(name),
    );
    expect(commands.map(([name]) => name)).toEqual([
      'put',
      'get',
      'search',
      'agg',
      'members',
      ...VIG_SUBCOMMANDS,
    ]);
    for (const [, command] of commands) {
      const variableOf = (long: string): string | undefined =>
        command.options.find((option) => option.long === long)?.envVar;
      expect([variableOf('--key-file'), variableOf('--label')]).toEqual([
        'VIG_KEY_FILE',
        'VIG_LABEL',
      ]);
    }
  });
});
