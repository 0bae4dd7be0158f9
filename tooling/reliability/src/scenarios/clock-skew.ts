/**
 * Clock skew of ± 1 hour: three `vig serve --local` processes on
 * 127.0.78.1..3, the second one hour ahead and the third one hour behind
 * (libfaketime preloaded; that it moves Node's clocks is checked first, and
 * the nodes' own heartbeats show it). Membership must reach all-alive and
 * stay so, and writes must converge. Then the clock of the node ahead steps
 * back an hour across a restart: killed with SIGKILL, left until its peers
 * declare it dead, restarted with the true clock (a memory store, so it
 * remembers no heartbeat) — its heartbeats are now an hour below those its
 * peers saw, and it must still come back alive everywhere.
 */
import { waitUntil } from '../bounded-wait.js';
import { clockShiftSupport, isShiftedBy, measureShift, shiftedClockEnv } from '../clock-shift.js';
import type { MeasuredShift } from '../clock-shift.js';
import { createLocalProbe } from '../cluster-probe.js';
import type { ClusterProbe } from '../cluster-probe.js';
import { waitForAllAlive } from '../cluster-views.js';
import { medianAndMax, seconds } from '../figure-format.js';
import { freeAddresses } from '../loopback-ports.js';
import { watchMembership } from '../membership-watch.js';
import { check, checkedResult, figure, skippedResult } from '../scenario.js';
import type { Check, Figure, Scenario, ScenarioOptions, ScenarioResult } from '../scenario.js';
import { writeAndFollow } from '../spread-times.js';
import { killNodes, memberDownLines, serveNode, serveNodes } from '../vig-serve.js';
import type { ServeSpec, ServedNode } from '../vig-serve.js';

/** The offsets of the three nodes' clocks, in seconds. */
const OFFSETS = [0, 3_600, -3_600] as const;
/** How far a node's heartbeat offset may be from its clock's (they count rounds, not only seconds). */
const HEARTBEAT_TOLERANCE = 120;

/** The sizes of one run. */
interface SkewSettings {
  /** Ms membership is watched once all-alive. */
  readonly watch: number;
  readonly writes: number;
}

const SHORT: SkewSettings = { watch: 5_000, writes: 9 };
const LONG: SkewSettings = { watch: 30_000, writes: 60 };

const FORM_TIMEOUT = 60_000;
const SPREAD_TIMEOUT = 60_000;
const DEAD_TIMEOUT = 30_000;

/** See the module comment. */
export const clockSkew: Scenario = {
  id: 'clock-skew',
  title: 'clock skew ± 1 hour',
  summary:
    '3 `vig serve` processes, one an hour ahead and one an hour behind (libfaketime): membership reaches all-alive and holds, writes converge, and the node ahead, restarted with its clock an hour back, is alive again everywhere.',
  run: runClockSkew,
};

async function runClockSkew(options: ScenarioOptions): Promise<ScenarioResult> {
  const support = await clockShiftSupport();
  if (!support.available) return skippedResult(support.reason);
  const settings = options.short ? SHORT : LONG;
  const environments = OFFSETS.map((offset) =>
    offset === 0 ? {} : shiftedClockEnv(support.library, offset),
  );
  const shifts = await Promise.all(environments.map((env) => measureShift(env)));
  const probe = createLocalProbe({ timeout: 1_000 });
  const nodes: ServedNode[] = [];
  try {
    const addresses = await freeAddresses(['127.0.78.1', '127.0.78.2', '127.0.78.3']);
    const specs: ServeSpec[] = addresses.map((address, index) => ({
      address,
      seeds: index === 0 ? [] : addresses.slice(0, 1),
      env: environments[index] ?? {},
    }));
    nodes.push(...(await serveNodes(specs)));
    return await skewed(settings, shifts, specs, nodes, probe);
  } finally {
    await probe.close();
    await killNodes(nodes);
  }
}

async function skewed(
  settings: SkewSettings,
  shifts: readonly MeasuredShift[],
  specs: readonly ServeSpec[],
  nodes: ServedNode[],
  probe: ClusterProbe,
): Promise<ScenarioResult> {
  const addresses = specs.map((spec) => spec.address);
  const formed = await waitForAllAlive(probe, addresses, FORM_TIMEOUT);
  const heartbeats = await heartbeatOffsets(probe, addresses);
  const watch = await watchMembership(probe, addresses, settings.watch);

  const { writes, spread } = await writeAndFollow(probe, addresses, {
    prefix: 'skew',
    count: settings.writes,
    spacing: 100,
    timeout: SPREAD_TIMEOUT,
  });
  const downBeforeStep = nodes.reduce((sum, node) => sum + memberDownLines(node), 0);

  // The clock of the node ahead steps back an hour across a restart.
  const [seed, ahead] = nodes;
  const aheadSpec = specs[1];
  if (seed === undefined || ahead === undefined || aheadSpec === undefined) {
    throw new Error('three nodes expected');
  }
  ahead.process.kill('SIGKILL');
  await ahead.process.exited;
  const declaredDead = await waitUntil(
    async () =>
      (await probe.members(seed.address)).some(
        (member) => member.address === ahead.address && member.status === 'dead',
      ),
    { timeout: DEAD_TIMEOUT, interval: 100 },
  );
  const restarted = await serveNode({ ...aheadSpec, env: {} });
  nodes.push(restarted);
  const backAlive = await waitForAllAlive(probe, addresses, FORM_TIMEOUT);

  const checks: Check[] = [
    check(
      'libfaketime shifts the clocks of nodes 2 and 3 by +1 h and −1 h',
      OFFSETS.every((offset, index) => isShiftedBy(shifts[index] ?? NO_SHIFT, offset)),
      shifts.map(describeShift).join('; '),
    ),
    check(
      "the nodes' heartbeats carry the shift",
      heartbeats !== undefined &&
        OFFSETS.every(
          (offset, index) =>
            Math.abs((heartbeats[index] ?? Number.NaN) - offset) <= HEARTBEAT_TOLERANCE,
        ),
      `heartbeat offsets from node 1's: ${heartbeats?.join(', ') ?? 'unreadable'}`,
    ),
    check('membership reaches all-alive', formed !== undefined, `not within ${FORM_TIMEOUT} ms`),
    check(
      `membership holds for ${seconds(settings.watch)}: no member declared dead, all-alive after`,
      watch.settled && downBeforeStep === 0,
      `${downBeforeStep} member-down lines; all-alive after: ${watch.settled ? 'yes' : 'no'}`,
    ),
    check(
      'writes on every node converge',
      writes.size > 0 && spread.unreached.length === 0,
      `${spread.unreached.length} of ${writes.size} writes short of some node`,
    ),
    check(
      'the node is declared dead after its kill',
      declaredDead !== undefined,
      `not within ${DEAD_TIMEOUT} ms`,
    ),
    check(
      'restarted an hour back, it is alive again everywhere',
      backAlive !== undefined,
      `not within ${FORM_TIMEOUT} ms`,
    ),
  ];
  const figures: Figure[] = [
    figure('clocks (Date.now; timeOrigin + now)', shifts.map(describeShift).join('; ')),
    figure(
      "heartbeats' offset from node 1's",
      heartbeats?.map((offset) => `${offset >= 0 ? '+' : ''}${offset} s`).join(', ') ??
        'unreadable',
    ),
    figure('time to all-alive (after the last node started)', seconds(formed)),
    figure(
      `membership watched for ${seconds(settings.watch)}`,
      `${watch.allAliveRounds} of ${watch.rounds} rounds all-alive; ${watch.suspectPairs} (node, peer) suspicions seen`,
    ),
    figure('member-down lines while skewed', downBeforeStep),
    figure('convergence time, per write', medianAndMax([...spread.times.values()])),
    figure(
      'clock stepped back 1 h across a restart: all-alive again after',
      `${seconds(backAlive)} (restart took ${seconds(restarted.startupMilliseconds)})`,
    ),
  ];
  return checkedResult(checks, figures);
}

const NO_SHIFT: MeasuredShift = { wallClock: Number.NaN, monotonicClock: Number.NaN };

function describeShift(shift: MeasuredShift, index: number): string {
  const signed = (value: number): string => `${value >= 0 ? '+' : ''}${value.toFixed(0)} s`;
  return `node ${index + 1}: ${signed(shift.wallClock)}, ${signed(shift.monotonicClock)}`;
}

/**
 * Each node's own heartbeat (index 0 of its peer key, in seconds of its
 * clock), less node 1's, as read from the node itself; undefined if one
 * cannot be read.
 */
async function heartbeatOffsets(
  probe: ClusterProbe,
  addresses: readonly string[],
): Promise<number[] | undefined> {
  try {
    const beats = await Promise.all(
      addresses.map(async (node) => (await probe.get(node, `n:${node}`))[0] ?? Number.NaN),
    );
    const reference = beats[0] ?? Number.NaN;
    return beats.map((beat) => Math.round(beat - reference));
  } catch {
    return undefined;
  }
}
