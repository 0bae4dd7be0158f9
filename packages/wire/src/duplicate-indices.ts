// Whether sparse entries repeat an index (among non-zero values). A msgpack
// map with a repeated key loses all but one value in most decoders (the Ruby
// peer keeps the last), so the encoder must never write one. Checked with an
// open-addressing table reused between calls: no allocation per message.

let slots = new Uint32Array(64);
let stamps = new Int32Array(64);
let generation = 0;

/** True when two non-zero entries share an index. Entries are valid (checked by the caller). */
export function hasDuplicateIndices(
  indices: readonly number[],
  values: readonly number[],
): boolean {
  const count = indices.length;
  let bits = 6;
  while (1 << bits < count * 2) bits++;
  const size = 1 << bits;
  if (size > slots.length) {
    slots = new Uint32Array(size);
    stamps = new Int32Array(size);
    generation = 0;
  }
  generation += 1;
  if (generation === 0x7fff_ffff) {
    stamps.fill(0);
    generation = 1;
  }
  const shift = 32 - bits;
  const mask = size - 1;
  for (let i = 0; i < count; i++) {
    if (values[i] === 0) continue;
    const index = indices[i];
    let slot = Math.imul(index, 0x9e37_79b1) >>> shift;
    while (stamps[slot] === generation) {
      if (slots[slot] === index) return true;
      slot = (slot + 1) & mask;
    }
    stamps[slot] = generation;
    slots[slot] = index;
  }
  return false;
}
