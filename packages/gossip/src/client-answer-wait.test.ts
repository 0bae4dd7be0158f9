import { decodeDatagram, splitMessage } from '@vig/wire';
import type { VignetteMessage } from '@vig/wire';
import { describe, expect, it } from 'vitest';
import { createGossipNode } from './gossip-node.js';
import type { GossipNode } from './gossip-node.js';
import { seededRandom } from './scheduler.js';
import { createSimulatedNetwork } from './testing/index.js';
import type { SimulatedNetwork } from './testing/index.js';
import { peerAddress } from './transport.js';

const NODE = peerAddress('127.0.0.70:7946');

/** A write of `views`[0] = `value` and a query of it, as a light client sends them. */
function putAndQuery(value: number, client: boolean): Uint8Array[] {
  const write: VignetteMessage = {
    key: 'views',
    vector: { kind: 'sparse', indices: [0], values: [value] },
    ttl: 1,
    full: false,
  };
  const query: VignetteMessage = { ...write, vector: { kind: 'sparse', indices: [], values: [] } };
  const markers = { vig: 1, ...(client ? { client: true } : {}) };
  return [...splitMessage({ ...write, ...markers }), ...splitMessage({ ...query, ...markers })];
}

/** One node whose client answers wait for `wait`, and a sender recording the `views` answers. */
function setUp(wait: (key: string) => Promise<void> | undefined): {
  readonly network: SimulatedNetwork;
  readonly node: GossipNode;
  readonly answers: number[];
  readonly send: (datagrams: Uint8Array[]) => void;
} {
  const network = createSimulatedNetwork({ seed: 31 });
  const node = createGossipNode({
    transport: network.transport(NODE),
    scheduler: network.scheduler,
    random: seededRandom(31),
    clientAnswerWait: wait,
  });
  node.start();
  const sender = network.transport(peerAddress('127.0.0.71:7946'));
  const answers: number[] = [];
  sender.onReceive((bytes) => {
    const decoded = decodeDatagram(bytes);
    if (decoded.ok && decoded.kind === 'message' && decoded.message.key === 'views') {
      const { vector } = decoded.message;
      answers.push(vector.kind === 'sparse' ? (vector.values[0] ?? 0) : 0);
    }
  });
  return {
    network,
    node,
    answers,
    send: (datagrams) => {
      for (const datagram of datagrams) sender.send(NODE, datagram);
    },
  };
}

describe('clientAnswerWait', () => {
  it("holds a client's answer about a key until its write is durable, and asks after the merge", () => {
    let durable!: () => void;
    const asked: string[] = [];
    const { network, node, answers, send } = setUp((key) => {
      asked.push(key);
      // Asked after the merge: the node already holds what the client wrote.
      expect(node.get(key)?.get(0)).toBe(7);
      return new Promise((resolve) => {
        durable = resolve;
      });
    });
    send(putAndQuery(7, true));
    network.scheduler.advance(50);
    expect(asked).toContain('views');
    expect(answers).toEqual([]);
    durable();
    // The promise settles in a microtask; the answer then goes through the network.
    return Promise.resolve().then(() => {
      network.scheduler.advance(50);
      expect(answers).toContain(7);
      node.stop();
    });
  });

  it('drops the answer, counted as not-durable, when the write fails', async () => {
    const { network, node, answers, send } = setUp(() => Promise.reject(new Error('disk full')));
    send(putAndQuery(3, true));
    network.scheduler.advance(50);
    await Promise.resolve();
    network.scheduler.advance(50);
    expect(answers).toEqual([]);
    expect(node.metrics().drops['not-durable']).toBeGreaterThan(0);
    node.stop();
  });

  it('never holds answers to peers that are not clients', () => {
    const asked: string[] = [];
    const { network, node, answers, send } = setUp((key) => {
      asked.push(key);
      return new Promise(() => undefined);
    });
    send(putAndQuery(5, false));
    network.scheduler.advance(50);
    expect(asked).toEqual([]);
    expect(answers).toContain(5);
    node.stop();
  });
});
