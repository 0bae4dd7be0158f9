/** What {@link mutateBytes} may vary between decoders. */
export interface MutationOptions {
  /** Bytes worth planting: format markers the decoder branches on. */
  readonly interestingBytes: readonly number[];
  /** Longest random input (case "random bytes"). */
  readonly maxRandomLength: number;
  /** Most bits flipped in one input. */
  readonly maxFlips: number;
  /** When given, half the random inputs start with it (a plausible header). */
  readonly randomPrefix?: Uint8Array;
}

/**
 * One fuzz input: random bytes, or a valid input with bits flipped, cut
 * short, grown by random bytes, spliced with another, or with one byte
 * overwritten by an interesting one. Deterministic for a seeded `random`.
 */
export function mutateBytes(
  random: () => number,
  corpus: readonly Uint8Array[],
  options: MutationOptions,
): Uint8Array {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const randomBytes = (length: number): Uint8Array =>
    Uint8Array.from({ length }, () =>
      random() < 0.3 ? pick(options.interestingBytes) : Math.floor(random() * 256),
    );
  const joined = (...parts: Uint8Array[]): Uint8Array => {
    const bytes = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
    let offset = 0;
    for (const part of parts) {
      bytes.set(part, offset);
      offset += part.length;
    }
    return bytes;
  };
  const base = pick(corpus);
  const at = Math.floor(random() * (base.length + 1));
  switch (Math.floor(random() * 7)) {
    case 0: {
      const noise = randomBytes(Math.floor(random() * options.maxRandomLength));
      return options.randomPrefix !== undefined && random() < 0.5
        ? joined(options.randomPrefix, noise)
        : noise;
    }
    case 1: {
      const flipped = base.slice();
      for (let flips = 1 + Math.floor(random() * options.maxFlips); flips > 0; flips--) {
        const position = Math.floor(random() * flipped.length);
        flipped[position] = (flipped[position] ?? 0) ^ (1 << Math.floor(random() * 8));
      }
      return flipped;
    }
    case 2:
      return base.slice(0, at);
    case 3:
      return joined(
        base.subarray(0, at),
        randomBytes(1 + Math.floor(random() * 8)),
        base.subarray(at),
      );
    case 4: {
      const other = pick(corpus);
      return joined(
        base.subarray(0, at),
        other.subarray(Math.floor(random() * (other.length + 1))),
      );
    }
    case 5: {
      const overwritten = base.slice();
      if (overwritten.length > 0) {
        overwritten[Math.floor(random() * overwritten.length)] = pick(options.interestingBytes);
      }
      return overwritten;
    }
    default:
      return base;
  }
}
