import { isVigError } from '@vig/crdt-core';
import { LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '@vig/gossip';
import { afterEach, describe, expect, it } from 'vitest';
import { createClient } from './client.js';
import type { VigClient } from './client.js';
import { ClientClosedError, ClientOptionsError, NoAnswerError } from './client-errors.js';
import { defaultBind } from './client-options.js';
import { createUdpTransport } from './udp-transport.js';
import { createNode } from './vig-node.js';
import type { VigNode } from './vig-node.js';
import { settle } from '../test/settle.js';

const nodes: VigNode[] = [];
const clients: VigClient[] = [];

afterEach(async () => {
  await Promise.all(clients.splice(0).map((client) => client.close()));
  await Promise.all(nodes.splice(0).map((node) => node.stop()));
});

async function startNode(bind: string, seeds: string[] = []): Promise<VigNode> {
  const node = await createNode({
    bind,
    seeds,
    memory: true,
    membership: LOCAL_MEMBERSHIP,
    gossip: LOCAL_GOSSIP,
    onWarning: () => undefined,
  });
  nodes.push(node);
  node.start();
  return node;
}

async function openClient(nodeAddresses: string[], timeout?: number): Promise<VigClient> {
  const client = await createClient({
    nodes: nodeAddresses,
    ...(timeout === undefined ? {} : { timeout }),
    onWarning: () => undefined,
  });
  clients.push(client);
  return client;
}

/** An address nobody listens on: a socket bound, then closed. */
async function silentAddress(bind: string): Promise<string> {
  const transport = await createUdpTransport({ bind, onWarning: () => undefined });
  const address = transport.localAddress;
  await transport.close();
  return address;
}

describe('createClient', () => {
  it('gets, searches, aggregates, writes and lists members through a node, never becoming one', async () => {
    const seed = await startNode('127.0.0.11:0');
    const other = await startNode('127.0.0.12:0', [seed.address]);
    await settle(() => seed.members().some((member) => member.status === 'alive'));
    await seed.put('views:home', { 0: 120, 5: 2 });
    await seed.put('views:pricing', { 1: 9 });
    const client = await openClient([seed.address]);

    expect((await client.get('views:home')).toRecord()).toEqual({ 0: 120, 5: 2 });
    expect((await client.get('views:nowhere')).size).toBe(0);
    const found = await client.search('views:%');
    expect(found.map(([key, vector]) => [key, vector.toRecord()])).toEqual([
      ['views:home', { 0: 120, 5: 2 }],
      ['views:pricing', { 1: 9 }],
    ]);
    expect(await client.search('nothing:%')).toEqual([]);
    expect((await client.aggregate('views:*')).toRecord()).toEqual({ 0: 120, 1: 9, 5: 2 });
    // `%` and `*` match alike, whichever the client is given.
    expect((await client.aggregate('views:%')).toRecord()).toEqual({ 0: 120, 1: 9, 5: 2 });
    expect((await client.search('views:*')).length).toBe(2);
    expect((await client.aggregate('none:*')).size).toBe(0);

    await client.put('views:home', { 0: 100, 9: 4 });
    expect(seed.get('views:home')?.toRecord()).toEqual({ 0: 120, 5: 2, 9: 4 });
    await client.put('counter', { kind: 'sparse', indices: [2], values: [7] });
    expect(seed.get('counter')?.get(2)).toBe(7);
    // The node gossips what a client wrote, as its own write.
    await settle(() => other.get('counter')?.get(2) === 7);

    await settle(async () => (await client.members()).length === 2);
    expect(await client.members()).toEqual([
      { address: seed.address, status: 'alive' },
      { address: other.address, status: 'alive' },
    ]);
    for (const node of nodes) {
      const addresses = node.members().map((member) => member.address);
      expect(addresses).not.toContain(expect.stringMatching(/^127\.0\.0\.1:/));
      expect(
        addresses.every((address) => address === seed.address || address === other.address),
      ).toBe(true);
    }
  });

  it('reads a long vector sent in several datagrams whole', async () => {
    const node = await startNode('127.0.0.13:0');
    const registers: Record<number, number> = {};
    for (let index = 0; index < 3_000; index++) registers[index] = (index % 60) + 1;
    await node.put('hll:big', registers);
    const client = await openClient([node.address]);

    expect((await client.get('hll:big')).toRecord()).toEqual(registers);
    await client.put('hll:written', registers);
    expect(node.get('hll:written')?.size).toBe(3_000);
  });

  it('throws NoAnswerError when no node answers, after trying each', async () => {
    const nobody = await silentAddress('127.0.0.14:0');
    const client = await openClient([nobody], 300);

    const error = await client.get('k').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NoAnswerError);
    expect(isVigError(error, 'NoAnswerError')).toBe(true);
    expect((error as NoAnswerError).message).toBe(
      `no node answered within 300 ms (tried ${nobody})`,
    );
    expect((error as NoAnswerError).nodes).toEqual([nobody]);
    expect((error as NoAnswerError).timeout).toBe(300);
    await expect(client.put('k', { 0: 1 })).rejects.toBeInstanceOf(NoAnswerError);
    await expect(client.members()).rejects.toBeInstanceOf(NoAnswerError);
  });

  it('falls over to the next node, and then asks that one first', async () => {
    const nobody = await silentAddress('127.0.0.15:0');
    const node = await startNode('127.0.0.16:0');
    await node.put('k', { 0: 3 });
    const client = await openClient([nobody, node.address], 300);

    expect((await client.get('k')).toRecord()).toEqual({ 0: 3 });
    expect((await client.get('k')).toRecord()).toEqual({ 0: 3 });
    await node.stop();
    const error = await client.get('k').catch((caught: unknown) => caught);
    expect((error as NoAnswerError).nodes).toEqual([node.address, nobody]);
  });

  it('refuses bad options, patterns as keys, and requests after close', async () => {
    await expect(createClient({ nodes: [] })).rejects.toBeInstanceOf(ClientOptionsError);
    const badNode = await createClient({ nodes: ['no-port'] }).catch((caught: unknown) => caught);
    expect((badNode as ClientOptionsError).option).toBe('nodes[0]');
    await expect(createClient({ nodes: ['127.0.0.1:1'], timeout: 0 })).rejects.toThrow(
      /client option timeout is 0: expected a positive number/,
    );

    const node = await startNode('127.0.0.17:0');
    const client = await openClient([node.address]);
    await expect(client.get('views:%')).rejects.toThrow(/is a pattern/);
    await expect(client.put('views:*', { 0: 1 })).rejects.toThrow(/is a pattern/);
    await expect(client.put('k', { 0: -1 })).rejects.toThrow(/out of range/);
    await client.close();
    await client.close();
    await expect(client.get('k')).rejects.toBeInstanceOf(ClientClosedError);
  });

  it('binds to loopback for a loopback node, to every address otherwise, in its family', () => {
    expect(defaultBind('127.0.0.1:7946' as never)).toBe('127.0.0.1:0');
    expect(defaultBind('127.3.2.1:7946' as never)).toBe('127.0.0.1:0');
    expect(defaultBind('[::1]:7946' as never)).toBe('[::1]:0');
    expect(defaultBind('10.0.0.7:7946' as never)).toBe('0.0.0.0:0');
    expect(defaultBind('[fd00::7]:7946' as never)).toBe('[::]:0');
  });
});
