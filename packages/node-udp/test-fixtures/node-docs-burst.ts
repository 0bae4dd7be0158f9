/**
 * The child process of the documents' kill -9 test
 * (src/node-documents-kill.test.ts): starts a node on the data directory
 * given as first argument and writes a burst of documents named after the
 * second argument with `node.docs.put`, up to 8 writes in flight. It first
 * prints `{"agent":…}`, the agent it writes as; then, after each put's
 * promise resolves, one line `{"version":…,"key":…,"value":…}`: an operation
 * the node must hold after any crash from then on. Stdout writes to a pipe
 * are synchronous on Linux, so a printed line was acknowledged before any
 * kill that follows it.
 *
 * Run: `node --conditions=@vig/source --import tsx test-fixtures/node-docs-burst.ts <directory> <label>`
 */
import { createNode } from '../src/vig-node.js';

/** The burst's length if nobody kills it first. */
const MAX_WRITES = 50_000;
/** Writes allowed in flight before the next waits for the oldest. */
const MAX_IN_FLIGHT = 8;

const [directory, label] = process.argv.slice(2);
if (directory === undefined || label === undefined) {
  throw new Error('usage: node-docs-burst.ts <directory> <label>');
}

const node = await createNode({
  bind: '127.0.0.1:0',
  dataDir: directory,
  onWarning: () => undefined,
});
node.start();
process.stdout.write(`${JSON.stringify({ agent: node.docs.agent })}\n`);

const inFlight: Promise<unknown>[] = [];
for (let write = 0; write < MAX_WRITES; write++) {
  // Ten keys rewritten in turn (each write replaces the last of its key), values telling the run.
  const key = `${label}:${write % 10}`;
  const value = `${label}/${write}`;
  inFlight.push(
    node.docs.put(key, value).then((version) => {
      process.stdout.write(`${JSON.stringify({ version, key, value })}\n`);
    }),
  );
  if (inFlight.length >= MAX_IN_FLIGHT) await inFlight.shift();
  else await new Promise((resolve) => setImmediate(resolve));
}
await Promise.all(inFlight);
await node.stop();
process.stdout.write('done\n');
