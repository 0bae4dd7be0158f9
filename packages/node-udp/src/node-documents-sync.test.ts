import { afterEach, describe, expect, it } from 'vitest';
import { allAlive } from '../test/all-alive.js';
import { settle } from '../test/settle.js';
import { testNodes } from '../test/test-nodes.js';
import { createClient } from './client.js';
import type { VigClient } from './client.js';
import { DocumentRequestError } from './client-errors.js';
import type { DocumentsChange } from './document-events.js';
import type { VigNode } from './vig-node.js';

const testing = testNodes('vig-docs-sync-');
const clients: VigClient[] = [];
afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await testing.cleanup();
});

/** Two started nodes on their own loopback addresses, each with a data directory, seeing each other. */
async function pair(first: string, second: string): Promise<[VigNode, VigNode, string]> {
  const one = await testing.open({ bind: `${first}:0`, dataDir: await testing.directory() });
  const secondDirectory = await testing.directory();
  const other = await testing.open({
    bind: `${second}:0`,
    dataDir: secondDirectory,
    seeds: [one.address],
  });
  one.start();
  other.start();
  await settle(() => allAlive([one, other]));
  return [one, other, secondDirectory];
}

function values(node: VigNode, key: string): unknown[] {
  return node.docs.get(key).map((sibling) => sibling.value);
}

describe('versioned documents between two nodes', () => {
  it('keeps concurrent writes as siblings on both, until a write naming both resolves them', async () => {
    const [alice, bob] = await pair('127.0.0.41', '127.0.0.42');
    const heard: DocumentsChange[] = [];
    bob.docs.on('change', (change) => heard.push(change));
    // Written in the same turn: neither node has seen the other's write.
    const [fromAlice, fromBob] = await Promise.all([
      alice.docs.put('title', 'Alice'),
      bob.docs.put('title', 'Bob'),
    ]);
    await settle(() => values(alice, 'title').length === 2 && values(bob, 'title').length === 2);
    // The same siblings, in the same order, on both.
    expect(alice.docs.get('title')).toEqual(bob.docs.get('title'));
    expect(values(alice, 'title').sort()).toEqual(['Alice', 'Bob']);
    expect(
      heard.some((change) => change.operations.some((op) => op.version.agent === fromAlice.agent)),
    ).toBe(true);

    const agreed = await bob.docs.put('title', 'Agreed');
    const merge = bob.docs.log('title', { limit: 1 })[0];
    expect(merge?.writes[0]?.replaces).toEqual(
      [fromAlice, fromBob].sort((left, right) => (left.agent < right.agent ? -1 : 1)),
    );
    await settle(
      () => values(alice, 'title').length === 1 && values(alice, 'title')[0] === 'Agreed',
    );
    expect(alice.docs.heads).toEqual([agreed]);
    expect(bob.docs.heads).toEqual([agreed]);
    expect(alice.metrics().docs?.operationsReceived).toBeGreaterThanOrEqual(2);
  });

  it('keeps what it received from a peer across a restart', async () => {
    const [alice, bob, dataDir] = await pair('127.0.0.43', '127.0.0.44');
    await alice.docs.putMany([
      ['a', 1],
      ['b', 2],
    ]);
    await settle(() => values(bob, 'b')[0] === 2);
    await bob.stop();
    const restarted = await testing.open({ bind: '127.0.0.44:0', dataDir });
    expect(values(restarted, 'a')).toEqual([1]);
    expect(restarted.docs.heads).toEqual(alice.docs.heads);
    expect(restarted.metrics().storage.loadedOperations).toBe(1);
  });
});

describe('client.docs against a real node', () => {
  it('writes, reads, pages the log, checks out and branches; resolves siblings by naming them', async () => {
    const [alice, bob] = await pair('127.0.0.45', '127.0.0.46');
    const client = await createClient({ nodes: [alice.address], onWarning: () => undefined });
    clients.push(client);

    const first = await client.docs.put('title', 'Draft');
    expect(first.agent).toBe(alice.docs.agent);
    expect(await client.docs.get('title')).toEqual([{ version: first, value: 'Draft' }]);
    await settle(() => values(bob, 'title')[0] === 'Draft');
    // A write on bob concurrent with one through the client: siblings, then resolved by the client.
    await Promise.all([bob.docs.put('title', 'Bob'), client.docs.put('title', 'Client')]);
    await settle(() => values(alice, 'title').length === 2);
    const siblings = await client.docs.get('title');
    expect(siblings.map((sibling) => sibling.value).sort()).toEqual(['Bob', 'Client']);
    const resolved = await client.docs.put('title', 'Final', {
      parents: siblings.map((sibling) => sibling.version),
    });
    await settle(() => values(bob, 'title').length === 1 && values(bob, 'title')[0] === 'Final');
    expect(bob.docs.heads).toEqual([resolved]);

    const page = await client.docs.log('title', { limit: 2 });
    expect(page.operations.map((operation) => operation.writes[0]?.value)).toEqual([
      'Final',
      expect.any(String),
    ]);
    expect(page.cursor).toBeDefined();
    const rest = await client.docs.log('title', { cursor: page.cursor ?? 0 });
    expect(rest.operations.length).toBe(2);

    expect(await client.docs.branch('release')).toEqual({
      frontier: [resolved],
      branch: 'release',
    });
    expect(await client.docs.checkout([first])).toEqual({ frontier: [first] });
    expect((await client.docs.get('title'))[0]?.value).toBe('Draft');
    // The node's own view moved with it, and so did what it stored.
    expect(alice.docs.currentBranch).toBeUndefined();
    expect(alice.docs.branches().map((branch) => branch.name)).toEqual(['main', 'release']);
    expect(await client.docs.checkout('release')).toEqual({
      frontier: [resolved],
      branch: 'release',
    });
    const refused = await client.docs.checkout('nowhere').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DocumentRequestError);
    expect(refused).toMatchObject({ code: 'unknown-branch' });
  });

  it('hears no-docs from a node without documents', async () => {
    const node = await testing.open({ bind: '127.0.0.47:0', docs: false });
    node.start();
    const client = await createClient({ nodes: [node.address], onWarning: () => undefined });
    clients.push(client);
    const refused = await client.docs.get('k').catch((error: unknown) => error);
    expect(refused).toMatchObject({ name: 'DocumentRequestError', code: 'no-docs' });
  });
});
