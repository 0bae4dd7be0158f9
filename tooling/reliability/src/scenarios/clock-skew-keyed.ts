/**
 * Clock skew of ± 1 hour in a keyed cluster, where clocks matter most: every
 * datagram is sealed with its sender's time, and a receiver refuses one more
 * than 2 hours from its own clock (`clock-skew`, the replay guard of
 * `@vig/wire`). Three keyed nodes (keyed-node-host.ts, as `vig serve` takes
 * no key yet) on 127.0.79.1..3, the second an hour ahead and the third an
 * hour behind: they are 2 hours apart, right at the bound. Membership must
 * reach all-alive and stay so, and writes must converge; the datagrams each
 * node refused are counted. Then the node with the true clock is killed and
 * the pair left alone is watched: what it sees of each other is a figure,
 * not an invariant (the bound is documented as 2 hours).
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { newClusterKey } from '@vig/node-udp';
import { waitUntil } from '../bounded-wait.js';
import { clockShiftSupport, shiftedClockEnv } from '../clock-shift.js';
import { createLocalProbe } from '../cluster-probe.js';
import type { ClusterProbe } from '../cluster-probe.js';
import { holdsAtLeast, waitForAllAlive } from '../cluster-views.js';
import { medianAndMax, seconds } from '../figure-format.js';
import { freeAddresses } from '../loopback-ports.js';
import { watchMembership } from '../membership-watch.js';
import { check, checkedResult, figure, skippedResult } from '../scenario.js';
import type { Scenario, ScenarioOptions, ScenarioResult } from '../scenario.js';
import { writeAndFollow } from '../spread-times.js';
import { killNodes, memberDownLines, securityDrops, serveNodes } from '../vig-serve.js';
import type { ServedNode } from '../vig-serve.js';

/** The offsets of the three nodes' clocks, in seconds. */
const OFFSETS = [0, 3_600, -3_600] as const;
const LABEL = 'reliability';

/** The sizes of one run. */
interface KeyedSkewSettings {
  /** Ms membership is watched once all-alive. */
  readonly watch: number;
  readonly writes: number;
  /** Ms the pair is left alone (beyond `deadAfter`, 3 s at loopback timings). */
  readonly alone: number;
}

const SHORT: KeyedSkewSettings = { watch: 4_000, writes: 9, alone: 5_000 };
const LONG: KeyedSkewSettings = { watch: 20_000, writes: 60, alone: 15_000 };

const FORM_TIMEOUT = 60_000;
const SPREAD_TIMEOUT = 60_000;
/** Ms a write on one node of the pair gets to reach the other. */
const PAIR_WRITE_TIMEOUT = 5_000;

/** See the module comment. */
export const clockSkewKeyed: Scenario = {
  id: 'clock-skew-keyed',
  title: 'clock skew ± 1 hour, keyed cluster',
  summary:
    '3 keyed nodes (every datagram sealed with its sender’s time), one an hour ahead and one an hour behind: membership reaches all-alive and holds, writes converge; datagrams refused for clock skew are counted, and the skewed pair is watched alone.',
  run: runKeyedClockSkew,
};

async function runKeyedClockSkew(options: ScenarioOptions): Promise<ScenarioResult> {
  const support = await clockShiftSupport();
  if (!support.available) return skippedResult(support.reason);
  const settings = options.short ? SHORT : LONG;
  const keyed = { key: newClusterKey(), label: LABEL };
  const probe = createLocalProbe({ timeout: 1_000, keyed });
  const nodes: ServedNode[] = [];
  try {
    const addresses = await freeAddresses(['127.0.79.1', '127.0.79.2', '127.0.79.3']);
    nodes.push(
      ...(await serveNodes(
        addresses.map((address, index) => ({
          address,
          seeds: index === 0 ? [] : addresses.slice(0, 1),
          keyed,
          env:
            (OFFSETS[index] ?? 0) === 0
              ? {}
              : shiftedClockEnv(support.library, OFFSETS[index] ?? 0),
        })),
      )),
    );
    return await keyedAndSkewed(settings, nodes, probe);
  } finally {
    await probe.close();
    await killNodes(nodes);
  }
}

async function keyedAndSkewed(
  settings: KeyedSkewSettings,
  nodes: readonly ServedNode[],
  probe: ClusterProbe,
): Promise<ScenarioResult> {
  const addresses = nodes.map((node) => node.address);
  const formed = await waitForAllAlive(probe, addresses, FORM_TIMEOUT);
  const watch = await watchMembership(probe, addresses, settings.watch);
  const { writes, spread } = await writeAndFollow(probe, addresses, {
    prefix: 'keyed',
    count: settings.writes,
    spacing: 100,
    timeout: SPREAD_TIMEOUT,
  });
  await sleep(600); // one more `security` line from each node
  const refused = nodes.map((node) => securityDrops(node)['clock-skew'] ?? 0);
  const downLines = nodes.reduce((sum, node) => sum + memberDownLines(node), 0);
  const alone = await pairAlone(nodes, probe, settings.alone);

  return checkedResult(
    [
      check('membership reaches all-alive', formed !== undefined, `not within ${FORM_TIMEOUT} ms`),
      check(
        `membership holds for ${seconds(settings.watch)}: no member declared dead, all-alive after`,
        watch.settled && downLines === 0,
        `${downLines} member-down lines; all-alive after: ${watch.settled ? 'yes' : 'no'}`,
      ),
      check(
        'writes on every node converge',
        writes.size > 0 && spread.unreached.length === 0,
        `${spread.unreached.length} of ${writes.size} writes short of some node`,
      ),
    ],
    [
      figure(
        'nodes',
        '3 keyed nodes: true clock, +1 h, −1 h (2 h apart; the replay guard allows 3 h)',
      ),
      figure('time to all-alive (after the last node started)', seconds(formed)),
      figure(
        `membership watched for ${seconds(settings.watch)}`,
        `${watch.allAliveRounds} of ${watch.rounds} rounds all-alive; ${watch.suspectPairs} (node, peer) suspicions seen`,
      ),
      figure('convergence time, per write', medianAndMax([...spread.times.values()])),
      figure(
        'datagrams refused as clock-skew (true, +1 h, −1 h)',
        refused.join(', ') + (refused.some((count) => count > 0) ? ' ⚠' : ''),
      ),
      figure(
        `the ±1 h pair alone for ${seconds(settings.alone)}: +1 h sees −1 h, −1 h sees +1 h`,
        `${alone.aheadSeesBehind}, ${alone.behindSeesAhead}`,
      ),
      figure(
        'the pair alone: a write reaches the other node (behind → ahead, ahead → behind)',
        `${alone.behindToAhead ? 'yes' : 'no ⚠'}, ${alone.aheadToBehind ? 'yes' : 'no ⚠'}`,
      ),
    ],
    'Keyed nodes run keyed-node-host.ts: `createNode` with the cluster key, a memory store and the loopback timings, one process each.',
  );
}

/** What the ±1 h pair saw of each other once the node with the true clock was gone. */
interface PairAlone {
  readonly aheadSeesBehind: string;
  readonly behindSeesAhead: string;
  readonly behindToAhead: boolean;
  readonly aheadToBehind: boolean;
}

/** Kills the node with the true clock, waits `duration` ms, and asks the pair about each other. */
async function pairAlone(
  nodes: readonly ServedNode[],
  probe: ClusterProbe,
  duration: number,
): Promise<PairAlone> {
  const [truth, ahead, behind] = nodes;
  if (truth === undefined || ahead === undefined || behind === undefined) {
    throw new Error('three nodes expected');
  }
  truth.process.kill('SIGKILL');
  await truth.process.exited;
  await sleep(duration);
  const statusOf = async (node: ServedNode, other: ServedNode): Promise<string> => {
    const members = await probe.members(node.address).catch(() => undefined);
    if (members === undefined) return 'no answer';
    return members.find((member) => member.address === other.address)?.status ?? 'unknown';
  };
  const reaches = async (from: ServedNode, to: ServedNode, key: string): Promise<boolean> => {
    await probe.put(from.address, key, { 0: 1 }).catch(() => undefined);
    const hit = await waitUntil(
      async () => holdsAtLeast(await probe.get(to.address, key), { 0: 1 }),
      { timeout: PAIR_WRITE_TIMEOUT, interval: 100 },
    );
    return hit !== undefined;
  };
  return {
    aheadSeesBehind: await statusOf(ahead, behind),
    behindSeesAhead: await statusOf(behind, ahead),
    behindToAhead: await reaches(behind, ahead, 'pair:behind-to-ahead'),
    aheadToBehind: await reaches(ahead, behind, 'pair:ahead-to-behind'),
  };
}
