import { WireDecodeError } from '../src/index.js';
import { seededRandom } from './helpers.js';

/** One decoder under fuzzing, and how to check what it accepts. */
export interface DecoderFuzz<Value> {
  readonly seed: number;
  readonly rounds: number;
  /** Valid inputs of every shape, made once from the seeded random. */
  readonly corpus: (random: () => number) => Uint8Array[];
  /** One fuzz input from the corpus (see `mutateBytes`). */
  readonly mutate: (random: () => number, corpus: readonly Uint8Array[]) => Uint8Array;
  readonly decode: (
    input: Uint8Array,
  ) => { ok: true; value: Value } | { ok: false; error: WireDecodeError };
  /** Every reason the decoder may give. */
  readonly reasons: ReadonlySet<string>;
  /** Checks an accepted value (e.g. that it re-encodes to itself); a problem's text, or undefined. */
  readonly checkAccepted: (value: Value) => string | undefined;
}

/** What a fuzz run found: problems (with the seed, round and input to replay), and counts by outcome. */
export interface DecoderFuzzReport {
  readonly problems: string[];
  readonly seen: Map<string, number>;
}

/**
 * Feeds the decoder seeded random and mutated inputs. Every input must yield
 * an accepted value that passes `checkAccepted`, or a typed error with a known
 * reason and a message: never a throw. Stops after five problems.
 */
export function fuzzDecoder<Value>(fuzz: DecoderFuzz<Value>): DecoderFuzzReport {
  const random = seededRandom(fuzz.seed);
  const corpus = fuzz.corpus(random);
  const problems: string[] = [];
  const seen = new Map<string, number>();
  const count = (outcome: string): void => {
    seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
  };
  for (let round = 0; round < fuzz.rounds && problems.length < 5; round++) {
    const input = fuzz.mutate(random, corpus);
    // Only built for a failure: enough to replay it.
    const replay = (): string =>
      `seed ${fuzz.seed}, round ${round}, input ${Buffer.from(input).toString('hex')}`;
    let result: ReturnType<DecoderFuzz<Value>['decode']>;
    try {
      result = fuzz.decode(input);
    } catch (error) {
      problems.push(`threw ${String(error)} (${replay()})`);
      continue;
    }
    if (!result.ok) {
      const { error } = result;
      if (
        !(error instanceof WireDecodeError) ||
        !fuzz.reasons.has(error.reason) ||
        error.message === ''
      ) {
        problems.push(`untyped error ${String(error)} (${replay()})`);
      }
      count(error.reason);
      continue;
    }
    count('ok');
    try {
      const problem = fuzz.checkAccepted(result.value);
      if (problem !== undefined) problems.push(`${problem} (${replay()})`);
    } catch (error) {
      problems.push(`checking an accepted input threw ${String(error)} (${replay()})`);
    }
  }
  return { problems, seen };
}
