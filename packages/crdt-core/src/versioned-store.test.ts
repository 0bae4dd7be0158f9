import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  AGENT_ID_LENGTH,
  InvalidAgentIdError,
  MAIN_BRANCH,
  MalformedOperationError,
  MissingParentError,
  UnknownBranchError,
  UnknownVersionError,
  VersionedStore,
  agentId,
  compareVersionIds,
  isVigError,
  seededRandom,
} from './index.js';
import type {
  AgentId,
  ApplyResult,
  Operation,
  Sibling,
  Version,
  VersionSummary,
  VersionedStoreOptions,
} from './index.js';
import { checkInvariants } from './testing/index.js';

// ---------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------

/** Runs `action`, then the invariant checker, whether or not `action` threw. */
function checkedAfter<Result>(store: VersionedStore, action: () => Result): Result {
  try {
    return action();
  } finally {
    checkInvariants(store);
  }
}

/** A store that runs the invariant checker after every mutation, failed ones included. */
class CheckedStore extends VersionedStore {
  override putMany(writes: readonly (readonly [key: string, value: unknown])[]): Version {
    return checkedAfter(this, () => super.putMany(writes));
  }

  override checkout(target: readonly Version[] | string): void {
    checkedAfter(this, () => super.checkout(target));
  }

  override createBranch(name: string, at?: readonly Version[]): void {
    checkedAfter(this, () => super.createBranch(name, at));
  }

  override deleteBranch(name: string): void {
    checkedAfter(this, () => super.deleteBranch(name));
  }

  override switchAgent(agent?: AgentId): void {
    checkedAfter(this, () => super.switchAgent(agent));
  }

  override applyRemote(operations: readonly Operation[]): ApplyResult {
    return checkedAfter(this, () => super.applyRemote(operations));
  }
}

/** A checked store writing as `name`, with seeded randomness for the agents it forks to. */
function storeOf(name: string, options: Omit<VersionedStoreOptions, 'agent'> = {}): CheckedStore {
  let seed = 17;
  for (const character of name) seed = Math.imul(seed, 31) + character.charCodeAt(0);
  return new CheckedStore({ random: seededRandom(seed), ...options, agent: agentId(name) });
}

function version(agent: string, seq: number): Version {
  return { agent: agentId(agent), seq };
}

/** An operation as a remote store would send it. */
function operation(
  agent: string,
  seq: number,
  parents: readonly Version[],
  writes: readonly (readonly [key: string, value: unknown, replaces?: readonly Version[]])[],
): Operation {
  return {
    version: version(agent, seq),
    parents,
    writes: writes.map(([key, value, replaces = []]) => ({ key, value, replaces })),
  };
}

/** Every key's siblings, keys sorted: everything a read can see. */
function contents(store: VersionedStore): Record<string, Sibling[]> {
  return Object.fromEntries([...store.keys()].sort().map((key) => [key, store.get(key)]));
}

function valuesOf(store: VersionedStore, key: string): unknown[] {
  return store.get(key).map((sibling) => sibling.value);
}

/** Every operation of `store`, parents first. */
function allOperations(store: VersionedStore): Operation[] {
  return store.operationsMissingFrom([]);
}

function sortedSummary(store: VersionedStore): VersionSummary {
  return [...store.summary()].sort((left, right) => (left.agent < right.agent ? -1 : 1));
}

function syncBySummary(a: VersionedStore, b: VersionedStore): void {
  b.applyRemote(a.operationsMissingFrom(b.summary()));
  a.applyRemote(b.operationsMissingFrom(a.summary()));
}

function syncByHeads(a: VersionedStore, b: VersionedStore): void {
  const aRecent = a.recentVersions();
  b.applyRemote(a.operationsSince(b.recentVersions()));
  a.applyRemote(b.operationsSince(aRecent));
}

/** A fresh store that only ever saw the history of `frontier` in `source`. */
function replayOf(source: VersionedStore, frontier: readonly Version[]): CheckedStore {
  const fresh = new CheckedStore({ random: seededRandom(1) });
  const { onlyA } = source.diff(frontier, []);
  const result = fresh.applyRemote(onlyA.map((known) => source.operation(known)));
  expect(result).toMatchObject({ applied: onlyA.length, duplicates: 0, waiting: 0, rejected: [] });
  expect(result.added.map((operation) => operation.version)).toEqual(onlyA);
  expect(fresh.heads).toEqual(source.frontierOf(frontier));
  return fresh;
}

function shuffled<Item>(items: readonly Item[], random: () => number): Item[] {
  const copy = [...items];
  for (let position = copy.length - 1; position > 0; position--) {
    const other = Math.floor(random() * (position + 1));
    [copy[position], copy[other]] = [copy[other], copy[position]];
  }
  return copy;
}

/**
 * A history with concurrency, siblings, several keys per operation and
 * forked agents: three stores write at random, sometimes from an old version,
 * and synchronise now and then; everything ends up in the returned store.
 */
function busyHistory(seed: number, steps = 40): CheckedStore {
  const random = seededRandom(seed);
  const stores = [storeOf('alice'), storeOf('bob'), storeOf('carol')];
  const pick = <Item>(items: readonly Item[]): Item => items[Math.floor(random() * items.length)];
  for (let step = 0; step < steps; step++) {
    const store = pick(stores);
    if (random() < 0.15 && store.size > 0) store.checkout([pick(store.recentVersions(8))]);
    if (random() < 0.3) {
      store.putMany([
        [`k${Math.floor(random() * 4)}`, step],
        [`m${Math.floor(random() * 2)}`, { step }],
      ]);
    } else {
      store.put(`k${Math.floor(random() * 4)}`, step);
    }
    if (random() < 0.3) {
      const a = pick(stores);
      const b = pick(stores.filter((other) => other !== a));
      if (random() < 0.5) syncBySummary(a, b);
      else syncByHeads(a, b);
    }
  }
  const [alice, bob, carol] = stores;
  syncBySummary(alice, bob);
  syncBySummary(alice, carol);
  alice.checkout(alice.heads);
  return alice;
}

function expectError<ErrorClass extends Error>(
  action: () => unknown,
  errorClass: abstract new (...args: never[]) => ErrorClass,
  message: RegExp,
): ErrorClass {
  let thrown: unknown;
  try {
    action();
  } catch (error) {
    thrown = error;
  }
  expect(thrown).toBeInstanceOf(errorClass);
  const error = thrown as ErrorClass;
  expect(error.message).toMatch(message);
  expect(isVigError(error, error.name)).toBe(true);
  return error;
}

// ---------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------

describe('VersionedStore: put and get', () => {
  it('starts empty, on main, at the empty version', () => {
    const store = storeOf('alice');
    expect(store.agent).toBe('alice');
    expect(store.size).toBe(0);
    expect(store.frontier).toEqual([]);
    expect(store.heads).toEqual([]);
    expect(store.branch).toBe(MAIN_BRANCH);
    expect(store.get('title')).toEqual([]);
    expect([...store.keys()]).toEqual([]);
    expect(store.waitingCount).toBe(0);
  });

  it('put writes a value; get returns it with its version; the next put replaces it', () => {
    const store = storeOf('alice');
    const first = store.put('title', 'Draft');
    expect(first).toEqual(version('alice', 0));
    expect(store.get('title')).toEqual([{ version: first, value: 'Draft' }]);
    const second = store.put('title', { text: 'Final', tags: ['a', 1, null] });
    expect(second).toEqual(version('alice', 1));
    expect(store.get('title')).toEqual([
      { version: second, value: { text: 'Final', tags: ['a', 1, null] } },
    ]);
    expect(store.operation(second)).toEqual(
      operation('alice', 1, [first], [['title', { text: 'Final', tags: ['a', 1, null] }, [first]]]),
    );
    expect(store.size).toBe(2);
    expect(store.frontier).toEqual([second]);
    expect(store.heads).toEqual([second]);
    expect([...store.keys()]).toEqual(['title']);
  });

  it('putMany writes several keys in one operation', () => {
    const store = storeOf('alice');
    store.put('a', 0);
    const written = store.putMany([
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ]);
    expect(written).toEqual(version('alice', 1));
    expect(store.size).toBe(2);
    expect(contents(store)).toEqual({
      a: [{ version: written, value: 1 }],
      b: [{ version: written, value: 2 }],
      c: [{ version: written, value: 3 }],
    });
    expect(store.operation(written).writes).toEqual([
      { key: 'a', value: 1, replaces: [version('alice', 0)] },
      { key: 'b', value: 2, replaces: [] },
      { key: 'c', value: 3, replaces: [] },
    ]);
  });

  it('putMany rejects a key written twice and an empty list, and changes nothing', () => {
    const store = storeOf('alice');
    store.put('a', 0);
    const before = contents(store);
    expectError(
      () =>
        store.putMany([
          ['a', 1],
          ['b', 2],
          ['a', 3],
        ]),
      MalformedOperationError,
      /key "a" is written twice/,
    );
    expectError(() => store.putMany([]), MalformedOperationError, /at least one key/);
    expect(store.size).toBe(1);
    expect(store.frontier).toEqual([version('alice', 0)]);
    expect(contents(store)).toEqual(before);
  });

  it('switchAgent writes as another agent from then on, and rejects an invalid id', () => {
    const store = storeOf('alice');
    store.put('a', 0);
    store.switchAgent(agentId('bob'));
    expect(store.agent).toBe('bob');
    expect(store.put('a', 1)).toEqual(version('bob', 0));
    store.switchAgent();
    expect(store.agent).toHaveLength(AGENT_ID_LENGTH);
    expect(store.put('a', 2)).toEqual({ agent: store.agent, seq: 0 });
    expectError(
      () => store.switchAgent('' as AgentId),
      InvalidAgentIdError,
      /agent id "" is invalid/,
    );
    expect(() => agentId('x'.repeat(65))).toThrow(InvalidAgentIdError);
  });
});

describe('VersionedStore: concurrent writes', () => {
  it('become siblings on both stores, sorted by agent then seq; a write naming them all replaces them', () => {
    const zed = storeOf('zed');
    const amy = storeOf('amy');
    zed.put('title', 'draft');
    syncBySummary(zed, amy);
    amy.put('other', 1);
    amy.put('other', 2);
    const fromAmy = amy.put('title', 'amy');
    const fromZed = zed.put('title', 'zed');
    expect(fromAmy).toEqual(version('amy', 2));
    expect(fromZed).toEqual(version('zed', 1));
    syncBySummary(zed, amy);
    const siblings = [
      { version: fromAmy, value: 'amy' },
      { version: fromZed, value: 'zed' },
    ];
    expect(zed.get('title')).toEqual(siblings);
    expect(amy.get('title')).toEqual(siblings);
    expect(amy.compare(fromAmy, fromZed)).toBe('concurrent');
    expect(zed.heads).toEqual([fromAmy, fromZed]);
    expect(amy.heads).toEqual(zed.heads);

    const agreed = zed.put('title', 'agreed');
    expect(zed.operation(agreed)).toEqual(
      operation('zed', 2, [fromAmy, fromZed], [['title', 'agreed', [fromAmy, fromZed]]]),
    );
    syncBySummary(zed, amy);
    expect(amy.get('title')).toEqual([{ version: agreed, value: 'agreed' }]);
    expect(zed.get('title')).toEqual([{ version: agreed, value: 'agreed' }]);
    expect(amy.get('other')).toEqual([{ version: version('amy', 1), value: 2 }]);
  });

  it('keeps three concurrent siblings, and a write seeing only some replaces only those', () => {
    const stores = ['carol', 'alice', 'bob'].map((name) => storeOf(name));
    const [carol, alice, bob] = stores;
    for (const store of stores) store.put('k', store.agent);
    syncBySummary(alice, bob);
    // Alice saw Bob's value but not Carol's.
    const replaced = alice.put('k', 'alice again');
    syncBySummary(alice, carol);
    syncBySummary(bob, carol);
    for (const store of stores) {
      expect(store.get('k')).toEqual([
        { version: replaced, value: 'alice again' },
        { version: version('carol', 0), value: 'carol' },
      ]);
    }
  });
});

describe('VersionedStore: checkout', () => {
  it('moves to an old version and back; reads equal a store that only saw that history', () => {
    const alice = storeOf('alice');
    const bob = storeOf('bob');
    alice.put('title', 'draft');
    const early = alice.frontier;
    const earlyContents = contents(alice);
    syncBySummary(alice, bob);
    alice.putMany([
      ['title', 'alice'],
      ['body', 'text'],
    ]);
    bob.put('title', 'bob');
    syncBySummary(alice, bob);
    const withSiblings = alice.frontier;
    const siblingContents = contents(alice);
    expect(valuesOf(alice, 'title')).toEqual(['alice', 'bob']);
    alice.put('title', 'merged');
    alice.put('late', true);
    const heads = alice.heads;
    const headContents = contents(alice);

    alice.checkout(early);
    expect(alice.frontier).toEqual(early);
    expect(alice.branch).toBeUndefined();
    expect(contents(alice)).toEqual(earlyContents);
    expect(contents(alice)).toEqual(contents(replayOf(alice, early)));
    expect([...alice.keys()]).toEqual(['title']);

    alice.checkout(withSiblings);
    expect(contents(alice)).toEqual(siblingContents);
    expect(contents(alice)).toEqual(contents(replayOf(alice, withSiblings)));

    alice.checkout([]);
    expect(contents(alice)).toEqual({});
    expect(alice.frontier).toEqual([]);

    alice.checkout(heads);
    expect(contents(alice)).toEqual(headContents);
    expect(alice.heads).toEqual(heads);
    expect(alice.size).toBe(5);
  });

  it('equals a fresh replay at every version and pair of versions of a busy history', () => {
    const store = busyHistory(11);
    const versions = store.diff(store.heads, []).onlyA;
    expect(versions.length).toBe(store.size);
    const random = seededRandom(5);
    const targets = [
      ...versions.map((known) => [known]),
      ...versions.map((known) => [known, versions[Math.floor(random() * versions.length)]]),
      store.heads,
    ];
    for (const target of targets) {
      store.checkout(target);
      expect(store.frontier).toEqual(store.frontierOf(target));
      expect(contents(store), JSON.stringify(target)).toEqual(contents(replayOf(store, target)));
    }
  });

  it('reduces a target that is not a frontier to its frontier', () => {
    const store = storeOf('alice');
    const first = store.put('a', 1);
    store.put('a', 2);
    const third = store.put('a', 3);
    store.checkout([first, third, first]);
    expect(store.frontier).toEqual([third]);
    expect(valuesOf(store, 'a')).toEqual([3]);
  });

  it('throws UnknownVersionError naming an unknown version, and changes nothing', () => {
    const store = storeOf('alice');
    const first = store.put('a', 1);
    store.put('a', 2);
    const before = { frontier: store.frontier, contents: contents(store) };
    const error = expectError(
      () => store.checkout([first, version('alice', 7)]),
      UnknownVersionError,
      /version \(alice, 7\) is unknown/,
    );
    expect(error).toMatchObject({ agent: 'alice', seq: 7 });
    expectError(
      () => store.checkout([version('mallory', 0)]),
      UnknownVersionError,
      /\(mallory, 0\)/,
    );
    expectError(
      () => store.checkout([{ agent: agentId('alice'), seq: -1 }]),
      MalformedOperationError,
      /version\.seq is not an integer/,
    );
    expect(store.frontier).toEqual(before.frontier);
    expect(contents(store)).toEqual(before.contents);
    expect(store.branch).toBe(MAIN_BRANCH);
  });

  it('forks to a new agent when writing after a checkout of an old version', () => {
    const store = storeOf('alice');
    const first = store.put('k', 0);
    store.put('k', 1);
    const last = store.put('k', 2);
    store.checkout([first]);
    const forked = store.put('k', 'fork');
    expect(forked.agent).not.toBe('alice');
    expect(forked.agent).toHaveLength(AGENT_ID_LENGTH);
    expect(forked.seq).toBe(0);
    expect(store.agent).toBe(forked.agent);
    expect(store.operation(forked)).toEqual(
      operation(forked.agent, 0, [first], [['k', 'fork', [first]]]),
    );
    expect(store.compare(forked, last)).toBe('concurrent');
    expect(store.heads).toEqual([last, forked].sort(compareVersionIds));
    expect(store.frontier).toEqual([forked]);
    // The new agent goes on linearly, without forking again.
    expect(store.put('k', 'fork 2')).toEqual({ agent: forked.agent, seq: 1 });
    store.checkout(store.heads);
    expect(store.get('k')).toEqual(
      [
        { version: last, value: 2 },
        { version: { agent: forked.agent, seq: 1 }, value: 'fork 2' },
      ].sort((left, right) => compareVersionIds(left.version, right.version)),
    );
    // At the heads the agent's latest is in the history: no fork.
    const merged = store.put('k', 'merged');
    expect(merged).toEqual({ agent: forked.agent, seq: 2 });
  });

  it('does not fork when the checked-out version contains the agent’s latest write', () => {
    const store = storeOf('alice');
    store.put('a', 1);
    const latest = store.put('b', 1);
    store.checkout([latest]);
    expect(store.put('a', 2)).toEqual(version('alice', 2));
  });
});

describe('VersionedStore: branches', () => {
  it('creates, switches, lists and deletes branches; the checked-out branch follows puts', () => {
    const store = storeOf('alice');
    expect(store.listBranches()).toEqual([{ name: MAIN_BRANCH, frontier: [] }]);
    const base = store.put('k', 'base');
    expect(store.listBranches()).toEqual([{ name: MAIN_BRANCH, frontier: [base] }]);

    store.createBranch('feature');
    store.checkout('feature');
    expect(store.branch).toBe('feature');
    const onFeature = store.put('k', 'feature');
    store.put('extra', 1);
    const featureHead = version('alice', 2);
    expect(onFeature).toEqual(version('alice', 1));
    expect(store.listBranches()).toEqual([
      { name: 'feature', frontier: [featureHead] },
      { name: MAIN_BRANCH, frontier: [base] },
    ]);

    store.checkout(MAIN_BRANCH);
    expect(store.branch).toBe(MAIN_BRANCH);
    expect(contents(store)).toEqual({ k: [{ version: base, value: 'base' }] });
    // Alice's latest write is on the feature branch: writing on main forks.
    const onMain = store.put('k', 'main');
    expect(onMain.agent).not.toBe('alice');
    expect(store.listBranches()).toEqual([
      { name: 'feature', frontier: [featureHead] },
      { name: MAIN_BRANCH, frontier: [onMain] },
    ]);

    store.createBranch('alpha', [base]);
    store.createBranch('both', [featureHead, onMain, base]);
    expect(store.listBranches().map((branch) => branch.name)).toEqual([
      'alpha',
      'both',
      'feature',
      MAIN_BRANCH,
    ]);
    expect(store.listBranches()[1].frontier).toEqual([featureHead, onMain].sort(compareVersionIds));
    store.checkout('both');
    expect(store.get('k')).toEqual(
      [
        { version: onFeature, value: 'feature' },
        { version: onMain, value: 'main' },
      ].sort((left, right) => compareVersionIds(left.version, right.version)),
    );
    expect(contents(store)).toEqual(contents(replayOf(store, store.frontier)));

    store.deleteBranch('feature');
    expectError(() => store.checkout('feature'), UnknownBranchError, /branch "feature" does not/);
    expectError(() => store.deleteBranch('feature'), UnknownBranchError, /"feature"/);
    expect(store.branch).toBe('both');
    expect(store.frontier).toEqual([featureHead, onMain].sort(compareVersionIds));
  });

  it('deleting the checked-out branch detaches; puts then move no branch', () => {
    const store = storeOf('alice');
    store.put('k', 1);
    store.createBranch('other');
    store.checkout('other');
    store.deleteBranch('other');
    expect(store.branch).toBeUndefined();
    const before = store.listBranches();
    store.put('k', 2);
    expect(store.listBranches()).toEqual(before);
  });

  it('a checkout of versions detaches from the branch', () => {
    const store = storeOf('alice');
    const first = store.put('k', 1);
    store.checkout([first]);
    expect(store.branch).toBeUndefined();
    const second = store.put('k', 2);
    expect(store.listBranches()).toEqual([{ name: MAIN_BRANCH, frontier: [first] }]);
    store.checkout(MAIN_BRANCH);
    expect(valuesOf(store, 'k')).toEqual([1]);
    expect(store.heads).toEqual([second]);
  });

  it('rejects a branch at an unknown version, and an unknown branch, naming them', () => {
    const store = storeOf('alice');
    store.put('k', 1);
    expectError(
      () => store.createBranch('bad', [version('bob', 3)]),
      UnknownVersionError,
      /\(bob, 3\)/,
    );
    expect(store.listBranches().map((branch) => branch.name)).toEqual([MAIN_BRANCH]);
    const error = expectError(
      () => store.checkout('nope'),
      UnknownBranchError,
      /branch "nope" does not exist/,
    );
    expect(error.branch).toBe('nope');
    expect(store.branch).toBe(MAIN_BRANCH);
  });
});

describe('VersionedStore: compare, contains, frontierOf and diff', () => {
  /**
   * Alice writes a0, a1; Bob, who saw a0, writes b0; Alice, who then saw
   * everything, writes a2; Carol writes c0 having seen nothing.
   */
  function example(): {
    store: CheckedStore;
    a0: Version;
    a1: Version;
    a2: Version;
    b0: Version;
    c0: Version;
  } {
    const store = storeOf('alice');
    const bob = storeOf('bob');
    const carol = storeOf('carol');
    const a0 = store.put('x', 'a0');
    syncBySummary(store, bob);
    const a1 = store.put('x', 'a1');
    const b0 = bob.put('y', 'b0');
    syncBySummary(store, bob);
    const a2 = store.put('x', 'a2');
    const c0 = carol.put('z', 'c0');
    syncBySummary(store, carol);
    return { store, a0, a1, a2, b0, c0 };
  }

  it('compare answers equal, before, after and concurrent', () => {
    const { store, a0, a1, a2, b0, c0 } = example();
    expect(store.compare(a1, a1)).toBe('equal');
    expect(store.compare(a0, a1)).toBe('before');
    expect(store.compare(a1, a0)).toBe('after');
    expect(store.compare(b0, a2)).toBe('before');
    expect(store.compare(a2, b0)).toBe('after');
    expect(store.compare(a1, b0)).toBe('concurrent');
    expect(store.compare(c0, a0)).toBe('concurrent');
    expectError(() => store.compare(a0, version('bob', 1)), UnknownVersionError, /\(bob, 1\)/);
  });

  it('contains says whether a version is in the history of a frontier', () => {
    const { store, a0, a1, a2, b0, c0 } = example();
    expect(store.contains([a1], a0)).toBe(true);
    expect(store.contains([a1], a1)).toBe(true);
    expect(store.contains([a1], b0)).toBe(false);
    expect(store.contains([a1, b0], b0)).toBe(true);
    expect(store.contains([a2], b0)).toBe(true);
    expect(store.contains([a2], c0)).toBe(false);
    expect(store.contains([], a0)).toBe(false);
  });

  it('frontierOf keeps the versions no other one follows, sorted by agent then seq', () => {
    const { store, a0, a1, a2, b0, c0 } = example();
    expect(store.frontierOf([b0, a0, a1])).toEqual([a1, b0]);
    expect(store.frontierOf([a2, a0, b0])).toEqual([a2]);
    expect(store.frontierOf([c0, a1, a0])).toEqual([a1, c0]);
    expect(store.frontierOf([])).toEqual([]);
    expect(store.heads).toEqual([a2, c0]);
  });

  it('diff lists the operations only in each history, in history order', () => {
    const { store, a0, a1, a2, b0, c0 } = example();
    expect(store.diff([a1], [b0])).toEqual({ onlyA: [a1], onlyB: [b0] });
    expect(store.diff([a2], [a0])).toEqual({ onlyA: [a1, b0, a2], onlyB: [] });
    expect(store.diff([], [a2, c0])).toEqual({ onlyA: [], onlyB: [a0, a1, b0, a2, c0] });
    expect(store.diff([a2], [a2])).toEqual({ onlyA: [], onlyB: [] });
  });
});

describe('VersionedStore: sync', () => {
  it('summary and operationsMissingFrom: both directions converge', () => {
    const alice = storeOf('alice');
    const bob = storeOf('bob');
    const carol = storeOf('carol');
    alice.put('k', 'a');
    alice.put('k', 'a2');
    bob.putMany([
      ['k', 'b'],
      ['j', 'b'],
    ]);
    carol.put('j', 'c');
    syncBySummary(alice, bob);
    expect(alice.summary()).toEqual([
      { agent: 'alice', ranges: [[0, 2]] },
      { agent: 'bob', ranges: [[0, 1]] },
    ]);
    // The same content, in whatever order each store lists its agents.
    expect(sortedSummary(bob)).toEqual(sortedSummary(alice));
    expect(alice.operationsMissingFrom(bob.summary())).toEqual([]);
    expect(bob.operationsMissingFrom(alice.summary())).toEqual([]);
    expect(carol.operationsMissingFrom(alice.summary())).toEqual([
      operation('carol', 0, [], [['j', 'c']]),
    ]);
    syncBySummary(carol, bob);
    syncBySummary(alice, carol);
    for (const store of [alice, bob, carol]) {
      expect(store.heads).toEqual([version('alice', 1), version('bob', 0), version('carol', 0)]);
      expect(store.frontier).toEqual(store.heads);
      expect(contents(store)).toEqual(contents(alice));
    }
    expect(valuesOf(alice, 'k')).toEqual(['a2', 'b']);
    expect(valuesOf(alice, 'j')).toEqual(['b', 'c']);
  });

  it('recentVersions and operationsSince: both directions converge, sending what is missing', () => {
    const alice = storeOf('alice');
    const bob = storeOf('bob');
    for (let step = 0; step < 5; step++) alice.put(`k${step}`, step);
    syncByHeads(alice, bob);
    expect(bob.heads).toEqual(alice.heads);
    expect(alice.operationsSince(bob.recentVersions())).toEqual([]);
    expect(alice.operationsSince(alice.heads)).toEqual([]);
    for (let step = 0; step < 3; step++) alice.put('k0', `alice ${step}`);
    for (let step = 0; step < 4; step++) bob.put('k1', `bob ${step}`);
    // Each side's recent versions include versions the other knows: only
    // what is missing travels.
    expect(alice.operationsSince(bob.recentVersions()).map((sent) => sent.version)).toEqual([
      version('alice', 5),
      version('alice', 6),
      version('alice', 7),
    ]);
    expect(bob.operationsSince(alice.recentVersions())).toHaveLength(4);
    syncByHeads(alice, bob);
    expect(alice.heads).toEqual(bob.heads);
    expect(contents(alice)).toEqual(contents(bob));
    expect(valuesOf(alice, 'k0')).toEqual(['alice 2']);
    expect(valuesOf(alice, 'k1')).toEqual(['bob 3']);
    expect(alice.recentVersions(1)).toEqual([version('bob', 3)]);
    expect(alice.recentVersions(0)).toEqual([]);
  });

  it('operationsSince ignores versions it does not know, and stays complete', () => {
    const alice = storeOf('alice');
    alice.put('k', 1);
    alice.put('k', 2);
    const sent = alice.operationsSince([version('stranger', 4), version('alice', 0)]);
    expect(sent.map((sentOperation) => sentOperation.version)).toEqual([version('alice', 1)]);
    // A seq beyond what is held means everything of that agent is shared.
    expect(alice.operationsSince([version('alice', 9)])).toEqual([]);
  });

  it('converges under any script of writes, checkouts and syncs by either method', () => {
    const action = fc.oneof(
      fc.record({
        kind: fc.constant('put' as const),
        store: fc.nat({ max: 2 }),
        key: fc.nat({ max: 3 }),
        also: fc.option(fc.nat({ max: 3 }), { nil: undefined }),
      }),
      fc.record({
        kind: fc.constant('sync' as const),
        a: fc.nat({ max: 2 }),
        b: fc.nat({ max: 2 }),
        byHeads: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('checkout' as const),
        store: fc.nat({ max: 2 }),
        pick: fc.nat(),
      }),
      fc.record({ kind: fc.constant('heads' as const), store: fc.nat({ max: 2 }) }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const stores = [storeOf('alice'), storeOf('bob'), storeOf('carol')];
        actions.forEach((step, position) => {
          switch (step.kind) {
            case 'put': {
              const store = stores[step.store];
              if (step.also === undefined || step.also === step.key) {
                store.put(`k${step.key}`, position);
              } else {
                store.putMany([
                  [`k${step.key}`, position],
                  [`k${step.also}`, -position],
                ]);
              }
              break;
            }
            case 'sync': {
              if (step.a === step.b) break;
              const a = stores[step.a];
              const b = stores[step.b];
              if (step.byHeads) syncByHeads(a, b);
              else syncBySummary(a, b);
              expect(a.heads).toEqual(b.heads);
              break;
            }
            case 'checkout': {
              const store = stores[step.store];
              const versions = store.diff(store.heads, []).onlyA;
              if (versions.length > 0) store.checkout([versions[step.pick % versions.length]]);
              break;
            }
            case 'heads':
              stores[step.store].checkout(stores[step.store].heads);
              break;
          }
        });
        const [alice, bob, carol] = stores;
        syncBySummary(alice, bob);
        syncByHeads(carol, alice);
        syncByHeads(bob, carol);
        for (const store of stores) store.checkout(store.heads);
        expect(bob.heads).toEqual(alice.heads);
        expect(carol.heads).toEqual(alice.heads);
        expect(contents(bob)).toEqual(contents(alice));
        expect(contents(carol)).toEqual(contents(alice));
        expect(contents(alice)).toEqual(contents(replayOf(alice, alice.heads)));
      }),
      { seed: 424_242, numRuns: 60 },
    );
  });
});

describe('VersionedStore: applyRemote', () => {
  it('converges from operations in any order: those missing parents wait for them', () => {
    const source = busyHistory(3);
    const operations = allOperations(source);
    expect(operations.length).toBeGreaterThan(30);
    const random = seededRandom(99);
    for (let round = 0; round < 4; round++) {
      const order = shuffled(operations, random);
      const oneByOne = storeOf('target');
      let applied = 0;
      let sawWaiting = false;
      for (const remote of order) {
        const result = oneByOne.applyRemote([remote]);
        expect(result.rejected).toEqual([]);
        expect(result.duplicates).toBe(0);
        applied += result.applied;
        expect(oneByOne.size).toBe(applied);
        expect(oneByOne.waitingCount).toBe(order.indexOf(remote) + 1 - applied);
        if (oneByOne.waitingCount > 0) sawWaiting = true;
      }
      expect(sawWaiting).toBe(true);
      expect(oneByOne.waitingCount).toBe(0);
      expect(oneByOne.heads).toEqual(source.heads);
      expect(oneByOne.frontier).toEqual(source.heads);
      expect(contents(oneByOne)).toEqual(contents(source));

      const inOneBatch = storeOf('target');
      expect(inOneBatch.applyRemote(order)).toMatchObject({
        applied: operations.length,
        duplicates: 0,
        waiting: 0,
        rejected: [],
      });
      expect(inOneBatch.heads).toEqual(source.heads);
      expect(contents(inOneBatch)).toEqual(contents(source));
    }
  });

  it('keeps an operation waiting until its parent arrives, then applies both', () => {
    const source = storeOf('alice');
    const first = source.put('k', 1);
    const second = source.put('k', 2);
    const target = storeOf('bob');
    expect(target.applyRemote([source.operation(second)])).toMatchObject({
      applied: 0,
      duplicates: 0,
      waiting: 1,
      rejected: [],
    });
    expect(target.waitingCount).toBe(1);
    expect(target.size).toBe(0);
    expect(target.get('k')).toEqual([]);
    expect(target.applyRemote([source.operation(first)])).toMatchObject({
      applied: 2,
      duplicates: 0,
      waiting: 0,
      rejected: [],
    });
    expect(target.waitingCount).toBe(0);
    expect(target.get('k')).toEqual([{ version: second, value: 2 }]);
  });

  it('counts in `waiting` only the operations of this batch still waiting', () => {
    const source = storeOf('alice');
    const operations = [0, 1, 2, 3].map((value) => source.operation(source.put('k', value)));
    const target = storeOf('bob');
    expect(target.applyRemote([operations[1]]).waiting).toBe(1);
    // Operation 3 waits; operation 0 arrives and releases 1 (of the earlier batch).
    expect(target.applyRemote([operations[3], operations[0]])).toMatchObject({
      applied: 2,
      duplicates: 0,
      waiting: 1,
      rejected: [],
    });
    expect(target.waitingCount).toBe(1);
    expect(target.applyRemote([operations[2]]).applied).toBe(2);

    // An operation of an earlier batch, released by this one, that waits again
    // for its other parent is not this batch's.
    const bob = storeOf('bob');
    const carol = storeOf('carol');
    const a0 = source.operation(version('alice', 0));
    const b0 = bob.operation(bob.put('j', 'b'));
    carol.applyRemote([a0, b0]);
    const c0 = carol.operation(carol.put('j', 'c'));
    expect(c0.parents).toEqual([a0.version, b0.version]);
    const fresh = storeOf('fresh');
    expect(fresh.applyRemote([c0]).waiting).toBe(1);
    expect(fresh.applyRemote([a0])).toMatchObject({
      applied: 1,
      duplicates: 0,
      waiting: 0,
      rejected: [],
    });
    expect(fresh.waitingCount).toBe(1);
    expect(fresh.applyRemote([b0]).applied).toBe(2);
    expect(fresh.waitingCount).toBe(0);
  });

  it('changes nothing when a known operation arrives again', () => {
    const source = busyHistory(4, 20);
    const operations = allOperations(source);
    const target = storeOf('target');
    target.applyRemote(operations);
    const before = { heads: target.heads, contents: contents(target), size: target.size };
    expect(target.applyRemote(shuffled(operations, seededRandom(2)))).toMatchObject({
      applied: 0,
      duplicates: operations.length,
      waiting: 0,
      rejected: [],
    });
    expect({ heads: target.heads, contents: contents(target), size: target.size }).toEqual(before);

    // Twice in one batch, and again while waiting: duplicates too.
    const more = storeOf('alice');
    const first = more.operation(more.put('x', 1));
    const second = more.operation(more.put('x', 2));
    const fresh = storeOf('fresh');
    expect(fresh.applyRemote([second, second])).toMatchObject({
      applied: 0,
      duplicates: 1,
      waiting: 1,
      rejected: [],
    });
    expect(fresh.applyRemote([second]).duplicates).toBe(1);
    expect(fresh.waitingCount).toBe(1);
    expect(fresh.applyRemote([first, first])).toMatchObject({
      applied: 2,
      duplicates: 1,
      waiting: 0,
      rejected: [],
    });
  });

  it('past the waiting bound, rejects the longest-waiting operation with MissingParentError', () => {
    const source = storeOf('alice');
    const operations = [0, 1, 2, 3].map((value) => source.operation(source.put('k', value)));
    const target = storeOf('bob', { maxWaiting: 2 });
    const result = target.applyRemote([operations[1], operations[2], operations[3]]);
    expect(result.applied).toBe(0);
    expect(result.waiting).toBe(2);
    expect(result.rejected).toHaveLength(1);
    const [error] = result.rejected;
    expect(error).toBeInstanceOf(MissingParentError);
    expect(error).toMatchObject({ agent: 'alice', seq: 1, missing: 'alice:0' });
    expect(error.message).toMatch(/operation \(alice, 1\) was dropped: its parent alice:0/);
    expect(target.waitingCount).toBe(2);

    // Operation 0 applies; 2 still waits for the dropped 1.
    expect(target.applyRemote([operations[0]])).toMatchObject({ applied: 1, waiting: 0 });
    expect(target.waitingCount).toBe(2);
    expect(target.applyRemote([operations[1]])).toMatchObject({
      applied: 3,
      duplicates: 0,
      waiting: 0,
      rejected: [],
    });
    expect(target.waitingCount).toBe(0);
    expect(contents(target)).toEqual(contents(source));
  });

  describe('malformed operations throw MalformedOperationError, and nothing of the batch applies', () => {
    const valid = operation('alice', 0, [], [['k', 1]]);
    const next = operation('alice', 1, [version('alice', 0)], [['k', 2, [version('alice', 0)]]]);
    const withVersion = (agent: unknown, seq: unknown): unknown => ({
      ...next,
      version: { agent, seq },
    });
    const cases: [description: string, malformed: unknown, message: RegExp][] = [
      ['an operation that is not an object', null, /operation is not an object/],
      ['a number for an operation', 42, /operation is not an object/],
      ['a missing version', { ...next, version: undefined }, /version is not a version object/],
      ['an empty agent', withVersion('', 1), /version\.agent is not an agent id/],
      ['an agent of 65 characters', withVersion('a'.repeat(65), 1), /version\.agent/],
      ['an agent that is a number', withVersion(7, 1), /version\.agent/],
      ['a negative seq', withVersion('alice', -1), /version\.seq is not an integer/],
      ['a fractional seq', withVersion('alice', 1.5), /version\.seq/],
      ['a seq that is a string', withVersion('alice', '1'), /version\.seq/],
      [
        'parents that are not an array',
        { ...next, parents: null },
        /alice:1: parents is not an array/,
      ],
      [
        'parents as an object',
        { ...next, parents: { 0: version('alice', 0) } },
        /parents is not an array/,
      ],
      [
        'a malformed parent',
        { ...next, parents: [{ agent: 'alice', seq: -2 }] },
        /alice:1: parents\[0\]\.seq/,
      ],
      [
        'missing writes',
        { version: next.version, parents: next.parents },
        /writes is not a non-empty array/,
      ],
      ['no writes', { ...next, writes: [] }, /alice:1: writes is not a non-empty array/],
      ['a write that is not an object', { ...next, writes: ['k'] }, /writes\[0\] is not an object/],
      [
        'a key that is not a string',
        { ...next, writes: [{ key: 3, value: 1, replaces: [] }] },
        /writes\[0\]\.key is not a string/,
      ],
      [
        'a key written twice',
        {
          ...next,
          writes: [
            { key: 'k', value: 1, replaces: [] },
            { key: 'j', value: 1, replaces: [] },
            { key: 'k', value: 2, replaces: [] },
          ],
        },
        /alice:1: key "k" is written twice/,
      ],
      [
        'replaces that is not an array',
        { ...next, writes: [{ key: 'k', value: 1 }] },
        /writes\[0\]\.replaces is not an array/,
      ],
      [
        'a malformed replaced version',
        { ...next, writes: [{ key: 'k', value: 1, replaces: [{ agent: '', seq: 0 }] }] },
        /writes\[0\]\.replaces\[0\]\.agent/,
      ],
    ];
    it.each(cases)('%s', (_description, malformed, message) => {
      const target = storeOf('bob');
      expectError(
        () => target.applyRemote([valid, malformed as Operation, next]),
        MalformedOperationError,
        message,
      );
      expect(target.size).toBe(0);
      expect(target.waitingCount).toBe(0);
      expect(contents(target)).toEqual({});
      // The store still works.
      expect(target.applyRemote([valid, next]).applied).toBe(2);
    });
  });

  describe('an operation contradicting its history is rejected; the rest of the batch applies', () => {
    const a0 = operation('alice', 0, [], [['x', 'a0']]);
    const b0 = operation('bob', 0, [], [['x', 'b0']]);
    const afterBoth = operation(
      'carol',
      0,
      [version('alice', 0), version('bob', 0)],
      [['x', 'c0', [version('alice', 0), version('bob', 0)]]],
    );
    const cases: [description: string, contradicting: Operation, message: RegExp][] = [
      [
        'it replaces a version that did not write that key',
        operation('dave', 0, [version('alice', 0)], [['y', 'd', [version('alice', 0)]]]),
        /operation dave:0: replaces alice:0, which is not a write of "y" in its history/,
      ],
      [
        'it replaces a version outside its history',
        operation('dave', 0, [version('alice', 0)], [['x', 'd', [version('bob', 0)]]]),
        /dave:0: replaces bob:0, which is not a write of "x" in its history/,
      ],
      [
        'it replaces a version never seen',
        operation('dave', 0, [version('alice', 0)], [['x', 'd', [version('erin', 0)]]]),
        /dave:0: replaces erin:0/,
      ],
      [
        'its agent’s previous operation is not in its history',
        operation('bob', 1, [version('alice', 0)], [['x', 'b1']]),
        /bob:1: its agent's previous operation is not among its ancestors/,
      ],
      [
        'its seq skips',
        operation('alice', 3, [version('alice', 0)], [['x', 'a3', [version('alice', 0)]]]),
        /alice:3: .*seq 3/,
      ],
      [
        'it is a first operation with a seq above 0',
        operation('erin', 2, [version('alice', 0)], [['x', 'e2']]),
        /erin:2: .*seq 2/,
      ],
    ];
    it.each(cases)('%s', (_description, contradicting, message) => {
      const target = storeOf('target');
      const result = target.applyRemote([a0, b0, contradicting, afterBoth]);
      expect(result.applied).toBe(3);
      expect(result.waiting).toBe(0);
      expect(result.rejected).toHaveLength(1);
      const [error] = result.rejected;
      expect(error).toBeInstanceOf(MalformedOperationError);
      expect(error.message).toMatch(message);
      expect(target.waitingCount).toBe(0);
      expect(target.size).toBe(3);
      expectError(
        () => target.operation(contradicting.version),
        UnknownVersionError,
        new RegExp(`\\(${contradicting.version.agent}, ${contradicting.version.seq}\\)`),
      );
      expect(valuesOf(target, 'x')).toEqual(['c0']);
      expect(target.applyRemote([contradicting]).rejected).toHaveLength(1);
    });
  });

  it('moves a store at its heads forward, with its branch; a store checked out elsewhere stays', () => {
    const alice = storeOf('alice');
    const early = alice.put('k', 1);
    alice.put('k', 2);
    const atHeads = storeOf('bob');
    const detached = storeOf('carol');
    const onOldBranch = storeOf('dave');
    for (const store of [atHeads, detached, onOldBranch]) syncBySummary(alice, store);
    const oldHeads = alice.heads;
    detached.checkout([early]);
    onOldBranch.createBranch('old', [early]);
    onOldBranch.checkout('old');
    const detachedContents = contents(detached);
    const oldBranchContents = contents(onOldBranch);

    const latest = alice.put('k', 3);
    alice.put('new', true);
    for (const store of [atHeads, detached, onOldBranch]) {
      store.applyRemote(alice.operationsMissingFrom(store.summary()));
      expect(store.heads).toEqual(alice.heads);
    }

    expect(atHeads.frontier).toEqual(alice.heads);
    expect(atHeads.branch).toBe(MAIN_BRANCH);
    expect(atHeads.listBranches()).toEqual([{ name: MAIN_BRANCH, frontier: alice.heads }]);
    expect(contents(atHeads)).toEqual(contents(alice));

    expect(detached.frontier).toEqual([early]);
    expect(detached.branch).toBeUndefined();
    expect(contents(detached)).toEqual(detachedContents);

    expect(onOldBranch.frontier).toEqual([early]);
    expect(onOldBranch.branch).toBe('old');
    expect(onOldBranch.listBranches()).toEqual([
      { name: MAIN_BRANCH, frontier: oldHeads },
      { name: 'old', frontier: [early] },
    ]);
    expect(contents(onOldBranch)).toEqual(oldBranchContents);

    detached.checkout(detached.heads);
    expect(detached.get('k')).toEqual([{ version: latest, value: 3 }]);
  });
});

describe('VersionedStore: checkout after remote writes that name replaced versions unusually', () => {
  // Validation accepts any write of the key in the writer's history as
  // replaced. Whatever it accepts, a checkout must read as a replay does.

  it('a write naming a version already replaced: undoing it restores only the live sibling', () => {
    const source = storeOf('alice');
    const a0 = source.put('k', 1);
    const a1 = source.put('k', 2);
    const target = storeOf('target');
    target.applyRemote(allOperations(source));
    const result = target.applyRemote([
      operation('mallory', 0, [a1], [['k', 'mallory', [a0, a1]]]),
    ]);
    expect(result.applied).toBe(1);
    expect(valuesOf(target, 'k')).toEqual(['mallory']);
    target.checkout([a1]);
    expect(target.get('k')).toEqual([{ version: a1, value: 2 }]);
    expect(contents(target)).toEqual(contents(replayOf(target, [a1])));
  });

  it('a write that leaves an older sibling in place: undoing a later write restores it', () => {
    const source = storeOf('alice');
    const a0 = source.put('k', 1);
    const target = storeOf('target');
    target.applyRemote(allOperations(source));
    const m0 = version('mallory', 0);
    const b0 = version('bob', 0);
    target.applyRemote([
      operation('mallory', 0, [a0], [['k', 'mallory']]), // names nothing
      operation('bob', 0, [a0], [['k', 'bob', [a0]]]),
    ]);
    expect(target.get('k')).toEqual([
      { version: b0, value: 'bob' },
      { version: m0, value: 'mallory' },
    ]);
    target.checkout([m0]);
    expect(target.get('k')).toEqual([
      { version: a0, value: 1 },
      { version: m0, value: 'mallory' },
    ]);
    expect(contents(target)).toEqual(contents(replayOf(target, [m0])));
  });

  it('reads as a replay at any version when remote writes name any writes of their history', () => {
    const stepArbitrary = fc.record({
      agent: fc.nat({ max: 3 }),
      picks: fc.array(fc.nat(), { maxLength: 2 }),
      keys: fc.uniqueArray(fc.nat({ max: 2 }), { minLength: 1, maxLength: 2 }),
      named: fc.array(fc.boolean(), { minLength: 8, maxLength: 8 }),
    });
    const targetsArbitrary = fc.array(fc.array(fc.nat(), { minLength: 1, maxLength: 3 }), {
      minLength: 1,
      maxLength: 8,
    });
    fc.assert(
      fc.property(
        fc.array(stepArbitrary, { minLength: 1, maxLength: 24 }),
        targetsArbitrary,
        (steps, targets) => {
          // Forge a valid history: linear per agent, each write naming a random
          // subset of the writes of its key in its history.
          const operations: Operation[] = [];
          const histories: Set<number>[] = [];
          const latest = new Map<number, number>();
          for (const { agent, picks, keys, named } of steps) {
            const candidates = picks.map((pick) => pick % Math.max(1, operations.length));
            const previous = latest.get(agent);
            if (previous !== undefined) candidates.push(previous);
            const unique = [...new Set(candidates)].filter((index) => index < operations.length);
            const parents = unique.filter(
              (index) => !unique.some((other) => other !== index && histories[other].has(index)),
            );
            const history = new Set<number>();
            for (const parent of parents) for (const index of histories[parent]) history.add(index);
            const writes = keys.map((keyNumber) => {
              const key = `k${keyNumber}`;
              const written = [...history]
                .sort((left, right) => left - right)
                .filter((index) => operations[index].writes.some((write) => write.key === key));
              const replaces = written
                .filter((_, position) => named[position % named.length])
                .map((index) => operations[index].version);
              return [key, `${agent}:${operations.length}`, replaces] as const;
            });
            const seq = previous === undefined ? 0 : operations[previous].version.seq + 1;
            const parentVersions = parents.map((index) => operations[index].version);
            history.add(operations.length);
            latest.set(agent, operations.length);
            histories.push(history);
            operations.push(operation(`agent-${agent}`, seq, parentVersions, writes));
          }
          const store = storeOf('reader');
          expect(store.applyRemote(operations)).toMatchObject({
            applied: operations.length,
            rejected: [],
          });
          for (const picks of targets) {
            const target = picks.map((pick) => operations[pick % operations.length].version);
            store.checkout(target); // the invariant checker compares with a replay
            expect(contents(store)).toEqual(contents(replayOf(store, target)));
          }
          store.checkout(store.heads);
        },
      ),
      { seed: 77, numRuns: 200 },
    );
  });
});
