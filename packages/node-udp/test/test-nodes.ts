import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '@vig/gossip';
import { createNode } from '../src/vig-node.js';
import type { NodeOptions, VigNode } from '../src/vig-node.js';

/** Nodes and temporary directories a test opens, all stopped and removed by `cleanup`. */
export interface TestNodes {
  /**
   * A node with loopback timings and quiet warnings (in memory unless given
   * a `dataDir`; on 127.0.0.1:0 unless given a `bind`).
   */
  open(options?: Partial<NodeOptions>): Promise<VigNode>;
  /** A new temporary directory. */
  directory(): Promise<string>;
  /** Stops every node opened, then removes every directory. */
  cleanup(): Promise<void>;
}

/** Nodes for one test file: call `cleanup` after each test. */
export function testNodes(prefix = 'vig-node-'): TestNodes {
  const nodes: VigNode[] = [];
  const directories: string[] = [];
  return {
    async open(options = {}) {
      const node = await createNode({
        bind: '127.0.0.1:0',
        membership: LOCAL_MEMBERSHIP,
        gossip: LOCAL_GOSSIP,
        onWarning: () => undefined,
        ...(options.dataDir === undefined ? { memory: true } : {}),
        ...options,
      });
      nodes.push(node);
      return node;
    },
    async directory() {
      const directory = await mkdtemp(join(tmpdir(), prefix));
      directories.push(directory);
      return directory;
    },
    async cleanup() {
      await Promise.all(nodes.splice(0).map((node) => node.stop()));
      await Promise.all(
        directories.splice(0).map((directory) => rm(directory, { recursive: true, force: true })),
      );
    },
  };
}
