/**
 * Interoperability with the original Ruby vignette prototype, proven against a
 * peer that sends exactly the bytes it sends: msgpack maps `{key, vector, ttl}`
 * with integer vector keys, an `n:%` query to its seed, an `n:host:port` key
 * whose heartbeat is the time in minutes, and reads of at most 1500 bytes. The
 * peer is written with independent msgpack implementations, never with
 * `@vig/wire`'s codec: msgpackr writes its maps with integer keys, as the Ruby
 * msgpack gem does (`@msgpack/msgpack` writes a `Map` as an empty map), and
 * `@msgpack/msgpack` reads what it receives.
 */
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { decode } from '@msgpack/msgpack';
import { Packr } from 'msgpackr';
import { afterEach, describe, expect, it } from 'vitest';
import { createNode } from './index.js';
import type { VigNode } from './index.js';

/** Plain msgpack maps (no records), `Map` keys written as integers. */
const packer = new Packr({ useRecords: false, mapsAsObjects: false });

/** What the Ruby peer reads from one datagram (it reads at most 1500 bytes). */
interface RubyView {
  readonly size: number;
  readonly fields: Record<string, unknown>;
}

/** A Ruby-vignette-like peer on a raw UDP socket. */
class RubyPeer {
  readonly received: RubyView[] = [];
  readonly #socket: Socket;

  private constructor(socket: Socket) {
    this.#socket = socket;
    socket.on('message', (bytes) => {
      const fields = decode(bytes.subarray(0, 1500), { useBigInt64: false }) as Record<
        string,
        unknown
      >;
      this.received.push({ size: bytes.byteLength, fields });
    });
  }

  static async bind(host: string): Promise<RubyPeer> {
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, host, resolve));
    return new RubyPeer(socket);
  }

  get address(): string {
    const { address, port } = this.#socket.address();
    return `${address}:${port}`;
  }

  /** Sends `{key, vector, ttl}` exactly as the Ruby prototype does: integer vector keys. */
  send(to: string, key: string, vector: Map<number, number>, ttl = 50): void {
    const [host, port] = splitAddress(to);
    this.#socket.send(
      packer.pack(
        new Map<string, unknown>([
          ['key', key],
          ['vector', vector],
          ['ttl', ttl],
        ]),
      ),
      port,
      host,
    );
  }

  /**
   * Answers every `n:%` query from now on with these peer keys, as the Ruby
   * prototype answers a joining node (one `{key, vector, ttl}` per key).
   */
  answerPeerQueries(peerKeys: readonly (readonly [string, number])[]): void {
    this.#socket.on('message', (bytes, from) => {
      const fields = decode(bytes) as Record<string, unknown>;
      if (fields.key !== 'n:%') return;
      for (const [key, heartbeat] of peerKeys) {
        this.send(`${from.address}:${from.port}`, key, new Map([[0, heartbeat]]), 0);
      }
    });
  }

  /** The messages received for `key`, their vectors read as plain objects. */
  messagesFor(key: string): RubyView[] {
    return this.received.filter((view) => view.fields.key === key);
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.#socket.close(() => resolve()));
  }
}

function splitAddress(address: string): [string, number] {
  const colon = address.lastIndexOf(':');
  return [address.slice(0, colon), Number(address.slice(colon + 1))];
}

/** Polls `predicate` every 10 ms for at most `limit` ms. */
async function eventually(predicate: () => boolean, limit = 5_000): Promise<boolean> {
  for (let waited = 0; waited < limit; waited += 10) {
    if (predicate()) return true;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return predicate();
}

/** A vector as msgpack decodes it: a Map with integer keys, or an object. */
function vectorOf(view: RubyView): Map<number, number> {
  const vector = view.fields.vector;
  if (vector instanceof Map) return vector as Map<number, number>;
  return new Map(
    Object.entries(vector as object).map(([index, value]) => [Number(index), value as number]),
  );
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startNode(bind: string, seeds: string[] = []): Promise<VigNode> {
  const node = await createNode({
    bind,
    seeds,
    memory: true,
    membership: { heartbeatInterval: 100, suspectAfter: 2_000, deadAfter: 10_000 },
    gossip: { antiEntropyInterval: 200 },
  });
  node.start();
  cleanups.push(() => node.stop());
  return node;
}

describe('a Vig node and a Ruby vignette peer in one network', () => {
  it('answers the Ruby bootstrap (n:% to a seed) with plain peer keys the Ruby peer reads', async () => {
    const node = await startNode('127.0.0.1:0');
    const ruby = await RubyPeer.bind('127.0.0.2');
    cleanups.push(() => ruby.close());
    const minutes = Math.floor(Date.now() / 60_000);

    ruby.send(node.address, `n:${ruby.address}`, new Map([[0, minutes]]));
    ruby.send(node.address, 'n:%', new Map());

    expect(await eventually(() => ruby.messagesFor(`n:${node.address}`).length > 0)).toBe(true);
    expect(
      await eventually(() => node.members().some((member) => member.address === ruby.address)),
    ).toBe(true);
    for (const view of ruby.received) {
      expect(view.size).toBeLessThanOrEqual(1500);
      expect(typeof view.fields.key).toBe('string');
      expect(typeof view.fields.ttl).toBe('number');
      for (const index of vectorOf(view).keys()) expect(Number.isInteger(index)).toBe(true);
    }
  });

  it('merges what the Ruby peer sends and replies with what it holds larger', async () => {
    const node = await startNode('127.0.0.1:0');
    const ruby = await RubyPeer.bind('127.0.0.3');
    cleanups.push(() => ruby.close());
    await node.put('hll:visitors', { 3: 9 });

    ruby.send(
      node.address,
      'hll:visitors',
      new Map([
        [3, 4],
        [700, 2],
      ]),
    );

    expect(await eventually(() => node.get('hll:visitors')?.get(700) === 2)).toBe(true);
    expect(await eventually(() => ruby.messagesFor('hll:visitors').length > 0)).toBe(true);
    const reply = ruby.messagesFor('hll:visitors')[0];
    expect(reply === undefined ? undefined : Object.fromEntries(vectorOf(reply))).toEqual({ 3: 9 });
  });

  it('splits a large vector into datagrams of at most 1500 bytes for the Ruby peer, with integer keys', async () => {
    const node = await startNode('127.0.0.1:0');
    const ruby = await RubyPeer.bind('127.0.0.4');
    cleanups.push(() => ruby.close());
    const registers: Record<number, number> = {};
    for (let index = 0; index < 2000; index++) registers[index] = (index % 50) + 1;
    await node.put('hll:big', registers);

    ruby.send(node.address, 'hll:big', new Map()); // the Ruby query: an empty vector

    const complete = () => {
      const merged = new Map<number, number>();
      for (const view of ruby.messagesFor('hll:big'))
        for (const [index, value] of vectorOf(view)) merged.set(index, value);
      return merged.size === 2000;
    };
    expect(await eventually(complete)).toBe(true);
    expect(ruby.messagesFor('hll:big').length).toBeGreaterThan(1);
    for (const view of ruby.messagesFor('hll:big')) expect(view.size).toBeLessThanOrEqual(1500);
  });

  it('forwards a write on a Vig node to a Ruby member as plain messages', async () => {
    const node = await startNode('127.0.0.1:0');
    const ruby = await RubyPeer.bind('127.0.0.5');
    cleanups.push(() => ruby.close());
    ruby.send(node.address, `n:${ruby.address}`, new Map([[0, Math.floor(Date.now() / 60_000)]]));
    expect(
      await eventually(() => node.members().some((member) => member.address === ruby.address)),
    ).toBe(true);

    await node.put('views:home', { 0: 41 });

    expect(await eventually(() => ruby.messagesFor('views:home').length > 0)).toBe(true);
    const forwarded = ruby.messagesFor('views:home')[0];
    expect(forwarded === undefined ? undefined : Object.fromEntries(vectorOf(forwarded))).toEqual({
      0: 41,
    });
    expect(Object.keys(forwarded?.fields ?? {}).sort()).toEqual(
      expect.arrayContaining(['key', 'ttl', 'vector']),
    );
    expect(ruby.received.every((view) => !('sync' in view.fields))).toBe(true);
  });

  it('joins a network through a Ruby seed: announces itself and learns the peers the seed answers', async () => {
    const ruby = await RubyPeer.bind('127.0.0.6');
    cleanups.push(() => ruby.close());
    const minutes = Math.floor(Date.now() / 60_000);
    // Another Ruby node the seed knows of, as its n:% answer would list it.
    const otherRuby = await RubyPeer.bind('127.0.0.7');
    cleanups.push(() => otherRuby.close());
    ruby.answerPeerQueries([
      [`n:${ruby.address}`, minutes],
      [`n:${otherRuby.address}`, minutes],
    ]);

    const node = await startNode('127.0.0.1:0', [ruby.address]);

    expect(await eventually(() => ruby.messagesFor('n:%').length > 0)).toBe(true);
    expect(await eventually(() => ruby.messagesFor(`n:${node.address}`).length > 0)).toBe(true);
    const members = (): string[] => node.members().map((member) => member.address);
    expect(
      await eventually(
        () => members().includes(ruby.address) && members().includes(otherRuby.address),
      ),
    ).toBe(true);
    const announce = ruby.messagesFor(`n:${node.address}`)[0];
    expect(announce === undefined ? 0 : (vectorOf(announce).get(0) ?? 0)).toBeGreaterThan(0);
  });
});
