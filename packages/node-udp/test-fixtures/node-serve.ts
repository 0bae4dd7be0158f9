/**
 * A node in a process of its own, for tests that kill it: starts a node on
 * the data directory given as first argument, bound to the address given as
 * second, prints `{"address":…}` and runs until killed.
 *
 * Run: `node --conditions=@vig/source --import tsx test-fixtures/node-serve.ts <directory> <bind>`
 */
import { createNode } from '../src/vig-node.js';

const [directory, bind] = process.argv.slice(2);
if (directory === undefined || bind === undefined) {
  throw new Error('usage: node-serve.ts <directory> <bind>');
}
const node = await createNode({ bind, dataDir: directory, onWarning: () => undefined });
node.start();
process.stdout.write(`${JSON.stringify({ address: node.address })}\n`);
