/**
 * Time and timers, injected into the engine so the simulated network runs in
 * virtual time, deterministically. Times are milliseconds.
 */
export interface Scheduler {
  /** The current time in milliseconds (monotonic within one scheduler). */
  now(): number;
  /** Runs `callback` once after `delayMilliseconds`; returns a function that cancels it. */
  after(delayMilliseconds: number, callback: () => void): () => void;
}

// Randomness is the same everywhere in Vig: one source type and one seeded
// generator, defined in the lowest layer and re-exported here for the engine's users.
export { seededRandom } from '@vig/crdt-core';
export type { RandomSource } from '@vig/crdt-core';
