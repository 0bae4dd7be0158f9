/**
 * How scenarios look at and write to real nodes: the light client of
 * `@vig/node-udp`, one per node, either in this process
 * ({@link createLocalProbe}) or in a probe host inside a network namespace
 * (remote-probe.ts). Either way a request that gets no answer rejects, and
 * the scenarios poll with bounds.
 */
import { createClient } from '@vig/node-udp';
import type { VigClient } from '@vig/node-udp';

/** A vector as plain data: index → value. */
export type VectorRecord = Readonly<Record<number, number>>;

/** A member as a node reports it. */
export interface ProbedMember {
  readonly address: string;
  /** `alive`, `suspect`, `dead` or `left`. */
  readonly status: string;
}

/** Reads and writes through any node, by address. */
export interface ClusterProbe {
  /** Writes `entries` into `key` through `node`; resolves once the node holds them. */
  put(node: string, key: string, entries: VectorRecord): Promise<void>;
  /** `node`'s vector of `key` (empty when it holds none). */
  get(node: string, key: string): Promise<VectorRecord>;
  /** Every key `node` holds matching `pattern`, with its vector. */
  search(node: string, pattern: string): Promise<Map<string, VectorRecord>>;
  /** `node`'s members, itself first. */
  members(node: string): Promise<ProbedMember[]>;
  /** Closes every client (and the probe host, if any). */
  close(): Promise<void>;
}

/** Options of {@link createLocalProbe}. */
export interface LocalProbeOptions {
  /** Ms each request waits for its node; default 1000. */
  readonly timeout?: number;
  /** The clients' address, `host:port`; default the client's own (loopback, port 0). */
  readonly bind?: string;
  /** The cluster key and label of a keyed cluster. */
  readonly keyed?: { readonly key: string; readonly label: string };
}

/** A probe whose clients live in this process: one client per node, opened on first use. */
export function createLocalProbe(options: LocalProbeOptions = {}): ClusterProbe {
  const clients = new Map<string, Promise<VigClient>>();
  const clientOf = (node: string): Promise<VigClient> => {
    let client = clients.get(node);
    if (client === undefined) {
      client = createClient({
        nodes: [node],
        timeout: options.timeout ?? 1_000,
        ...(options.bind === undefined ? {} : { bind: options.bind }),
        ...(options.keyed === undefined
          ? {}
          : { key: { primary: options.keyed.key }, label: options.keyed.label }),
        onWarning: () => undefined,
      });
      clients.set(node, client);
    }
    return client;
  };
  return {
    async put(node, key, entries) {
      await (await clientOf(node)).put(key, entries);
    },
    async get(node, key) {
      return (await (await clientOf(node)).get(key)).toRecord();
    },
    async search(node, pattern) {
      const found = await (await clientOf(node)).search(pattern);
      return new Map(found.map(([key, vector]) => [key, vector.toRecord()]));
    },
    async members(node) {
      return (await clientOf(node)).members();
    },
    async close() {
      const opened = await Promise.allSettled(clients.values());
      clients.clear();
      await Promise.all(
        opened.flatMap((outcome) =>
          outcome.status === 'fulfilled' ? [outcome.value.close()] : [],
        ),
      );
    },
  };
}
