import type { ChildProcess } from 'node:child_process';
import { createClient } from '../src/client.js';
import type { VigClient } from '../src/client.js';

/** Options of {@link writeUntilKilled}. */
export interface WriteUntilKilledOptions<T> {
  /** The node's address. */
  readonly address: string;
  /** The node's process: sent SIGKILL once `killAfter` writes were acknowledged. */
  readonly child: ChildProcess;
  /** Light clients writing at once, each one write after another. */
  readonly writers: number;
  readonly killAfter: number;
  /** Makes write number `write` of writer `writer`; resolves with what was acknowledged. */
  readonly write: (client: VigClient, writer: number, write: number) => Promise<T>;
}

/**
 * Writes through light clients until the node is killed mid-burst; resolves
 * with every acknowledged write once every writer has stopped (the first
 * write that fails stops its writer: the node is gone). At most 10,000
 * writes per writer.
 */
export async function writeUntilKilled<T>(options: WriteUntilKilledOptions<T>): Promise<T[]> {
  const acknowledged: T[] = [];
  let killed = false;
  const writer = async (writerIndex: number): Promise<void> => {
    const client = await createClient({ nodes: [options.address], timeout: 500 });
    try {
      for (let write = 0; write < 10_000 && !killed; write++) {
        try {
          acknowledged.push(await options.write(client, writerIndex, write));
        } catch {
          return;
        }
        if (!killed && acknowledged.length >= options.killAfter) {
          killed = options.child.kill('SIGKILL');
        }
      }
    } finally {
      await client.close();
    }
  };
  await Promise.all(Array.from({ length: options.writers }, (_, index) => writer(index)));
  return acknowledged;
}
