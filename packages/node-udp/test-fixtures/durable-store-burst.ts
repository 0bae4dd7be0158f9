/**
 * The child process of the kill -9 test (src/lmdb-store-kill.test.ts): opens
 * the LMDB store in the directory given as first argument and writes a burst
 * of keys named after the second argument, one batch per event-loop turn,
 * with up to 8 batches in flight. After each write's promise resolves it
 * prints one line, `{"key":…,"record":{…}}`: the key and the vector it
 * passed to `write`, which the store must hold (or a larger one) after any
 * crash from then on. Stdout writes to a pipe are synchronous on Linux, so a
 * printed line was acknowledged before any kill that follows it.
 *
 * Run: `node --conditions=@vig/source --import tsx test-fixtures/durable-store-burst.ts <directory> <label>`
 */
import { MaxVector } from '@vig/crdt-core';
import { openLmdbStore } from '../src/lmdb-store.js';

/** The burst's length if nobody kills it first. */
const MAX_ROUNDS = 50_000;
/** Batches allowed in flight before a round waits for the oldest. */
const MAX_ROUNDS_IN_FLIGHT = 8;

const [directory, label] = process.argv.slice(2);
if (directory === undefined || label === undefined) {
  throw new Error('usage: durable-store-burst.ts <directory> <label>');
}

const store = await openLmdbStore({ directory });
/** Keys written again every few rounds, growing each time, as a node's live vectors do. */
const counters = new Map<string, MaxVector>();

/** The keys and vectors written in `round`: a new sparse key, now and then a dense one, and a counter. */
function burstOf(round: number): [string, MaxVector][] {
  const writes: [string, MaxVector][] = [
    [`${label}:sparse:${round}`, MaxVector.from({ 0: round + 1, [1000 + round]: 7 })],
  ];
  if (round % 5 === 0) {
    const registers = new MaxVector();
    for (let register = 0; register < 256; register++) {
      registers.raise(register, 1 + ((register * 31 + round) % 40));
    }
    writes.push([`${label}:dense:${round}`, registers]);
  }
  const counterKey = `${label}:counter:${round % 4}`;
  const counter = counters.get(counterKey) ?? new MaxVector();
  counters.set(counterKey, counter);
  counter.raise(0, round + 1);
  counter.raise(1 + (round % 16), round + 1);
  writes.push([counterKey, counter]);
  return writes;
}

function writeAndAcknowledge(key: string, vector: MaxVector): Promise<void> {
  const record = vector.toRecord();
  return store.write(key, vector).then(() => {
    process.stdout.write(`${JSON.stringify({ key, record })}\n`);
  });
}

const inFlight: Promise<unknown>[] = [];
for (let round = 0; round < MAX_ROUNDS; round++) {
  inFlight.push(
    Promise.all(burstOf(round).map(([key, vector]) => writeAndAcknowledge(key, vector))),
  );
  if (inFlight.length >= MAX_ROUNDS_IN_FLIGHT) await inFlight.shift();
  else await new Promise((resolve) => setImmediate(resolve));
}
await Promise.all(inFlight);
await store.close();
process.stdout.write('done\n');
