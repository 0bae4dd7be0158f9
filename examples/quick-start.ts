/**
 * The quick-start demo: three replicas keep exact page-view counters and
 * last-seen timestamps as max vectors, exchange vignette messages as real
 * msgpack bytes (what a Ruby vignette node would read), and converge.
 *
 * Run: `pnpm demo` from the repository root.
 */
import { MaxStore } from '@vig/crdt-core';
import type { VectorEntries } from '@vig/crdt-core';
import { decodeMessage, encodeMessage } from '@vig/wire';

interface Replica {
  readonly name: string;
  /** This replica's writer id: its own index in every counter vector. */
  readonly writerId: number;
  readonly store: MaxStore;
}

const replicas: Replica[] = ['berlin', 'lisbon', 'osaka'].map((name, writerId) => ({
  name,
  writerId,
  store: new MaxStore(),
}));

let datagrams = 0;
let bytesOnWire = 0;

/** A G-Counter increment: a writer raises only its own index, to its new running total. */
function countView(replica: Replica, page: string, views: number): void {
  const key = `views:${page}`;
  const current = replica.store.get(key)?.get(replica.writerId) ?? 0;
  replica.store.merge(key, {
    kind: 'sparse',
    indices: [replica.writerId],
    values: [current + views],
  });
}

/** A last-seen timestamp: one register, max keeps the latest. */
function seeUser(replica: Replica, user: string, minute: number): void {
  replica.store.merge(`seen:${user}`, { kind: 'sparse', indices: [0], values: [minute] });
}

/** Sends one vignette message from `from` to `to` as bytes, and applies it there. */
function send(from: Replica, to: Replica, key: string, vector: VectorEntries, ttl: number): void {
  const bytes = encodeMessage({ key, vector, ttl, full: false });
  datagrams += 1;
  bytesOnWire += bytes.length;
  receive(to, from, bytes);
}

/** What a node does with a message (SPEC §3, without the network): merge, reply, forward. */
function receive(replica: Replica, sender: Replica, bytes: Uint8Array): void {
  const decoded = decodeMessage(bytes);
  if (!decoded.ok) throw decoded.error;
  const { key, vector, ttl } = decoded.message;
  const { grew, larger } = replica.store.merge(key, vector);
  if (ttl === 0) return;
  if (entryCount(larger) > 0) send(replica, sender, key, larger, ttl - 1);
  if (entryCount(grew) > 0) {
    for (const peer of replicas) {
      if (peer !== replica && peer !== sender) send(replica, peer, key, grew, ttl - 1);
    }
  }
}

function entryCount(entries: VectorEntries): number {
  return entries.kind === 'sparse' ? entries.indices.length : entries.registers.length;
}

/** The value of a G-Counter: the sum of every writer's own count. */
function counterTotal(replica: Replica, key: string): number {
  let total = 0;
  replica.store.get(key)?.forEach((_index, value) => (total += value));
  return total;
}

// Each replica takes writes on its own, with no coordination.
countView(replicas[0], 'home', 120);
countView(replicas[1], 'home', 75);
countView(replicas[2], 'home', 31);
countView(replicas[1], 'pricing', 12);
countView(replicas[2], 'pricing', 9);
seeUser(replicas[0], 'alice', 29_340_001);
seeUser(replicas[2], 'alice', 29_340_017);

console.log('Before gossip, each replica sees only its own writes:');
for (const replica of replicas) {
  console.log(
    `  ${replica.name.padEnd(7)} views:home=${counterTotal(replica, 'views:home')}` +
      ` views:pricing=${counterTotal(replica, 'views:pricing')}` +
      ` seen:alice=${replica.store.get('seen:alice')?.get(0) ?? 0}`,
  );
}

// One gossip round: every replica pushes every key it holds to one neighbour.
replicas.forEach((replica, position) => {
  const neighbour = replicas[(position + 1) % replicas.length];
  for (const [key, vector] of replica.store) send(replica, neighbour, key, vector.toEntries(), 3);
});

console.log(`\nAfter one gossip round (${datagrams} datagrams, ${bytesOnWire} bytes of msgpack):`);
for (const replica of replicas) {
  console.log(
    `  ${replica.name.padEnd(7)} views:home=${counterTotal(replica, 'views:home')}` +
      ` views:pricing=${counterTotal(replica, 'views:pricing')}` +
      ` seen:alice=${replica.store.get('seen:alice')?.get(0) ?? 0}`,
  );
}

const [first, ...others] = replicas;
const converged = others.every((replica) =>
  [...first.store].every(([key, vector]) => replica.store.get(key)?.equals(vector) === true),
);
console.log(converged ? '\nAll replicas converged.' : '\nReplicas differ!');

const berlin = replicas[0].store;
console.log(`\nSearch "views:%" on berlin:`);
for (const [key, vector] of berlin.search('views:%')) {
  console.log(`  ${key} → ${JSON.stringify(vector.toRecord())}`);
}
console.log(`Aggregate "views:*" on berlin (element-wise max over matching keys):`);
console.log(`  ${JSON.stringify(berlin.aggregate('views:*').toRecord())}`);

const sample = encodeMessage({
  key: 'views:home',
  vector: berlin.get('views:home')!.toEntries(),
  ttl: 3,
  full: false,
});
console.log(`\nThe message a Ruby vignette peer reads for views:home (${sample.length} bytes):`);
console.log(`  ${Buffer.from(sample).toString('hex')}`);

if (!converged) process.exitCode = 1;
