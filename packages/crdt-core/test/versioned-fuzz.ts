import { agentId } from '../src/agent-id.js';
import { VersionedStore } from '../src/versioned-store.js';
import type { Version } from '../src/versioned-operation.js';
import { checkInvariants } from '../src/testing/index.js';
import { seededRandom } from '../src/random-source.js';

/** Options of {@link runVersionedFuzz}. */
export interface FuzzOptions {
  readonly seed: number;
  readonly peers?: number;
  readonly iterations: number;
  readonly operationsPerIteration?: number;
  /**
   * Size of the key set. Default: as the seed, growing as √iteration (so the
   * values compared each iteration grow too); a number fixes it.
   */
  readonly keys?: number;
  /**
   * What is checked besides what the seed always asserts (undo and redo
   * restore the values, the diff of an iteration is its operations, a sync
   * leaves both stores with the same heads): `values` also compares both
   * stores' values at every version they move to; `invariants` also runs the
   * invariant checker after every step (linear in the history each time).
   */
  readonly checks: 'none' | 'values' | 'invariants';
  /**
   * How pairs synchronise: by heads ({@link VersionedStore.operationsSince},
   * cost of the differences), by summary (cost of the agents), or alternating.
   */
  readonly sync?: 'heads' | 'summary' | 'alternate';
  /** Called after every iteration (benchmarks time blocks of iterations with it). */
  readonly onIteration?: (iteration: number) => void;
  /** Called when a check fails, to name the step. */
  readonly fail?: (message: string) => never;
}

/** What a run did, for reports. */
export interface FuzzReport {
  readonly operations: number;
  readonly agents: number;
  readonly syncs: number;
}

/** Every key's siblings, versions and values: what two stores must agree on. */
type Snapshot = Map<string, string>;

function snapshot(store: VersionedStore): Snapshot {
  const keys: Snapshot = new Map();
  for (const key of store.keys()) {
    let text = '';
    for (const { version, value } of store.get(key)) {
      text += `${version.agent}:${version.seq}=${typeof value === 'number' ? value : JSON.stringify(value)},`;
    }
    keys.set(key, text);
  }
  return keys;
}

function sameSnapshot(left: Snapshot, right: Snapshot): boolean {
  if (left.size !== right.size) return false;
  for (const [key, siblings] of left) if (right.get(key) !== siblings) return false;
  return true;
}

function sameVersions(left: readonly Version[], right: readonly Version[]): boolean {
  return JSON.stringify(left) === JSON.stringify(right);
}

/**
 * The seed's fuzz test on Vig's API: peers write random keys (half the time
 * as a brand-new agent), each peer undoes and redoes its writes of the
 * iteration, then a random pair synchronises and both move between the old
 * heads and the merged head, equal at each.
 */
export function runVersionedFuzz(options: FuzzOptions): FuzzReport {
  const random = seededRandom(options.seed);
  const fail =
    options.fail ??
    ((message: string): never => {
      throw new Error(message);
    });
  const expect = (condition: boolean, message: () => string): void => {
    if (!condition) fail(`seed ${options.seed}: ${message()}`);
  };
  const randomInt = (bound: number): number => Math.floor(random() * bound);
  const peerCount = options.peers ?? 3;
  const operationsPerIteration = options.operationsPerIteration ?? 10;
  const peers = Array.from(
    { length: peerCount },
    (_, position) => new VersionedStore({ agent: agentId(`peer-${position}`), random }),
  );
  const checked = (store: VersionedStore): void => {
    if (options.checks === 'invariants') checkInvariants(store);
  };
  const compareValues = options.checks !== 'none';
  let operations = 0;
  let syncs = 0;

  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const starts = peers.map((store) => ({ frontier: store.frontier, values: snapshot(store) }));
    const written = peers.map(() => 0);
    for (let i = 0; i < operationsPerIteration; i++) {
      const position = randomInt(peerCount);
      const store = peers[position];
      if (random() < 0.5) store.switchAgent();
      const keyCount = options.keys ?? Math.max(1, Math.floor(Math.sqrt(iteration)));
      const key = `KEY_${randomInt(keyCount)}`;
      store.put(key, randomInt(100));
      written[position] = (written[position] ?? 0) + 1;
      operations++;
    }
    peers.forEach((store, position) => {
      checked(store);
      const start = starts[position];
      const final = { frontier: store.frontier, values: snapshot(store) };
      const { onlyA, onlyB } = store.diff(start.frontier, final.frontier);
      expect(onlyA.length === 0, () => `peer ${position}: start has operations the end lacks`);
      expect(
        onlyB.length === written[position],
        () => `peer ${position}: diff found ${onlyB.length} operations, wrote ${written[position]}`,
      );
      store.checkout(start.frontier);
      checked(store);
      expect(
        sameSnapshot(snapshot(store), start.values),
        () =>
          `peer ${position}: undo did not restore the iteration's start (iteration ${iteration})`,
      );
      store.checkout(final.frontier);
      checked(store);
      expect(
        sameSnapshot(snapshot(store), final.values),
        () => `peer ${position}: redo did not restore the iteration's end (iteration ${iteration})`,
      );
    });

    if (peerCount >= 2) {
      const first = randomInt(peerCount);
      let second = randomInt(peerCount - 1);
      if (second >= first) second++;
      const a = peers[first];
      const b = peers[second];
      const aHead = a.frontier;
      const bHead = b.frontier;
      const bySummary =
        options.sync === 'summary' || (options.sync === 'alternate' && iteration % 2 === 1);
      if (bySummary) {
        b.applyRemote(a.operationsMissingFrom(b.summary()));
        a.applyRemote(b.operationsMissingFrom(a.summary()));
      } else {
        const aRecent = a.recentVersions();
        b.applyRemote(a.operationsSince(b.recentVersions()));
        a.applyRemote(b.operationsSince(aRecent));
      }
      syncs++;
      checked(a);
      checked(b);
      expect(
        sameVersions(a.heads, b.heads),
        () => `iteration ${iteration}: heads differ after sync`,
      );
      expect(
        sameVersions(a.frontier, a.heads),
        () => `iteration ${iteration}: a did not move to the merged heads`,
      );
      if (compareValues) {
        expect(
          sameSnapshot(snapshot(a), snapshot(b)),
          () => `iteration ${iteration}: values differ after sync`,
        );
      }
      const mergeHead = a.frontier;
      for (const target of [aHead, bHead, mergeHead]) {
        a.checkout(target);
        b.checkout(target);
        checked(a);
        checked(b);
        expect(
          sameSnapshot(snapshot(a), snapshot(b)),
          () => `iteration ${iteration}: values differ at ${JSON.stringify(target)}`,
        );
      }
    }
    options.onIteration?.(iteration);
  }
  const agents = new Set(peers.flatMap((store) => store.summary().map(({ agent }) => agent)));
  return { operations, agents: agents.size, syncs };
}
