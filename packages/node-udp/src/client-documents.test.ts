import { VersionedStore, agentId, isVigError } from '@vig/crdt-core';
import type { Version } from '@vig/crdt-core';
import { afterEach, describe, expect, it } from 'vitest';
import {
  VIG_PROTOCOL_VERSION,
  createPartAssembler,
  decodeDocMessage,
  encodeOperations,
  splitDocMessage,
} from '@vig/wire';
import type { DocAnswer, DocMessage, DocRequest } from '@vig/wire';
import { createClient } from './client.js';
import type { VigClient } from './client.js';
import { DocumentRequestError, NoAnswerError } from './client-errors.js';
import { createUdpTransport } from './udp-transport.js';
import type { UdpTransport } from './udp-transport.js';

const clients: VigClient[] = [];
const transports: UdpTransport[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(transports.splice(0).map((transport) => transport.close()));
});

/** What a scripted node answers a request with (undefined: nothing, as a node that is not there). */
type Script = (request: DocRequest) => Omit<DocAnswer, 'vig' | 'request'> | undefined;

/**
 * A stand-in for a node's answers to documents requests, over a real UDP
 * socket: it reassembles requests sent in parts, answers as `script` says
 * (cut to datagrams), and records every request it received.
 */
async function scriptedNode(
  bind: string,
  script: Script,
): Promise<{
  readonly address: string;
  readonly requests: DocRequest[];
}> {
  const transport = await createUdpTransport({ bind, onWarning: () => undefined });
  transports.push(transport);
  const requests: DocRequest[] = [];
  const assembler = createPartAssembler({
    maxMessageBytes: 1 << 22,
    maxMessages: 8,
    maxBufferedBytes: 1 << 23,
    timeout: 10_000,
  });
  const handle = (message: DocMessage, from: string): void => {
    if (message.kind === 'part') {
      const outcome = assembler.add(from, message, performance.now());
      if (outcome.kind !== 'complete') return;
      const whole = decodeDocMessage(outcome.bytes);
      if (whole.ok) handle(whole.doc, from);
      return;
    }
    if (!['put', 'get', 'log', 'checkout', 'branch'].includes(message.kind)) return;
    const request = message as DocRequest;
    requests.push(request);
    const answer = script(request);
    if (answer === undefined) return;
    const full = { ...answer, request: request.request, vig: VIG_PROTOCOL_VERSION } as DocAnswer;
    for (const datagram of splitDocMessage(full, 1400)) {
      transport.send(from as never, datagram);
    }
  };
  transport.onReceive((bytes, from) => {
    const decoded = decodeDocMessage(bytes);
    if (decoded.ok) handle(decoded.doc, from);
  });
  return { address: transport.localAddress, requests };
}

async function openClient(nodes: string[], timeout = 300): Promise<VigClient> {
  const client = await createClient({ nodes, timeout, onWarning: () => undefined });
  clients.push(client);
  return client;
}

const alice = agentId('alice');

describe('client.docs', () => {
  it('puts, gets, pages the log, checks out and branches through a node', async () => {
    const history = new VersionedStore({ agent: alice });
    for (let index = 0; index < 300; index++) history.put(`key:${index % 7}`, 'x'.repeat(40));
    const operations = history.operationsSince([]).reverse();
    const node = await scriptedNode('127.0.0.31:0', (request) => {
      switch (request.kind) {
        case 'put':
          return { kind: 'written', version: { agent: alice, seq: 300 } };
        case 'get':
          return {
            kind: 'siblings',
            key: request.key,
            siblings: [{ version: { agent: alice, seq: 1 }, value: new Map([['a', 1]]) }],
          };
        case 'log': {
          const start = request.cursor ?? 0;
          const page = operations.slice(start, start + request.limit);
          const next = start + page.length;
          return {
            kind: 'history',
            batch: encodeOperations(page),
            ...(next < operations.length ? { cursor: next } : {}),
          };
        }
        case 'checkout':
          return typeof request.target === 'string' && request.target !== 'main'
            ? { kind: 'failed', code: 'unknown-branch', message: `no branch ${request.target}` }
            : { kind: 'frontier', frontier: [{ agent: alice, seq: 3 }], branch: 'main' };
        case 'branch':
          return { kind: 'frontier', frontier: [{ agent: alice, seq: 3 }], branch: request.name };
        default:
          return undefined;
      }
    });
    const client = await openClient([node.address]);

    const parents: Version[] = [{ agent: alice, seq: 1 }];
    expect(await client.docs.put('title', 'y'.repeat(5000), { parents })).toEqual({
      agent: alice,
      seq: 300,
    });
    // A value larger than a datagram went in parts, and arrived whole.
    expect(node.requests[0]).toMatchObject({ kind: 'put', key: 'title', parents, client: true });
    expect((node.requests[0] as { value: string }).value).toHaveLength(5000);
    expect(await client.docs.get('title')).toEqual([
      { version: { agent: alice, seq: 1 }, value: new Map([['a', 1]]) },
    ]);

    // A page of 256 operations is many datagrams, reassembled; the cursor pages on.
    const first = await client.docs.log(undefined, { limit: 256 });
    expect(first.operations).toHaveLength(256);
    expect(first.operations[0]?.version).toEqual({ agent: alice, seq: 299 });
    expect(first.cursor).toBe(256);
    const second = await client.docs.log('key:0', { cursor: first.cursor ?? 0 });
    expect(second.operations).toHaveLength(44);
    expect(second.cursor).toBeUndefined();
    expect(node.requests.at(-1)).toMatchObject({
      kind: 'log',
      key: 'key:0',
      cursor: 256,
      limit: 100,
    });

    expect(await client.docs.checkout('main')).toEqual({
      frontier: [{ agent: alice, seq: 3 }],
      branch: 'main',
    });
    expect(await client.docs.branch('release')).toEqual({
      frontier: [{ agent: alice, seq: 3 }],
      branch: 'release',
    });
    const refused = await client.docs.checkout('nowhere').catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(DocumentRequestError);
    expect(refused).toMatchObject({ code: 'unknown-branch', node: node.address });
    expect((refused as Error).message).toContain('no branch nowhere');
  });

  it('sends a put once to each node, reads again while unanswered, then tries the next node', async () => {
    const silent = await scriptedNode('127.0.0.32:0', () => undefined);
    const answering = await scriptedNode('127.0.0.33:0', (request) =>
      request.kind === 'put'
        ? { kind: 'written', version: { agent: alice, seq: 0 } }
        : { kind: 'siblings', key: 'k', siblings: [] },
    );
    const client = await openClient([silent.address, answering.address]);
    expect(await client.docs.put('k', 1)).toEqual({ agent: alice, seq: 0 });
    expect(silent.requests.filter((request) => request.kind === 'put')).toHaveLength(1);
    expect(answering.requests).toHaveLength(1);
    // The answering node is asked first from now on.
    expect(await client.docs.get('k')).toEqual([]);
    expect(silent.requests).toHaveLength(1);

    const alone = await openClient([silent.address], 300);
    const failure = await alone.docs.get('k').catch((error: unknown) => error);
    expect(isVigError(failure, NoAnswerError.name)).toBe(true);
    // Sent, then sent again twice within the timeout.
    expect(silent.requests.filter((request) => request.kind === 'get')).toHaveLength(3);
  });

  it('refuses what it cannot send before sending anything', async () => {
    const node = await scriptedNode('127.0.0.34:0', () => undefined);
    const client = await openClient([node.address]);
    const failure = await client.docs.put('k', () => 1).catch((error: unknown) => error);
    expect(isVigError(failure, 'InvalidDocFieldError')).toBe(true);
    expect(node.requests).toEqual([]);
  });
});
