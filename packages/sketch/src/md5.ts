// Per-step additive constants: floor(|sin(i + 1)| × 2^32) (RFC 1321).
const constants = new Int32Array([
  0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501,
  0x698098d8, 0x8b44f7af, 0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821,
  0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa, 0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8,
  0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8, 0x676f02d9, 0x8d2a4c8a,
  0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
  0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665,
  0xf4292244, 0x432aff97, 0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1,
  0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1, 0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391,
]);

// Per-step left-rotation amounts, four per round.
const rotations = [7, 12, 17, 22, 5, 9, 14, 20, 4, 11, 16, 23, 6, 10, 15, 21];

/** The message word step `step` reads (RFC 1321's schedule). */
function wordIndex(step: number): number {
  const round = step >>> 4;
  if (round === 0) return step;
  if (round === 1) return (5 * step + 1) & 15;
  if (round === 2) return (3 * step + 5) & 15;
  return (7 * step) & 15;
}

const schedule = Uint8Array.from({ length: 64 }, (_, step) => wordIndex(step));
const words = new Int32Array(16);

/** Runs the 64 MD5 steps over the block in `words`, updating `state`. */
function compress(state: Int32Array): void {
  let a = state[0];
  let b = state[1];
  let c = state[2];
  let d = state[3];
  for (let step = 0; step < 64; step++) {
    const round = step >>> 4;
    let mixed: number;
    if (round === 0) mixed = (b & c) | (~b & d);
    else if (round === 1) mixed = (d & b) | (~d & c);
    else if (round === 2) mixed = b ^ c ^ d;
    else mixed = c ^ (b | ~d);
    const sum = (a + mixed + constants[step] + words[schedule[step]]) | 0;
    const shift = rotations[(round << 2) | (step & 3)];
    a = d;
    d = c;
    c = b;
    b = (b + ((sum << shift) | (sum >>> (32 - shift)))) | 0;
  }
  state[0] = (state[0] + a) | 0;
  state[1] = (state[1] + b) | 0;
  state[2] = (state[2] + c) | 0;
  state[3] = (state[3] + d) | 0;
}

/** Loads 64 bytes of the padded message starting at `start` into `words`. */
function loadBlock(bytes: Uint8Array, length: number, start: number): void {
  words.fill(0);
  for (let offset = 0; offset < 64; offset++) {
    const position = start + offset;
    let byte = 0;
    if (position < length) byte = bytes[position]!;
    else if (position === length) byte = 0x80;
    words[offset >>> 2] |= byte << ((offset & 3) * 8);
  }
}

/**
 * The MD5 digest (RFC 1321) of the first `length` bytes of `bytes`, as 16
 * bytes. Used only for the `vignette` HyperLogLog profile, never for security.
 *
 * @example
 * ```ts
 * md5(new TextEncoder().encode('abc')); // 90 01 50 98 3c d2 4f b0 d6 96 3f 7d 28 e1 7f 72
 * ```
 */
export function md5(bytes: Uint8Array, length: number = bytes.length): Uint8Array {
  const state = new Int32Array([0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476]);
  const blockCount = Math.floor((length + 8) / 64) + 1;
  const bitLength = length * 8;
  for (let block = 0; block < blockCount; block++) {
    loadBlock(bytes, length, block * 64);
    if (block === blockCount - 1) {
      words[14] = bitLength | 0;
      words[15] = Math.floor(bitLength / 0x1_0000_0000) | 0;
    }
    compress(state);
  }
  const digest = new Uint8Array(16);
  for (let offset = 0; offset < 16; offset++) {
    digest[offset] = state[offset >>> 2] >>> ((offset & 3) * 8);
  }
  return digest;
}
