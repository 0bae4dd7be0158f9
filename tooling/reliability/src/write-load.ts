/**
 * Continuous writes through one node: several light clients, each writing
 * distinct keys one after the other as fast as the node acknowledges them,
 * and recording every write acknowledged.
 */
import { createClient } from '@vig/node-udp';
import { within } from './bounded-wait.js';
import type { VectorRecord } from './cluster-probe.js';

/** Options of {@link startWriteLoad}. */
export interface WriteLoadOptions {
  /** The node written through, `host:port`. */
  readonly node: string;
  /** How many clients write at once. */
  readonly writers: number;
  /** Keys are `PREFIX:GROUP:WRITER:SEQ` (see {@link writeLoadPattern}). */
  readonly prefix: string;
  /** How many groups the keys are spread over (by SEQ), so each group's search stays small. */
  readonly groups: number;
  /** The most writes each client makes (a bound: the load is normally stopped long before). */
  readonly maxWritesPerWriter: number;
  /** Ms a client waits for the node; default 1000. */
  readonly timeout?: number;
}

/** A running load. */
export interface WriteLoad {
  /** Every write acknowledged so far: key → entries. */
  readonly acknowledged: ReadonlyMap<string, VectorRecord>;
  /** Writes that were not acknowledged (no answer within the timeout). */
  readonly unacknowledged: number;
  /** Resolves true once `count` writes are acknowledged, false when `timeout` ms pass first. */
  whenAcknowledged(count: number, timeout: number): Promise<boolean>;
  /** Stops every client after its current write and closes it; resolves when all have. */
  stop(): Promise<void>;
}

/** Starts the load: every client has its socket open when this resolves. */
export async function startWriteLoad(options: WriteLoadOptions): Promise<WriteLoad> {
  const acknowledged = new Map<string, VectorRecord>();
  const waiters = new Set<() => void>();
  let unacknowledged = 0;
  let stopped = false;
  const clients = await Promise.all(
    Array.from({ length: options.writers }, () =>
      createClient({
        nodes: [options.node],
        timeout: options.timeout ?? 1_000,
        onWarning: () => undefined,
      }),
    ),
  );
  const loops = clients.map(async (client, writer) => {
    for (let seq = 0; seq < options.maxWritesPerWriter && !stopped; seq++) {
      const key = `${options.prefix}:${seq % options.groups}:${writer}:${seq}`;
      const entries = { [writer]: seq + 1 };
      try {
        await client.put(key, entries);
        acknowledged.set(key, entries);
        for (const waiter of [...waiters]) waiter();
      } catch {
        unacknowledged += 1;
      }
    }
  });
  return {
    acknowledged,
    get unacknowledged() {
      return unacknowledged;
    },
    async whenAcknowledged(count, timeout) {
      if (acknowledged.size >= count) return true;
      let wake: () => void = () => undefined;
      const reached = new Promise<boolean>((resolve) => {
        wake = () => {
          if (acknowledged.size >= count) resolve(true);
        };
        waiters.add(wake);
      });
      const result = (await within(reached, timeout)) ?? false;
      waiters.delete(wake);
      return result;
    },
    async stop() {
      stopped = true;
      await Promise.all(loops);
      await Promise.all(clients.map((client) => client.close()));
    },
  };
}

/** The search pattern of a write-load key's group: `PREFIX:GROUP:%`. */
export function writeLoadPattern(key: string): string {
  return `${key.split(':').slice(0, 2).join(':')}:%`;
}
