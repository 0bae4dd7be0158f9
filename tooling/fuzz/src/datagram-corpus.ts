import { MaxVector, seededRandom } from '@vig/crdt-core';
import type { RandomSource, VectorEntries } from '@vig/crdt-core';
import { encodeMessage, encodeSyncMessage } from '@vig/wire';
import type { SyncMessage, VignetteMessage } from '@vig/wire';
import { MAX_FUZZ_DATAGRAM_BYTES } from './datagram-mutator.js';

/** Keys the corpus writes: never the reference keys a fuzz run checks (`ref:…`). */
const CORPUS_KEYS = ['fuzz:a', 'fuzz:b', 'n:127.0.0.9:7000', '%', 'fuzz:*', 'fuzz:%', ''];

function randomEntries(random: RandomSource): VectorEntries {
  const vector = new MaxVector();
  const count = Math.floor(random() * 40);
  const spread = [16, 1024, 16_384, 2 ** 32 - 1][Math.floor(random() * 4)];
  for (let entry = 0; entry < count; entry++) {
    vector.raise(
      Math.floor(random() * spread),
      1 + Math.floor(random() * 2 ** (1 + random() * 52)),
    );
  }
  return vector.toEntries();
}

function vignetteMessage(random: RandomSource): VignetteMessage {
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)];
  return {
    key: pick(CORPUS_KEYS),
    vector: random() < 0.2 ? { kind: 'sparse', indices: [], values: [] } : randomEntries(random),
    ttl: Math.floor(random() * 8),
    full: random() < 0.5,
    ...(random() < 0.7 ? { vig: 1 } : {}),
    ...(random() < 0.2 ? { client: true } : {}),
  };
}

function syncMessage(random: RandomSource): SyncMessage {
  const hashes = (count: number): Uint32Array =>
    Uint32Array.from({ length: count }, () => Math.floor(random() * 2 ** 32));
  const envelope = { vig: 1, ...(random() < 0.2 ? { client: true } : {}) };
  switch (Math.floor(random() * 6)) {
    case 0:
      return { ...envelope, kind: 'root', hashes: hashes(64), keys: Math.floor(random() * 1000) };
    case 1:
      return { ...envelope, kind: 'buckets', buckets: [{ bucket: 3, hashes: hashes(64) }] };
    case 2:
      return {
        ...envelope,
        kind: 'leaves',
        leaves: [{ leaf: 1, from: 0, to: 2, entries: hashes(4) }],
      };
    case 3:
      return { ...envelope, kind: 'want', hashes: hashes(1 + Math.floor(random() * 20)) };
    case 4:
      return {
        ...envelope,
        kind: 'peers',
        reply: random() < 0.5,
        peers: [
          { address: '127.0.0.9:7000', heartbeat: Math.floor(random() * 1e9), leave: 0 },
          { address: '127.0.0.10:7001', heartbeat: 5, leave: random() < 0.5 ? 5 : 0 },
        ],
      };
    default:
      return { ...envelope, kind: 'members', reply: false, members: [] };
  }
}

/**
 * `size` valid datagrams to mutate: vignette messages (queries, updates,
 * `%`/`*` patterns, peer keys, client markers; sparse and dense vectors) and
 * every kind of sync message. Deterministic from `seed`.
 */
export function datagramCorpus(seed: number, size = 256): Uint8Array[] {
  const random = seededRandom(seed);
  const corpus: Uint8Array[] = [];
  for (let datagram = 0; datagram < size; datagram++) {
    const message = random() < 0.7 ? vignetteMessage(random) : undefined;
    if (message === undefined) {
      corpus.push(encodeSyncMessage(syncMessage(random)));
      continue;
    }
    try {
      const bytes = encodeMessage(message, { dense: random() < 0.5 ? 'auto' : 'always' });
      // A dense message spanning 2^14 large values is bigger than any datagram.
      if (bytes.length <= MAX_FUZZ_DATAGRAM_BYTES) corpus.push(bytes);
    } catch {
      // A random message the encoder refuses (a huge dense span): not a seed.
    }
  }
  return corpus;
}
