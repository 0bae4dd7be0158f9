/**
 * Merging one-byte registers four at a time. Each 32-bit word holds four
 * registers ("lanes"); bit tricks compare all four lanes at once, so the
 * HyperLogLog case (16384 one-byte registers) takes a quarter of the steps
 * and no data-dependent branch per register. Words read through `Int32Array`
 * views stay 32-bit integers in the engine, which keeps the arithmetic cheap.
 */

import type { MergeCollector } from './merge-result.js';
import type { RegisterArray } from './vector-entries.js';

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

/** True when word views line up: both arrays' bytes at `start` / 0 sit on 4-byte boundaries. */
export function canMergeByLanes(local: Uint8Array, start: number, incoming: Uint8Array): boolean {
  return (local.byteOffset + start) % LANES === 0 && incoming.byteOffset % LANES === 0;
}

/**
 * Merges `incoming` into `local[start ..]` by element-wise max and collects
 * both outputs in `output` (see `mergeRegisters`), zero incoming registers
 * ignored; returns how many registers went from 0 to non-zero. Requires
 * {@link canMergeByLanes} and `0 <= start`, `start + incoming.length <= local.length`.
 */
export function mergeByteLanes(
  local: Uint8Array,
  start: number,
  incoming: Uint8Array,
  output: MergeCollector,
): number {
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
        grew = takeBytes(output.takeGrewRegisters(1, length));
        grewWords = new Int32Array(grew.buffer, grew.byteOffset, words);
      }
      grewWords[word] = sent & mask;
      const fresh = greater & zeroLanes(held);
      if (fresh !== 0) added += countLanes(fresh);
    }
    // Once the output exists, every word is written (0 where no lane is
    // smaller): `smaller` is data-dependent, and a branch on it mispredicts.
    if (largerWords === undefined && smaller !== 0) {
      larger = takeBytes(output.takeLargerRegisters(1, length));
      largerWords = new Int32Array(larger.buffer, larger.byteOffset, words);
    }
    if (largerWords !== undefined) largerWords[word] = held & laneMask(smaller);
  }
  for (let position = words * LANES; position < length; position++) {
    const sent = incoming[position];
    const held = local[start + position];
    if (sent > held) {
      local[start + position] = sent;
      (grew ??= takeBytes(output.takeGrewRegisters(1, length)))[position] = sent;
      if (held === 0) added++;
    } else if (sent !== 0 && sent < held) {
      (larger ??= takeBytes(output.takeLargerRegisters(1, length)))[position] = held;
    }
  }
  return added;
}

/** Registers taken at width 1 are bytes. */
function takeBytes(registers: RegisterArray): Uint8Array {
  if (!(registers instanceof Uint8Array)) throw new TypeError('expected one-byte registers');
  return registers;
}
