// 32-bit words as little-endian bytes, for the hashes of sync messages: copied
// in one block on little-endian machines (all current ones), word by word
// elsewhere.

const littleEndianMachine = new Uint8Array(Uint32Array.of(1).buffer)[0] === 1;

/** Writes `words[from .. to)` at `position`, 4 little-endian bytes each; returns the next position. */
export function writeWordsAt(
  bytes: Uint8Array,
  position: number,
  words: Uint32Array,
  from: number,
  to: number,
): number {
  if (littleEndianMachine) {
    bytes.set(new Uint8Array(words.buffer, words.byteOffset + from * 4, (to - from) * 4), position);
    return position + (to - from) * 4;
  }
  for (let i = from; i < to; i++, position += 4) {
    const word = words[i];
    bytes[position] = word;
    bytes[position + 1] = word >>> 8;
    bytes[position + 2] = word >>> 16;
    bytes[position + 3] = word >>> 24;
  }
  return position;
}

/**
 * Reads `count` little-endian words starting at `first` (the caller checked
 * the bytes are there) into a new, aligned array that owns its memory.
 */
export function readWords(bytes: Uint8Array, first: number, count: number): Uint32Array {
  const words = new Uint32Array(count);
  if (littleEndianMachine) {
    // Through subarray and set, not slice: a Node Buffer's slice is a view, not a copy.
    new Uint8Array(words.buffer).set(bytes.subarray(first, first + count * 4));
    return words;
  }
  for (let i = 0, at = first; i < count; i++, at += 4) {
    words[i] =
      (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  }
  return words;
}
