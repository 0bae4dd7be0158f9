import { access, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '@vig/gossip';
import { generateClusterKey } from '@vig/wire';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeEnvelopeCrypto } from './node-envelope-crypto.js';
import { isLoopbackAddress } from './protected-mode.js';
import { ProtectedModeError } from './security-errors.js';
import { createNode } from './vig-node.js';
import type { NodeOptions, VigNode } from './vig-node.js';
import { rejectionOf } from '../test/rejection-of.js';

const nodes: VigNode[] = [];
const directories: string[] = [];

afterEach(async () => {
  await Promise.all(nodes.splice(0).map((node) => node.stop()));
  await Promise.all(
    directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
  );
});

async function openNode(options: NodeOptions): Promise<VigNode> {
  const node = await createNode({
    membership: LOCAL_MEMBERSHIP,
    gossip: LOCAL_GOSSIP,
    onWarning: () => undefined,
    ...options,
  });
  nodes.push(node);
  return node;
}

describe('protected mode', () => {
  it('knows loopback: 127.0.0.0/8 and ::1, in any spelling', () => {
    for (const host of ['127.0.0.1', '127.255.3.4', '::1', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.9']) {
      expect(isLoopbackAddress(host), host).toBe(true);
    }
    for (const host of [
      '0.0.0.0',
      '::',
      '10.0.0.1',
      '128.0.0.1',
      '::ffff:10.0.0.1',
      'localhost',
      'fe80::1',
    ]) {
      expect(isLoopbackAddress(host), host).toBe(false);
    }
  });

  it('refuses a node on 0.0.0.0 without a key, saying why and how, before opening anything', async () => {
    const parent = await mkdtemp(join(tmpdir(), 'vig-protected-'));
    directories.push(parent);
    const dataDir = join(parent, 'data');
    const error = await rejectionOf(() => openNode({ bind: '0.0.0.0:0', dataDir }));
    expect(error).toBeInstanceOf(ProtectedModeError);
    if (!(error instanceof ProtectedModeError)) return;
    expect(error.bind).toBe('0.0.0.0:0');
    expect(error.host).toBe('0.0.0.0');
    expect(error.message).toMatch(
      /^refusing to start a node on 0\.0\.0\.0:0 without a cluster key/,
    );
    expect(error.message).toMatch(
      /write any key, join the cluster and use the node to reflect traffic/,
    );
    expect(error.message).toMatch(/key or keyFile option.*loopback.*insecure: true/);
    await expect(access(dataDir)).rejects.toThrow(/ENOENT/);
    const ipv6 = await rejectionOf(() => openNode({ bind: '[::]:0', memory: true }));
    expect(ipv6).toBeInstanceOf(ProtectedModeError);
  });

  it('starts on 0.0.0.0 with insecure: true, or with a key; on loopback with neither', async () => {
    const insecure = await openNode({ bind: '0.0.0.0:0', memory: true, insecure: true });
    expect(insecure.address).toMatch(/^0\.0\.0\.0:\d+$/);
    expect(insecure.metrics().security).toEqual({ sealed: false });
    const key = generateClusterKey(nodeEnvelopeCrypto);
    const keyed = await openNode({ bind: '0.0.0.0:0', memory: true, key: { primary: key } });
    expect(keyed.metrics().security).toMatchObject({ sealed: true, label: 'vig' });
    const loopback = await openNode({ bind: '127.0.0.1:0', memory: true });
    expect(loopback.metrics().security.sealed).toBe(false);
    const named = await openNode({ bind: 'localhost:0', memory: true });
    expect(named.address).toMatch(/^(127\.0\.0\.1|\[::1\]):\d+$/);
  });
});
