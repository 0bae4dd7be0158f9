/**
 * How long real writes take to reach every node: while writes go on, the
 * probe searches every node in rounds and notes, for each write, the first
 * round in which all held it. The resolution is one round (a search of each
 * node, at most `interval` ms apart), which the report states.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterProbe, VectorRecord } from './cluster-probe.js';
import { holdsAtLeast } from './cluster-views.js';

/** A write made at a known moment (`performance.now()` when it was acknowledged). */
export interface TimedWrite {
  readonly entries: VectorRecord;
  readonly writtenAt: number;
}

/** Options of {@link measureSpread}. */
export interface SpreadOptions {
  /** The pattern matching every key written. */
  readonly pattern: string;
  /** The most ms to wait for every write to reach every node. */
  readonly timeout: number;
  /** Ms between rounds; default 50. */
  readonly interval?: number;
  /** Settles when the last write has been made; until then `writes` may grow. */
  readonly writing?: Promise<unknown>;
}

/** What {@link measureSpread} found. */
export interface Spread {
  /** For each write that reached every node: ms from its acknowledgement to the round that saw it everywhere. */
  readonly times: ReadonlyMap<string, number>;
  /** Writes some node still lacked when the time ran out. */
  readonly unreached: readonly string[];
  /** Ms from the last acknowledgement until every write was everywhere, or undefined. */
  readonly afterLastWrite: number | undefined;
  /** Rounds made. */
  readonly rounds: number;
}

/**
 * Follows `writes` (key → write, growing until `options.writing` settles) to
 * every node of `addresses`; see the module comment.
 */
export async function measureSpread(
  probe: ClusterProbe,
  addresses: readonly string[],
  writes: ReadonlyMap<string, TimedWrite>,
  options: SpreadOptions,
): Promise<Spread> {
  const interval = options.interval ?? 50;
  const times = new Map<string, number>();
  let writing = options.writing !== undefined;
  void options.writing?.finally(() => (writing = false)).catch(() => undefined);
  const started = performance.now();
  const maxRounds = Math.ceil(options.timeout / Math.max(interval, 1)) + 1;
  let rounds = 0;
  while ((writing || times.size < writes.size) && rounds < maxRounds) {
    if (performance.now() - started > options.timeout) break;
    rounds += 1;
    const views = await Promise.allSettled(
      addresses.map((node) => probe.search(node, options.pattern)),
    );
    const seenAt = performance.now();
    for (const [key, write] of writes) {
      if (times.has(key)) continue;
      const everywhere = views.every(
        (view) => view.status === 'fulfilled' && holdsAtLeast(view.value.get(key), write.entries),
      );
      if (everywhere) times.set(key, Math.max(0, seenAt - write.writtenAt));
    }
    if (writing || times.size < writes.size) await sleep(interval);
  }
  const lastWrite = Math.max(...[...writes.values()].map((write) => write.writtenAt));
  const unreached = [...writes.keys()].filter((key) => !times.has(key));
  const finished = Math.max(
    ...[...writes].map(([key, write]) => write.writtenAt + (times.get(key) ?? Number.NaN)),
  );
  return {
    times,
    unreached,
    afterLastWrite:
      unreached.length === 0 && writes.size > 0 ? Math.max(0, finished - lastWrite) : undefined,
    rounds,
  };
}

/**
 * Writes `count` keys `PREFIX:N` through the nodes of `addresses` in turn,
 * `spacing` ms apart, each raising index `N % 16` to `N + 1`, and records in
 * `written` those acknowledged, with when.
 */
export async function writeInTurn(
  probe: ClusterProbe,
  addresses: readonly string[],
  options: { readonly prefix: string; readonly count: number; readonly spacing: number },
  written: Map<string, TimedWrite>,
): Promise<void> {
  const { prefix, count, spacing } = options;
  for (let number = 0; number < count; number++) {
    if (number > 0) await sleep(spacing);
    const node = addresses[number % addresses.length];
    if (node === undefined) break;
    const key = `${prefix}:${number}`;
    const entries = { [number % 16]: number + 1 };
    try {
      await probe.put(node, key, entries);
      written.set(key, { entries, writtenAt: performance.now() });
    } catch {
      // Not acknowledged: not followed.
    }
  }
}

/** What {@link writeAndFollow} wrote and measured. */
export interface FollowedWrites {
  /** The writes acknowledged: key → entries and when. */
  readonly writes: ReadonlyMap<string, TimedWrite>;
  readonly spread: Spread;
}

/**
 * Writes `count` keys `PREFIX:N` through the nodes in turn (see
 * {@link writeInTurn}) while following each to every node (see
 * {@link measureSpread}, within `timeout` ms).
 */
export async function writeAndFollow(
  probe: ClusterProbe,
  addresses: readonly string[],
  options: {
    readonly prefix: string;
    readonly count: number;
    readonly spacing: number;
    readonly timeout: number;
  },
): Promise<FollowedWrites> {
  const writes = new Map<string, TimedWrite>();
  const writing = writeInTurn(probe, addresses, options, writes);
  const spread = await measureSpread(probe, addresses, writes, {
    pattern: `${options.prefix}:%`,
    timeout: options.timeout,
    writing,
  });
  await writing;
  return { writes, spread };
}
