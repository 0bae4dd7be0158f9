/**
 * Partition and heal of real processes: `vig serve --local` processes in a
 * network namespace, side A on 127.0.1.x and side B on 127.0.2.x. Once all
 * see all alive, nftables drops every datagram between the sides; each side
 * must declare the other dead; writes go on on both sides (distinct keys,
 * and one key both sides raise, at different indices) and must stay on their
 * side. Then the rule goes: every node must hold every write and see every
 * other alive again. Timed: detection, and the heal of data and membership.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { waitUntil } from '../bounded-wait.js';
import type { ClusterProbe, ProbedMember, VectorRecord } from '../cluster-probe.js';
import { everyNodeHolds, holdsAtLeast, waitForAllAlive } from '../cluster-views.js';
import type { ExpectedWrites } from '../cluster-views.js';
import { mebibytes, seconds } from '../figure-format.js';
import { withNamespaceCluster } from '../namespace-cluster.js';
import type { NamespaceCluster } from '../namespace-cluster.js';
import { namespaceSupport } from '../network-namespace.js';
import { BLOCKED_COUNTER, PARTITION_TABLE, partitionRules } from '../nft-rules.js';
import { check, checkedResult, figure, skippedResult } from '../scenario.js';
import type { Check, Scenario, ScenarioOptions, ScenarioResult } from '../scenario.js';
import { largestPeakResident, memberDownLines } from '../vig-serve.js';

/** The sizes of one run. */
interface PartitionSettings {
  /** Nodes on each side. */
  readonly perSide: number;
  /** Writes on each side during the partition. */
  readonly writesPerSide: number;
  /** The least ms the partition lasts (it lasts until both sides saw the other dead, too). */
  readonly hold: number;
}

const SHORT: PartitionSettings = { perSide: 2, writesPerSide: 10, hold: 4_000 };
const LONG: PartitionSettings = { perSide: 3, writesPerSide: 100, hold: 20_000 };

const FORM_TIMEOUT = 60_000;
const DETECT_TIMEOUT = 30_000;
const HEAL_TIMEOUT = 60_000;

/** The two sides' addresses. */
interface Sides {
  readonly a: readonly string[];
  readonly b: readonly string[];
}

/** See the module comment. */
export const partitionHeal: Scenario = {
  id: 'partition-heal',
  title: 'partition and heal, real processes',
  summary:
    '`vig serve` processes in a network namespace split in two halves by nftables: each half declares the other dead, writes on both sides stay on their side, and after the heal every node holds everything and sees everyone alive.',
  run: runPartitionHeal,
};

async function runPartitionHeal(options: ScenarioOptions): Promise<ScenarioResult> {
  const support = await namespaceSupport();
  if (!support.available) return skippedResult(support.reason);
  const settings = options.short ? SHORT : LONG;
  const side = (subnet: number) =>
    Array.from({ length: settings.perSide }, (_, index) => `127.0.${subnet}.${index + 1}:7946`);
  const sides: Sides = { a: side(1), b: side(2) };
  return withNamespaceCluster([...sides.a, ...sides.b], undefined, (cluster) =>
    splitAndHeal(settings, cluster, sides),
  );
}

async function splitAndHeal(
  settings: PartitionSettings,
  { namespace, nodes, probe, addresses }: NamespaceCluster,
  sides: Sides,
): Promise<ScenarioResult> {
  const formed = await waitForAllAlive(probe, addresses, FORM_TIMEOUT);
  if (formed === undefined) {
    return checkedResult([check('membership forms before the partition', false)], []);
  }

  // The partition: each side must see the other dead.
  const hosts = (side: readonly string[]) => side.map((address) => address.split(':')[0] ?? '');
  await namespace.applyRules(partitionRules(hosts(sides.a), hosts(sides.b)));
  const partitionedAt = performance.now();
  const detected = await waitUntil(() => eachSideSeesOtherDown(probe, sides), {
    timeout: DETECT_TIMEOUT,
    interval: 100,
  });

  // Writes on both sides: their own keys, and one shared key at distinct indices.
  const writesA = await writeOnSide(probe, sides.a, 'part:a', 0, settings.writesPerSide);
  const writesB = await writeOnSide(probe, sides.b, 'part:b', 1, settings.writesPerSide);
  const sideAHoldsA = await waitUntil(() => everyNodeHolds(probe, sides.a, 'part:%', writesA), {
    timeout: HEAL_TIMEOUT,
    interval: 100,
  });
  const sideBHoldsB = await waitUntil(() => everyNodeHolds(probe, sides.b, 'part:%', writesB), {
    timeout: HEAL_TIMEOUT,
    interval: 100,
  });
  const leakedToB = await crossedOver(probe, sides.b, 'part:a:%', writesA);
  const leakedToA = await crossedOver(probe, sides.a, 'part:b:%', writesB);
  const shared: VectorRecord = await probe.get(sides.a[0] ?? '', 'part:shared').catch(() => ({}));
  const waited = performance.now() - partitionedAt;
  if (waited < settings.hold) await sleep(settings.hold - waited);
  const blocked = (await namespace.counters(PARTITION_TABLE)).get(BLOCKED_COUNTER) ?? 0;
  const partitionLasted = performance.now() - partitionedAt;

  // The heal.
  await namespace.deleteTable(PARTITION_TABLE);
  const everything: ExpectedWrites = new Map([
    ...writesA,
    ...writesB,
    ['part:shared', { ...writesA.get('part:shared'), ...writesB.get('part:shared') }],
  ]);
  const [dataHealed, membershipHealed] = await Promise.all([
    waitUntil(() => everyNodeHolds(probe, addresses, 'part:%', everything), {
      timeout: HEAL_TIMEOUT,
      interval: 100,
    }),
    waitForAllAlive(probe, addresses, HEAL_TIMEOUT),
  ]);
  const healed =
    dataHealed === undefined || membershipHealed === undefined
      ? undefined
      : Math.max(dataHealed, membershipHealed);
  const downLines = nodes.reduce((sum, node) => sum + memberDownLines(node), 0);

  const checks: Check[] = [
    check(
      'each side declares the other dead',
      detected !== undefined,
      `not within ${DETECT_TIMEOUT} ms`,
    ),
    check(
      'writes during the partition reach their own side',
      sideAHoldsA !== undefined && sideBHoldsB !== undefined,
      `side A ${sideAHoldsA === undefined ? 'did not' : 'did'}, side B ${sideBHoldsB === undefined ? 'did not' : 'did'}`,
    ),
    check(
      'no write crosses the partition',
      leakedToA === 0 && leakedToB === 0 && shared[1] === undefined,
      `${leakedToB} of A's writes on B, ${leakedToA} of B's on A`,
    ),
    check(
      'after the heal every node holds every write',
      dataHealed !== undefined,
      `not within ${HEAL_TIMEOUT} ms`,
    ),
    check(
      'after the heal every node sees every other alive',
      membershipHealed !== undefined,
      `not within ${HEAL_TIMEOUT} ms`,
    ),
  ];
  return checkedResult(checks, [
    figure('nodes', `${settings.perSide} | ${settings.perSide} \`vig serve --local\` processes`),
    figure('partition detected (every cross-side peer dead)', seconds(detected)),
    figure(
      'writes during the partition',
      `${writesA.size - 1} keys on side A, ${writesB.size - 1} on side B, and one key both raised`,
    ),
    figure('partition lasted, datagrams blocked', `${seconds(partitionLasted)}, ${blocked}`),
    figure('partition heal time (every node holds every write)', seconds(dataHealed)),
    figure('partition heal time (every node sees every other alive)', seconds(membershipHealed)),
    figure('partition heal time (both)', seconds(healed)),
    figure('member-down lines logged', downLines),
    figure('peak memory of a node (largest VmHWM)', mebibytes(largestPeakResident(nodes))),
  ]);
}

/** Whether every node sees every node of the other side as `dead`. */
async function eachSideSeesOtherDown(probe: ClusterProbe, sides: Sides): Promise<boolean> {
  const views = await Promise.all(
    [...sides.a, ...sides.b].map(async (node) => ({ node, members: await probe.members(node) })),
  );
  return views.every(({ node, members }) => {
    const other = sides.a.includes(node) ? sides.b : sides.a;
    return other.every((address) => statusOf(members, address) === 'dead');
  });
}

function statusOf(members: readonly ProbedMember[], address: string): string | undefined {
  return members.find((member) => member.address === address)?.status;
}

/**
 * Writes `count` keys `PREFIX:N` through the nodes of `side` in turn, and
 * raises index `sharedIndex` of `part:shared` to N + 1 each time; returns
 * the writes acknowledged, the shared key's last one included.
 */
async function writeOnSide(
  probe: ClusterProbe,
  side: readonly string[],
  prefix: string,
  sharedIndex: number,
  count: number,
): Promise<Map<string, VectorRecord>> {
  const written = new Map<string, VectorRecord>();
  for (let number = 0; number < count; number++) {
    const node = side[number % side.length] ?? '';
    const entries = { [number % 8]: number + 1 };
    try {
      await probe.put(node, `${prefix}:${number}`, entries);
      written.set(`${prefix}:${number}`, entries);
      await probe.put(node, 'part:shared', { [sharedIndex]: number + 1 });
      written.set('part:shared', { [sharedIndex]: number + 1 });
    } catch {
      // Not acknowledged: not expected anywhere.
    }
  }
  return written;
}

/** The most of `writes` (shared key aside) that any node of `side` holds: none while partitioned. */
async function crossedOver(
  probe: ClusterProbe,
  side: readonly string[],
  pattern: string,
  writes: ExpectedWrites,
): Promise<number> {
  let crossed = 0;
  for (const node of side) {
    const held = await probe.search(node, pattern);
    const present = [...writes].filter(
      ([key, entries]) => key !== 'part:shared' && holdsAtLeast(held.get(key), entries),
    ).length;
    crossed = Math.max(crossed, present);
  }
  return crossed;
}
