import { agentId } from '@vig/crdt-core';
import type { PeerAddress, Transport } from '@vig/gossip';
import { VIG_PROTOCOL_VERSION, decodeDocMessage, encodeDocMessage, encodeMessage } from '@vig/wire';
import { describe, expect, it } from 'vitest';
import { durableAnswers } from './durable-answers.js';
import type { DurableAnswer } from './durable-answers.js';

/** A transport that keeps what is sent. */
function recordingTransport(): Transport & { readonly sent: Uint8Array[] } {
  const sent: Uint8Array[] = [];
  return {
    localAddress: '127.0.0.1:1' as PeerAddress,
    maxDatagramBytes: 1500,
    sent,
    send: (_to, bytes) => {
      sent.push(bytes);
    },
    onReceive: () => undefined,
    close: () => Promise.resolve(),
  };
}

const client = '127.0.0.1:2' as PeerAddress;
const version = { agent: agentId('alice'), seq: 3 };

describe('durableAnswers', () => {
  it('holds written and frontier answers until durable, and lets everything else through', async () => {
    const inner = recordingTransport();
    const held: DurableAnswer[] = [];
    let release: () => void = () => undefined;
    const durable = new Promise<void>((resolve) => {
      release = resolve;
    });
    const transport = durableAnswers(inner, (answer) => {
      held.push(answer);
      return durable;
    });
    const written = encodeDocMessage({ kind: 'written', request: 7, version, vig: 1 });
    const frontier = encodeDocMessage({
      kind: 'frontier',
      request: 8,
      frontier: [version],
      branch: 'main',
      vig: 1,
    });
    const siblings = encodeDocMessage({
      kind: 'siblings',
      request: 9,
      key: 'k',
      siblings: [],
      vig: 1,
    });
    const vignette = encodeMessage({
      key: 'k',
      vector: { kind: 'sparse', indices: [0], values: [1] },
      ttl: 1,
      full: false,
    });
    for (const bytes of [written, frontier, siblings, vignette]) transport.send(client, bytes);
    expect(inner.sent).toEqual([siblings, vignette]);
    expect(held.map((answer) => answer.request)).toEqual([7, 8]);
    release();
    await durable;
    await Promise.resolve();
    expect(inner.sent).toEqual([siblings, vignette, written, frontier]);
  });

  it('answers failed instead when the change could not be made durable', async () => {
    const inner = recordingTransport();
    const transport = durableAnswers(inner, () => Promise.reject(new Error('disk full')));
    transport.send(
      client,
      encodeDocMessage({ kind: 'written', request: 5, version, vig: VIG_PROTOCOL_VERSION }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    expect(inner.sent).toHaveLength(1);
    const decoded = decodeDocMessage(inner.sent[0] ?? new Uint8Array());
    expect(decoded).toMatchObject({
      ok: true,
      doc: {
        kind: 'failed',
        request: 5,
        code: 'refused',
        message: 'the node could not store it: disk full',
      },
    });
  });
});
