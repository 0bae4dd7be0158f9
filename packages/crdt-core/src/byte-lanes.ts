/**
 * Merging one-byte registers four at a time. Each 32-bit word holds four
 * registers ("lanes"); bit tricks compare all four lanes at once, so the
 * HyperLogLog case (16384 one-byte registers) takes a quarter of the steps
 * and no data-dependent branch per register. Words read through `Int32Array`
 * views stay 32-bit integers in the engine, which keeps the arithmetic cheap.
 */

const HIGH_BITS = 0x8080_8080 | 0;
const LOW_BITS = 0x7f7f_7f7f;
const LANES = 4;

/** The high bit of every lane of `word` that is zero. */
function zeroLanes(word: number): number {
  return ~(((word & LOW_BITS) + LOW_BITS) | 0 | word | LOW_BITS);
}

/** The high bit of every lane where `left >= right`, as unsigned bytes. */
function atLeastLanes(left: number, right: number): number {
  const lowOrder = ((left | HIGH_BITS) - (right & LOW_BITS)) | 0;
  return ((left & ~right) | (~(left ^ right) & lowOrder)) & HIGH_BITS;
}

/** 0xff in every lane whose high bit is set in `highBits`. */
function laneMask(highBits: number): number {
  return Math.imul(highBits >>> 7, 0xff);
}

/** Number of lanes whose high bit is set in `highBits`. */
function countLanes(highBits: number): number {
  return Math.imul(highBits >>> 7, 0x0101_0101) >>> 24;
}

/** What a byte-register merge produced; reused between merges, so read it at once. */
interface ByteMergeOutcome {
  grew: Uint8Array | undefined;
  larger: Uint8Array | undefined;
  added: number;
}

const outcome: ByteMergeOutcome = { grew: undefined, larger: undefined, added: 0 };

/** True when word views line up: both arrays' bytes at `start` / 0 sit on 4-byte boundaries. */
export function canMergeByLanes(local: Uint8Array, start: number, incoming: Uint8Array): boolean {
  return (local.byteOffset + start) % LANES === 0 && incoming.byteOffset % LANES === 0;
}

/**
 * Merges `incoming` into `local[start ..]` by element-wise max and collects
 * both outputs (see `mergeRegisters`), zero incoming registers ignored.
 * Requires {@link canMergeByLanes} and `0 <= start`,
 * `start + incoming.length <= local.length`.
 */
export function mergeByteLanes(
  local: Uint8Array,
  start: number,
  incoming: Uint8Array,
): ByteMergeOutcome {
  const length = incoming.length;
  const words = length >>> 2;
  const localWords = new Int32Array(local.buffer, local.byteOffset + start, words);
  const incomingWords = new Int32Array(incoming.buffer, incoming.byteOffset, words);
  let grew: Uint8Array | undefined;
  let larger: Uint8Array | undefined;
  let grewWords: Int32Array | undefined;
  let largerWords: Int32Array | undefined;
  let added = 0;
  for (let word = 0; word < words; word++) {
    const sent = incomingWords[word];
    const held = localWords[word];
    if (sent === held) continue;
    const atLeast = atLeastLanes(sent, held);
    const equal = zeroLanes(sent ^ held);
    const greater = atLeast & ~equal;
    const smaller = ~atLeast & HIGH_BITS & ~zeroLanes(sent);
    if (greater !== 0) {
      const mask = laneMask(greater);
      localWords[word] = (sent & mask) | (held & ~mask);
      if (grewWords === undefined) {
        grew = new Uint8Array(length);
        grewWords = new Int32Array(grew.buffer, 0, words);
      }
      grewWords[word] = sent & mask;
      const fresh = greater & zeroLanes(held);
      if (fresh !== 0) added += countLanes(fresh);
    }
    if (smaller !== 0) {
      if (largerWords === undefined) {
        larger = new Uint8Array(length);
        largerWords = new Int32Array(larger.buffer, 0, words);
      }
      largerWords[word] = held & laneMask(smaller);
    }
  }
  for (let position = words * LANES; position < length; position++) {
    const sent = incoming[position];
    const held = local[start + position];
    if (sent > held) {
      local[start + position] = sent;
      (grew ??= new Uint8Array(length))[position] = sent;
      if (held === 0) added++;
    } else if (sent !== 0 && sent < held) {
      (larger ??= new Uint8Array(length))[position] = held;
    }
  }
  outcome.grew = grew;
  outcome.larger = larger;
  outcome.added = added;
  return outcome;
}
