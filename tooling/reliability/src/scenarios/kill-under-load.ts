/**
 * kill -9 under write load: three `vig serve --data DIR` processes (LMDB) on
 * 127.0.77.1..3; light clients write distinct keys through node 3 as fast as
 * it acknowledges them; node 3 gets SIGKILL mid-load. Its store is then
 * opened directly (it must open cleanly, no record skipped), more is written
 * through node 1 while node 3 is down, and node 3 is restarted on the same
 * directory: it must hold every write it acknowledged and every write it
 * missed, and so must every other node.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openLmdbStore } from '@vig/node-udp';
import { waitUntil } from '../bounded-wait.js';
import { createLocalProbe } from '../cluster-probe.js';
import type { ClusterProbe, VectorRecord } from '../cluster-probe.js';
import { everyNodeHolds, holdsAtLeast, missingWrites, waitForAllAlive } from '../cluster-views.js';
import type { ExpectedWrites } from '../cluster-views.js';
import { mebibytes, seconds } from '../figure-format.js';
import { freeAddresses } from '../loopback-ports.js';
import { check, checkedResult, figure } from '../scenario.js';
import type { Check, Figure, Scenario, ScenarioOptions, ScenarioResult } from '../scenario.js';
import { killNodes, serveNode, serveNodes } from '../vig-serve.js';
import type { ServeSpec, ServedNode } from '../vig-serve.js';
import { startWriteLoad, writeLoadPattern } from '../write-load.js';

/** The sizes of one run. */
interface KillSettings {
  /** Clients writing through the node that is killed. */
  readonly writers: number;
  /** Acknowledged writes before the kill. */
  readonly killAfter: number;
  /** Writes through another node while it is down. */
  readonly whileDown: number;
}

const SHORT: KillSettings = { writers: 4, killAfter: 300, whileDown: 30 };
const LONG: KillSettings = { writers: 6, killAfter: 4_000, whileDown: 300 };

/** Bounds, in real ms: generous, since CI machines are slow and busy. */
const FORM_TIMEOUT = 30_000;
const LOAD_TIMEOUT = 120_000;
const CATCH_UP_TIMEOUT = 90_000;

/** A store opened and read back after the kill. */
interface ReopenedStore {
  readonly error?: string;
  readonly keys: number;
  readonly skipped: number;
  /** Acknowledged writes it holds (at least the acknowledged entries). */
  readonly found: number;
  /** The acknowledged keys it lacks, or holds smaller. */
  readonly missing: readonly string[];
  readonly milliseconds: number;
}

/** See the module comment. */
export const killUnderLoad: Scenario = {
  id: 'kill-under-load',
  title: 'kill -9 under write load',
  summary:
    '3 `vig serve --data` processes; clients write distinct keys through node 3, which gets SIGKILL mid-load and is restarted on its directory: its store opens cleanly and every acknowledged write is found on it and on every node.',
  run: runKillUnderLoad,
};

async function runKillUnderLoad(options: ScenarioOptions): Promise<ScenarioResult> {
  const settings = options.short ? SHORT : LONG;
  const root = await mkdtemp(join(tmpdir(), 'vig-rel-kill-'));
  const probe = createLocalProbe({ timeout: 1_000 });
  const started: ServedNode[] = [];
  try {
    return await killAndRestart(settings, root, probe, started);
  } finally {
    await probe.close();
    await killNodes(started);
    await rm(root, { recursive: true, force: true });
  }
}

async function killAndRestart(
  settings: KillSettings,
  root: string,
  probe: ClusterProbe,
  started: ServedNode[],
): Promise<ScenarioResult> {
  const addresses = await freeAddresses(['127.0.77.1', '127.0.77.2', '127.0.77.3']);
  const specs: ServeSpec[] = addresses.map((address, index) => ({
    address,
    dataDir: join(root, `node-${index + 1}`),
    seeds: index === 0 ? [] : addresses.slice(0, 1),
  }));
  const nodes = await serveNodes(specs);
  started.push(...nodes);
  const [first, , target] = nodes;
  const targetSpec = specs[2];
  if (first === undefined || target === undefined || targetSpec === undefined) {
    throw new Error('three nodes expected');
  }
  const formed = await waitForAllAlive(probe, addresses, FORM_TIMEOUT);
  if (formed === undefined) {
    return checkedResult([check('the three nodes see each other alive', false)], []);
  }

  // The load, and the kill in the middle of it.
  const load = await startWriteLoad({
    node: target.address,
    writers: settings.writers,
    prefix: 'kill',
    groups: Math.ceil(settings.killAfter / 200),
    maxWritesPerWriter: settings.killAfter * 4,
  });
  const loadStarted = performance.now();
  const reached = await load.whenAcknowledged(settings.killAfter, LOAD_TIMEOUT);
  const loadMilliseconds = performance.now() - loadStarted;
  const peakBeforeKill = target.process.peakResidentBytes();
  target.process.kill('SIGKILL');
  const exit = await target.process.exited;
  await load.stop();
  const acknowledged: ExpectedWrites = new Map(load.acknowledged);

  // The store as the crash left it, before any gossip can repair it.
  const reopened = await reopenStore(targetSpec.dataDir ?? '', acknowledged);

  // Writes the killed node misses, then the restart on the same directory.
  const whileDown = await writeWhileDown(probe, first.address, settings.whileDown);
  const restarted = await serveNode(targetSpec);
  started.push(restarted);
  const restartedAt = performance.now();
  const caughtUp = await waitUntil(
    async () =>
      (await missingWrites(probe, target.address, writeLoadPattern, acknowledged)).length === 0 &&
      (await missingWrites(probe, target.address, 'down:%', whileDown)).length === 0,
    { timeout: CATCH_UP_TIMEOUT, interval: 200 },
  );
  const foundOnRestarted =
    acknowledged.size -
    (
      await missingWrites(probe, restarted.address, writeLoadPattern, acknowledged).catch(() => [
        ...acknowledged.keys(),
      ])
    ).length;
  const missedFound =
    whileDown.size -
    (
      await missingWrites(probe, restarted.address, 'down:%', whileDown).catch(() => [
        ...whileDown.keys(),
      ])
    ).length;
  const allHold = await waitUntil(
    async () =>
      (await everyNodeHolds(probe, addresses, writeLoadPattern, acknowledged)) &&
      (await everyNodeHolds(probe, addresses, 'down:%', whileDown)),
    { timeout: CATCH_UP_TIMEOUT, interval: 250 },
  );
  const afterRestart = performance.now() - restartedAt;

  const checks: Check[] = [
    check(
      `${settings.killAfter} writes acknowledged before the kill`,
      reached,
      `only ${acknowledged.size} within ${LOAD_TIMEOUT} ms`,
    ),
    check('the node died of SIGKILL', exit.signal === 'SIGKILL', JSON.stringify(exit)),
    check(
      'its store opens cleanly after the kill (no error, no record skipped)',
      reopened.error === undefined && reopened.skipped === 0,
      reopened.error ?? `${reopened.skipped} records skipped`,
    ),
    check(
      'every acknowledged write is found on the restarted node',
      foundOnRestarted === acknowledged.size,
      `${foundOnRestarted} of ${acknowledged.size} found`,
    ),
    check(
      'the writes made while it was down reach it',
      missedFound === whileDown.size,
      `${missedFound} of ${whileDown.size}`,
    ),
    check(
      'every node holds every acknowledged write',
      allHold !== undefined,
      `not within ${CATCH_UP_TIMEOUT} ms`,
    ),
  ];
  const figures: Figure[] = [
    figure('writers', `${settings.writers} light clients through node 3 of 3 (LMDB)`),
    figure('writes acknowledged before kill -9', acknowledged.size),
    figure('found on the restarted node', foundOnRestarted),
    figure(
      'acknowledged writes in its own store as the kill left it',
      `${reopened.found} of ${acknowledged.size}${reopened.found < acknowledged.size ? ' ⚠ (see notes)' : ''}`,
    ),
    figure('writes in flight at the kill (not acknowledged)', load.unacknowledged),
    figure(
      'store reopened after the kill',
      reopened.error === undefined
        ? `cleanly: ${reopened.keys} keys, ${reopened.skipped} skipped, in ${seconds(reopened.milliseconds)}`
        : `failed: ${reopened.error}`,
    ),
    figure(
      'write rate before the kill',
      `${Math.round(acknowledged.size / (loadMilliseconds / 1000))}/s`,
    ),
    figure('restart time (spawn → started)', seconds(restarted.startupMilliseconds)),
    figure('keys loaded at restart', restarted.storedKeys),
    figure('writes made while down, found after restart', `${missedFound} of ${whileDown.size}`),
    figure('catch-up time (started → holds all)', seconds(caughtUp)),
    figure(
      'every node holds every write, after restart',
      seconds(allHold === undefined ? undefined : afterRestart),
    ),
    figure('peak memory of the killed node (VmHWM)', mebibytes(peakBeforeKill)),
  ];
  return checkedResult(checks, figures, durabilityNote(reopened, acknowledged.size));
}

/** A note when the killed node's own store lacked acknowledged writes that its peers gave back. */
function durabilityNote(reopened: ReopenedStore, acknowledged: number): string | undefined {
  if (reopened.error !== undefined || reopened.found === acknowledged) return undefined;
  return (
    `${acknowledged - reopened.found} of ${acknowledged} writes acknowledged to a client were not in the killed node's own store ` +
    `(${reopened.missing.slice(0, 8).join(', ')}): a client's put resolves when the node's answer shows it holds the entries, ` +
    'which can come before the batch holding them is on disk. They were back after the restart because the node had gossiped them first.'
  );
}

/** Opens the killed node's store in this process, reads it whole, and closes it. */
async function reopenStore(
  directory: string,
  acknowledged: ExpectedWrites,
): Promise<ReopenedStore> {
  const started = performance.now();
  try {
    const store = await openLmdbStore({ directory });
    try {
      const loaded = await store.load();
      const missing = [...acknowledged]
        .filter(([key, entries]) => !holdsAtLeast(loaded.get(key)?.toRecord(), entries))
        .map(([key]) => key);
      return {
        keys: loaded.size,
        skipped: loaded.skipped,
        found: acknowledged.size - missing.length,
        missing,
        milliseconds: performance.now() - started,
      };
    } finally {
      await store.close();
    }
  } catch (error) {
    return {
      error: error instanceof Error ? error.message : String(error),
      keys: 0,
      skipped: 0,
      found: 0,
      missing: [...acknowledged.keys()],
      milliseconds: performance.now() - started,
    };
  }
}

/** Writes `count` keys `down:N` through `node`, one after the other; returns those acknowledged. */
async function writeWhileDown(
  probe: ClusterProbe,
  node: string,
  count: number,
): Promise<Map<string, VectorRecord>> {
  const written = new Map<string, VectorRecord>();
  for (let index = 0; index < count; index++) {
    const key = `down:${index}`;
    const entries = { 0: index + 1 };
    try {
      await probe.put(node, key, entries);
      written.set(key, entries);
    } catch {
      // Not acknowledged: not expected anywhere.
    }
  }
  return written;
}
