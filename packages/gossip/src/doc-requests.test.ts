import { VersionedStore, agentId, seededRandom } from '@vig/crdt-core';
import type { Version } from '@vig/crdt-core';
import {
  VIG_PROTOCOL_VERSION,
  createPartAssembler,
  decodeDatagram,
  decodeDocMessage,
  decodeOperations,
  splitDocMessage,
} from '@vig/wire';
import type { DocAnswer, DocMessage, DocRequest } from '@vig/wire';
import { describe, expect, it } from 'vitest';
import { LOCAL_GOSSIP } from './gossip-config.js';
import { createGossipNode } from './gossip-node.js';
import type { GossipNode } from './gossip-node.js';
import { LOCAL_MEMBERSHIP } from './membership-config.js';
import { createSimulatedNetwork } from './testing/index.js';
import type { SimulatedNetwork } from './testing/index.js';
import { peerAddress } from './transport.js';
import type { Transport } from './transport.js';

/** What a client request is, before the client adds its envelope. */
type RequestBody = DocRequest extends infer Request
  ? Request extends DocRequest
    ? Omit<Request, 'vig' | 'client'>
    : never
  : never;

/** A node with a versioned store, and a client talking to it over the simulated network. */
function setup(docs = true): {
  network: SimulatedNetwork;
  node: GossipNode;
  ask: (request: RequestBody) => DocAnswer;
  client: Transport;
} {
  const network = createSimulatedNetwork({ seed: 1, defaults: { delay: 1 } });
  const node = createGossipNode({
    ...LOCAL_GOSSIP,
    transport: network.transport('127.0.0.1:7946'),
    scheduler: network.scheduler,
    random: seededRandom(2),
    membership: LOCAL_MEMBERSHIP,
    ...(docs
      ? { docs: new VersionedStore({ agent: agentId('node'), random: seededRandom(3) }) }
      : {}),
  });
  node.start();
  const client = network.transport('127.0.0.9:50000');
  const assembler = createPartAssembler({
    maxMessageBytes: 1 << 20,
    maxMessages: 8,
    maxBufferedBytes: 1 << 22,
    timeout: 1000,
  });
  const answers: DocMessage[] = [];
  client.onReceive((bytes, from) => {
    const decoded = decodeDatagram(bytes);
    if (!decoded.ok || decoded.kind !== 'doc') return;
    if (decoded.doc.kind !== 'part') {
      answers.push(decoded.doc);
      return;
    }
    const outcome = assembler.add(from, decoded.doc, network.scheduler.now());
    if (outcome.kind !== 'complete') return;
    const whole = decodeDocMessage(outcome.bytes);
    if (whole.ok) answers.push(whole.doc);
  });
  let next = 0;
  const ask = (body: RequestBody): DocAnswer => {
    const request = { ...body, request: (next += 1), vig: VIG_PROTOCOL_VERSION, client: true };
    for (const datagram of splitDocMessage(request)) {
      client.send(node.address, datagram);
    }
    network.scheduler.advance(50);
    const answer = answers.find(
      (message) => 'request' in message && message.request === request.request,
    );
    if (answer === undefined) throw new Error(`no answer to ${body.kind}`);
    return answer as DocAnswer;
  };
  return { network, node, ask, client };
}

describe('doc requests from a client', () => {
  it('puts, gets, and reads the log newest first, a page at a time', () => {
    const { node, ask } = setup();
    const first = ask({ kind: 'put', request: 0, key: 'title', value: 'Draft' });
    expect(first).toMatchObject({ kind: 'written', version: { agent: 'node', seq: 0 } });
    ask({ kind: 'put', request: 0, key: 'body', value: new Map([['words', 3]]) });
    ask({ kind: 'put', request: 0, key: 'title', value: 'Final' });
    const got = ask({ kind: 'get', request: 0, key: 'title' });
    expect(got).toMatchObject({
      kind: 'siblings',
      key: 'title',
      siblings: [{ version: { agent: 'node', seq: 2 }, value: 'Final' }],
    });
    expect(ask({ kind: 'get', request: 0, key: 'missing' })).toMatchObject({ siblings: [] });

    const page = ask({ kind: 'log', request: 0, limit: 2 });
    if (page.kind !== 'history') throw new Error(page.kind);
    const decoded = decodeOperations(page.batch);
    if (!decoded.ok) throw decoded.error;
    expect(decoded.operations.map(({ version }) => version.seq)).toEqual([2, 1]);
    expect(page.cursor).toBe(1);
    const rest = ask({ kind: 'log', request: 0, limit: 2, cursor: page.cursor ?? 0 });
    if (rest.kind !== 'history') throw new Error(rest.kind);
    const older = decodeOperations(rest.batch);
    expect(older.ok && older.operations.map(({ version }) => version.seq)).toEqual([0]);
    expect(rest.cursor).toBeUndefined();

    const titles = ask({ kind: 'log', request: 0, limit: 10, key: 'title' });
    if (titles.kind !== 'history') throw new Error(titles.kind);
    const titled = decodeOperations(titles.batch);
    expect(titled.ok && titled.operations.map(({ version }) => version.seq)).toEqual([2, 0]);
    expect(node.docs?.metrics().requests).toMatchObject({ put: 3, get: 2, log: 3 });
    node.stop();
  });

  it('writes on the versions read: a concurrent write stays a sibling', () => {
    const { node, ask } = setup();
    ask({ kind: 'put', request: 0, key: 'k', value: 1 });
    const read = ask({ kind: 'get', request: 0, key: 'k' });
    if (read.kind !== 'siblings') throw new Error(read.kind);
    const parents = read.siblings.map(({ version }) => version);
    node.docs?.put('k', 'someone else');
    ask({ kind: 'put', request: 0, key: 'k', value: 'client', parents });
    const now = ask({ kind: 'get', request: 0, key: 'k' });
    expect(now.kind === 'siblings' && now.siblings.map(({ value }) => value).sort()).toEqual([
      'client',
      'someone else',
    ]);
    node.stop();
  });

  it('checks out versions and branches, creates branches, and says what failed', () => {
    const { node, ask } = setup();
    const draft = ask({ kind: 'put', request: 0, key: 'title', value: 'Draft' });
    if (draft.kind !== 'written') throw new Error(draft.kind);
    ask({ kind: 'put', request: 0, key: 'title', value: 'Final' });
    expect(ask({ kind: 'branch', request: 0, name: 'release' })).toMatchObject({
      kind: 'frontier',
      frontier: [{ agent: 'node', seq: 1 }],
      branch: 'release',
    });
    expect(ask({ kind: 'checkout', request: 0, target: [draft.version] })).toEqual(
      expect.objectContaining({ kind: 'frontier', frontier: [draft.version] }),
    );
    expect(ask({ kind: 'get', request: 0, key: 'title' })).toMatchObject({
      siblings: [{ value: 'Draft' }],
    });
    expect(ask({ kind: 'checkout', request: 0, target: 'release' })).toMatchObject({
      branch: 'release',
    });
    expect(node.docs?.store.get('title')[0]?.value).toBe('Final');
    const unknown: Version = { agent: agentId('nobody'), seq: 4 };
    expect(ask({ kind: 'checkout', request: 0, target: [unknown] })).toMatchObject({
      kind: 'failed',
      code: 'unknown-version',
    });
    expect(ask({ kind: 'checkout', request: 0, target: 'nope' })).toMatchObject({
      kind: 'failed',
      code: 'unknown-branch',
    });
    expect(ask({ kind: 'put', request: 0, key: 'k', value: 1, parents: [unknown] })).toMatchObject({
      kind: 'failed',
      code: 'unknown-version',
    });
    node.stop();
  });

  it('answers a large read in parts, and a node without docs with no-docs', () => {
    const { node, ask } = setup();
    const big = 'z'.repeat(10_000);
    ask({ kind: 'put', request: 0, key: 'blob', value: big });
    expect(ask({ kind: 'get', request: 0, key: 'blob' })).toMatchObject({
      siblings: [{ value: big }],
    });
    expect(node.docs?.metrics().sent.siblings?.datagrams).toBeGreaterThanOrEqual(8);
    node.stop();

    const bare = setup(false);
    expect(bare.ask({ kind: 'get', request: 0, key: 'k' })).toMatchObject({
      kind: 'failed',
      code: 'no-docs',
    });
    bare.node.stop();
  });

  it('counts a replication message reaching a node without docs, and answers nothing', () => {
    const { network, node, client } = setup(false);
    const [digest] = splitDocMessage({
      kind: 'digest',
      digest: { count: 1, low: 2, high: 3 },
      vig: VIG_PROTOCOL_VERSION,
    });
    const heard: Uint8Array[] = [];
    client.onReceive((bytes) => heard.push(bytes));
    client.send(peerAddress('127.0.0.1:7946'), digest);
    network.scheduler.advance(50);
    expect(node.metrics().drops['docs-disabled']).toBe(1);
    expect(heard.filter((bytes) => bytes[1] === 0xa3 && bytes[2] === 0x64)).toEqual([]);
    node.stop();
  });
});
