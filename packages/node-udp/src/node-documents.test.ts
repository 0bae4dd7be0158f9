import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isVigError } from '@vig/crdt-core';
import type { Operation, Version } from '@vig/crdt-core';
import { afterEach, describe, expect, it } from 'vitest';
import { rejectionOf } from '../test/rejection-of.js';
import { testNodes } from '../test/test-nodes.js';
import type { DocumentsChange, DocumentsCheckout } from './document-events.js';
import { AGENT_ID_FILE, AGENT_RUNNING_FILE } from './node-agent-id.js';
import { NodeStoppedError } from './node-errors.js';

const testing = testNodes('vig-docs-');
afterEach(() => testing.cleanup());

/** The values of a key's siblings, in sibling order. */
function valuesOf(siblings: readonly { readonly value: unknown }[]): unknown[] {
  return siblings.map((sibling) => sibling.value);
}

/** The values an operation writes to `key`. */
function written(operations: readonly Operation[], key: string): unknown[] {
  return operations.map((operation) => operation.writes.find((write) => write.key === key)?.value);
}

describe('node.docs', () => {
  it('writes, reads and keeps history; a write on an old version makes siblings', async () => {
    const node = await testing.open();
    const draft = await node.docs.put('title', 'Draft');
    expect(draft).toEqual({ agent: node.docs.agent, seq: 0 });
    const final = await node.docs.putMany([
      ['title', 'Final'],
      ['body', 'Hello'],
    ]);
    expect(final.seq).toBe(1);
    expect(node.docs.get('title')).toEqual([{ version: final, value: 'Final' }]);
    expect(node.docs.keys()).toEqual(['body', 'title']);
    expect(node.docs.currentBranch).toBe('main');

    await node.docs.checkout([draft]);
    expect(valuesOf(node.docs.get('title'))).toEqual(['Draft']);
    expect(node.docs.get('body')).toEqual([]);
    expect(node.docs.currentBranch).toBeUndefined();
    // A write on an old version: a new agent, concurrent with `final`.
    const other = await node.docs.put('title', 'Other');
    expect(other.agent).not.toBe(draft.agent);
    await node.docs.checkout(node.docs.heads);
    expect(valuesOf(node.docs.get('title'))).toEqual(
      [final, other]
        .sort((left, right) => (left.agent < right.agent ? -1 : 1))
        .map((version) => (version === final ? 'Final' : 'Other')),
    );
    const agreed = await node.docs.put('title', 'Agreed');
    expect(valuesOf(node.docs.get('title'))).toEqual(['Agreed']);
    expect(node.docs.frontier).toEqual([agreed]);
    expect(node.docs.heads).toEqual([agreed]);
    // The branch `main` stayed where it was when the store left it.
    await node.docs.checkout('main');
    expect(valuesOf(node.docs.get('title'))).toEqual(['Final']);
  });

  it('lists the log newest first, by key, a page at a time, within the checked-out history', async () => {
    const node = await testing.open();
    const versions: Version[] = [];
    for (let index = 0; index < 7; index++) {
      versions.push(await node.docs.put(index % 2 === 0 ? 'even' : 'odd', index));
    }
    expect(written(node.docs.log(), 'even')).toEqual([6, undefined, 4, undefined, 2, undefined, 0]);
    expect(written(node.docs.log('even'), 'even')).toEqual([6, 4, 2, 0]);
    const firstPage = node.docs.log('odd', { limit: 2 });
    expect(written(firstPage, 'odd')).toEqual([5, 3]);
    const before = firstPage[1]?.version;
    expect(
      written(node.docs.log('odd', { limit: 2, ...(before ? { before } : {}) }), 'odd'),
    ).toEqual([1]);
    expect(node.docs.log(undefined, { limit: 1, before: versions[1] })).toEqual([
      { version: versions[0], parents: [], writes: [{ key: 'even', value: 0, replaces: [] }] },
    ]);
    // Checked out at version 3, the log is that version's history; `all` lists everything.
    await node.docs.checkout([versions[3]]);
    expect(node.docs.log().map((operation) => operation.version.seq)).toEqual([3, 2, 1, 0]);
    expect(node.docs.log(undefined, { all: true })).toHaveLength(7);
    expect(() => node.docs.log(undefined, { limit: 0 })).toThrow(
      /limit is 0: expected a positive integer/,
    );
    expect(() => node.docs.log(undefined, { before: { agent: node.docs.agent, seq: 99 } })).toThrow(
      /unknown|not known/i,
    );
  });

  it('names versions with branches, and tells listeners of changes and checkouts', async () => {
    const node = await testing.open();
    const changes: DocumentsChange[] = [];
    const checkouts: DocumentsCheckout[] = [];
    node.docs.on('change', (change) => changes.push(change));
    const stop = node.docs.on('checkout', (checkout) => checkouts.push(checkout));
    const first = await node.docs.putMany([
      ['a', 1],
      ['b', 2],
    ]);
    await node.docs.branch('v1');
    await node.docs.put('a', 3);
    await node.docs.branch('old', [first]);
    expect(node.docs.branches().map((branch) => branch.name)).toEqual(['main', 'old', 'v1']);
    await node.docs.checkout('v1');
    expect(valuesOf(node.docs.get('a'))).toEqual([1]);
    stop();
    await node.docs.checkout('main');
    await node.docs.deleteBranch('old');
    expect(node.docs.branches().map((branch) => branch.name)).toEqual(['main', 'v1']);
    expect(changes.map((change) => change.keys)).toEqual([['a', 'b'], ['a']]);
    expect(changes[0]?.operations[0]?.version).toEqual(first);
    expect(checkouts).toEqual([{ branch: 'v1', frontier: [first] }]);
    await expect(node.docs.checkout('nowhere')).rejects.toThrow(/nowhere/);
    await expect(node.docs.deleteBranch('nowhere')).rejects.toThrow(/nowhere/);
  });

  it('reads values as every replica does: a plain object comes back as a Map', async () => {
    const node = await testing.open();
    await node.docs.put('profile', { name: 'Ada', tags: ['x'], 1: true });
    const [sibling] = node.docs.get('profile');
    expect(sibling?.value).toEqual(
      new Map<unknown, unknown>([
        ['1', true],
        ['name', 'Ada'],
        ['tags', ['x']],
      ]),
    );
    await node.docs.put('bytes', new Uint8Array([1, 2]));
    expect(node.docs.get('bytes')[0]?.value).toEqual(new Uint8Array([1, 2]));
  });

  it('refuses what it cannot keep, writes after stop, and every call with docs: false', async () => {
    const node = await testing.open();
    const longKey = await rejectionOf(() => node.docs.put('k'.repeat(1025), 1));
    expect(isVigError(longKey, 'DocWriteEncodeError')).toBe(true);
    const surrogate = await rejectionOf(() => node.docs.put('\udc00', 1));
    expect(isVigError(surrogate, 'DocWriteEncodeError')).toBe(true);
    const undefinedValue = await rejectionOf(() => node.docs.put('k', undefined));
    expect(isVigError(undefinedValue, 'DocWriteEncodeError')).toBe(true);
    const empty = await rejectionOf(() => node.docs.putMany([]));
    expect(isVigError(empty, 'DocumentArgumentError')).toBe(true);
    const twice = await rejectionOf(() =>
      node.docs.putMany([
        ['k', 1],
        ['k', 2],
      ]),
    );
    expect(isVigError(twice, 'MalformedOperationError')).toBe(true);
    const badName = await rejectionOf(() => node.docs.branch('\ud800'));
    expect(isVigError(badName, 'DocumentArgumentError')).toBe(true);
    expect((badName as Error).message).toBe(
      'branch name holds a lone surrogate: expected well-formed UTF-16 text',
    );
    expect(node.docs.log()).toEqual([]);
    await node.stop();
    await expect(node.docs.put('k', 1)).rejects.toBeInstanceOf(NodeStoppedError);
    await expect(node.docs.checkout('main')).rejects.toBeInstanceOf(NodeStoppedError);

    const off = await testing.open({ docs: false });
    expect(off.docs.enabled).toBe(false);
    const refused = await rejectionOf(() => off.docs.put('k', 1));
    expect(isVigError(refused, 'DocumentsDisabledError')).toBe(true);
    expect(() => off.docs.get('k')).toThrow(/docs: false: cannot docs.get/);
    expect(() => off.docs.heads).toThrow(/docs: false/);
  });
});

describe('node.docs across restarts', () => {
  it('keeps history, values, branches and the checkout; goes on as the same agent', async () => {
    const dataDir = await testing.directory();
    const first = await testing.open({ dataDir });
    const agent = first.docs.agent;
    const draft = await first.docs.put('title', 'Draft');
    await first.docs.putMany([
      ['title', 'Final'],
      ['meta', { pages: 3 }],
    ]);
    await first.docs.branch('draft', [draft]);
    await first.docs.checkout('draft');
    await first.docs.branch('review');
    await first.stop();
    expect((await readFile(join(dataDir, AGENT_ID_FILE), 'utf8')).trim()).toBe(agent);

    const second = await testing.open({ dataDir });
    expect(second.docs.agent).toBe(agent);
    expect(second.docs.currentBranch).toBe('draft');
    expect(valuesOf(second.docs.get('title'))).toEqual(['Draft']);
    expect(second.docs.branches().map((branch) => branch.name)).toEqual([
      'draft',
      'main',
      'review',
    ]);
    expect(second.metrics().storage).toMatchObject({ loadedOperations: 2, skippedRecords: 0 });
    expect(written(second.docs.log(undefined, { all: true }), 'title')).toEqual(['Final', 'Draft']);
    await second.docs.checkout('main');
    expect(valuesOf(second.docs.get('title'))).toEqual(['Final']);
    expect(second.docs.get('meta')[0]?.value).toEqual(new Map([['pages', 3]]));
    // Its seqs go on from where they were.
    expect(await second.docs.put('title', 'Third')).toEqual({ agent, seq: 2 });
    // A detached checkout, and a write there, survive too.
    await second.docs.checkout([draft]);
    const aside = await second.docs.put('title', 'Aside');
    expect(aside.agent).not.toBe(agent);
    await second.stop();

    const third = await testing.open({ dataDir });
    expect(third.docs.agent).toBe(aside.agent);
    expect(third.docs.currentBranch).toBeUndefined();
    expect(third.docs.frontier).toEqual([aside]);
    expect(valuesOf(third.docs.get('title'))).toEqual(['Aside']);
    expect(await third.docs.put('title', 'After')).toEqual({ agent: aside.agent, seq: 1 });
    await third.docs.checkout('main');
    expect(valuesOf(third.docs.get('title'))).toEqual(['Third']);
  });

  it('writes as a fresh agent after a run that did not stop cleanly, and says so', async () => {
    const dataDir = await testing.directory();
    const first = await testing.open({ dataDir });
    const agent = first.docs.agent;
    await first.docs.put('k', 1);
    await first.stop();
    // What a crash leaves behind: the marker of a run in progress.
    await writeFile(join(dataDir, AGENT_RUNNING_FILE), '1\n');
    const warnings: string[] = [];
    const second = await testing.open({
      dataDir,
      onWarning: (message) => warnings.push(message),
    });
    expect(second.docs.agent).not.toBe(agent);
    expect(warnings.join('\n')).toContain(`not ${agent}`);
    expect(valuesOf(second.docs.get('k'))).toEqual([1]);
    expect(await second.docs.put('k', 2)).toEqual({ agent: second.docs.agent, seq: 0 });
    await second.stop();
    const third = await testing.open({ dataDir });
    expect(third.docs.agent).toBe(second.docs.agent);
  });
});
