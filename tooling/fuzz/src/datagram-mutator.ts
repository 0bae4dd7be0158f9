import type { RandomSource } from '@vig/crdt-core';

/** Bytes that sit on msgpack's type boundaries, plus the never-used 0xc1. */
const INTERESTING_BYTES = [
  0x00, 0x01, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xc1, 0xc2, 0xc3, 0xc4, 0xc6, 0xca,
  0xcb, 0xcf, 0xd3, 0xd9, 0xdb, 0xdc, 0xdd, 0xde, 0xdf, 0xe0, 0xff,
];

/** Length headers claiming far more than any datagram holds: a decoder must not trust them. */
const HUGE_HEADERS = [
  [0xdd, 0xff, 0xff, 0xff, 0xff], // array 32
  [0xdf, 0xff, 0xff, 0xff, 0xff], // map 32
  [0xdb, 0x7f, 0xff, 0xff, 0xff], // str 32
  [0xc6, 0xff, 0xff, 0xff, 0xff], // bin 32
  [0xdc, 0xff, 0xff], // array 16
];

/** The largest datagram loopback UDP carries (IPv4). */
export const MAX_FUZZ_DATAGRAM_BYTES = 65_507;

/** What a generated datagram is, for the run's tally. */
export type FuzzKind = 'valid' | 'mutated' | 'random';

/** One generated datagram and how it was made. */
export interface FuzzDatagram {
  readonly kind: FuzzKind;
  readonly bytes: Uint8Array;
}

type Mutation = (
  bytes: Uint8Array,
  random: RandomSource,
  corpus: readonly Uint8Array[],
) => Uint8Array;

const below = (random: RandomSource, limit: number): number => Math.floor(random() * limit);

const randomBytes = (random: RandomSource, length: number): Uint8Array =>
  Uint8Array.from({ length }, () => below(random, 256));

const MUTATIONS: readonly Mutation[] = [
  // Flip one bit.
  (bytes, random) => {
    const copy = bytes.slice();
    if (copy.length > 0) copy[below(random, copy.length)] ^= 1 << below(random, 8);
    return copy;
  },
  // Set one byte to a type boundary.
  (bytes, random) => {
    const copy = bytes.slice();
    if (copy.length > 0) {
      copy[below(random, copy.length)] = INTERESTING_BYTES[below(random, INTERESTING_BYTES.length)];
    }
    return copy;
  },
  // Truncate.
  (bytes, random) => bytes.slice(0, below(random, bytes.length + 1)),
  // Append random bytes.
  (bytes, random) => concat(bytes, randomBytes(random, 1 + below(random, 64))),
  // Insert a huge length header somewhere.
  (bytes, random) => {
    const at = below(random, bytes.length + 1);
    const header = Uint8Array.from(HUGE_HEADERS[below(random, HUGE_HEADERS.length)]);
    return concat(bytes.subarray(0, at), header, bytes.subarray(at));
  },
  // Splice: the head of this datagram, the tail of another.
  (bytes, random, corpus) => {
    const other = corpus[below(random, corpus.length)];
    return concat(
      bytes.subarray(0, below(random, bytes.length + 1)),
      other.subarray(below(random, other.length + 1)),
    );
  },
  // Repeat a chunk.
  (bytes, random) => {
    const from = below(random, bytes.length + 1);
    const to = from + below(random, Math.min(256, bytes.length - from + 1));
    const chunk = bytes.subarray(from, to);
    const copies = Array.from({ length: 1 + below(random, 16) }, () => chunk);
    return concat(bytes.subarray(0, to), ...copies, bytes.subarray(to));
  },
];

function concat(...parts: Uint8Array[]): Uint8Array {
  const length = Math.min(
    parts.reduce((sum, part) => sum + part.length, 0),
    MAX_FUZZ_DATAGRAM_BYTES,
  );
  const joined = new Uint8Array(length);
  let position = 0;
  for (const part of parts) {
    const room = length - position;
    if (room <= 0) break;
    joined.set(part.subarray(0, room), position);
    position += Math.min(part.length, room);
  }
  return joined;
}

/**
 * The next fuzz datagram, from `random` and the valid `corpus`: one in ten a
 * valid datagram as it is, one in five random bytes (now and then as large
 * as a datagram can be, or starting like a sealed envelope), the rest a
 * corpus datagram with one to four stacked mutations (bit flips, type
 * boundary bytes, truncation, appended bytes, huge length headers, splices,
 * repeated chunks).
 */
export function nextFuzzDatagram(
  random: RandomSource,
  corpus: readonly Uint8Array[],
): FuzzDatagram {
  const roll = random();
  const seed = corpus[below(random, corpus.length)];
  if (roll < 0.1) return { kind: 'valid', bytes: seed };
  if (roll < 0.3) {
    const length = random() < 0.02 ? MAX_FUZZ_DATAGRAM_BYTES : below(random, 1500);
    const bytes = randomBytes(random, length);
    if (bytes.length > 0 && random() < 0.2) bytes[0] = 0xc1;
    return { kind: 'random', bytes };
  }
  let bytes = seed;
  const mutations = 1 + below(random, 4);
  for (let step = 0; step < mutations; step++) {
    bytes = MUTATIONS[below(random, MUTATIONS.length)](bytes, random, corpus);
  }
  return { kind: 'mutated', bytes };
}
