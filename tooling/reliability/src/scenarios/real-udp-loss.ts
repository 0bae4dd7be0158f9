/**
 * 30% loss over real UDP: `vig serve --local` processes in a network
 * namespace of their own, where nftables loses 30% of every datagram at
 * random (`numgen random`, on the output hook: each datagram once, whichever
 * node sends it; no peer can go around it). Membership forms under the loss;
 * writes go through each node in turn while the probe (its own traffic
 * exempt, so it sees what the nodes hold) times each write until every node
 * holds it; then membership is watched for a while.
 */
import { waitForAllAlive } from '../cluster-views.js';
import { SETTLE_TIMEOUT, watchMembership } from '../membership-watch.js';
import { mebibytes, medianAndMax, percent, seconds } from '../figure-format.js';
import { withNamespaceCluster } from '../namespace-cluster.js';
import type { NamespaceCluster } from '../namespace-cluster.js';
import { namespaceSupport } from '../network-namespace.js';
import {
  DATAGRAMS_COUNTER,
  LOSS_TABLE,
  LOST_COUNTER,
  PROBE_HOST,
  lossRules,
} from '../nft-rules.js';
import { check, checkedResult, figure, skippedResult } from '../scenario.js';
import type { Scenario, ScenarioOptions, ScenarioResult } from '../scenario.js';
import { writeAndFollow } from '../spread-times.js';
import { largestPeakResident, memberDownLines } from '../vig-serve.js';

/** The share of datagrams lost. */
const LOSS = 0.3;

/** The sizes of one run. */
interface LossSettings {
  readonly nodes: number;
  readonly writes: number;
  /** Ms between writes. */
  readonly spacing: number;
  /** Ms membership is watched after the writes. */
  readonly watch: number;
}

const SHORT: LossSettings = { nodes: 4, writes: 20, spacing: 100, watch: 3_000 };
const LONG: LossSettings = { nodes: 8, writes: 100, spacing: 100, watch: 30_000 };

const FORM_TIMEOUT = 60_000;
const SPREAD_TIMEOUT = 60_000;

/** See the module comment. */
export const realUdpLoss: Scenario = {
  id: 'real-udp-loss',
  title: '30% loss, real UDP',
  summary:
    '`vig serve` processes in a network namespace where nftables drops 30% of datagrams at random: membership forms, every write reaches every node, and membership is all-alive at the end.',
  run: runRealUdpLoss,
};

async function runRealUdpLoss(options: ScenarioOptions): Promise<ScenarioResult> {
  const support = await namespaceSupport();
  if (!support.available) return skippedResult(support.reason);
  const settings = options.short ? SHORT : LONG;
  const addresses = Array.from(
    { length: settings.nodes },
    (_, index) => `127.0.0.${index + 1}:7946`,
  );
  return withNamespaceCluster(addresses, lossRules(LOSS, PROBE_HOST), (cluster) =>
    underLoss(settings, cluster),
  );
}

async function underLoss(
  settings: LossSettings,
  { namespace, nodes, probe, addresses }: NamespaceCluster,
): Promise<ScenarioResult> {
  const formed = await waitForAllAlive(probe, addresses, FORM_TIMEOUT);

  const { writes, spread } = await writeAndFollow(probe, addresses, {
    prefix: 'loss',
    count: settings.writes,
    spacing: settings.spacing,
    timeout: SPREAD_TIMEOUT,
  });

  const watch = await watchMembership(probe, addresses, settings.watch);
  const counters = await namespace.counters(LOSS_TABLE);
  const datagrams = counters.get(DATAGRAMS_COUNTER) ?? 0;
  const lost = counters.get(LOST_COUNTER) ?? 0;
  const falseDeaths = nodes.reduce((sum, node) => sum + memberDownLines(node), 0);

  return checkedResult(
    [
      check(
        'membership forms under 30% loss',
        formed !== undefined,
        `not all-alive within ${FORM_TIMEOUT} ms`,
      ),
      check(
        'every acknowledged write reaches every node',
        writes.size > 0 && spread.unreached.length === 0,
        `${spread.unreached.length} of ${writes.size} writes short of some node after ${SPREAD_TIMEOUT} ms`,
      ),
      check(
        'membership is all-alive after the watch',
        watch.settled,
        `not all-alive within ${SETTLE_TIMEOUT} ms of the watch's end`,
      ),
    ],
    [
      figure('nodes', `${settings.nodes} \`vig serve --local\` processes in a network namespace`),
      figure(
        'datagrams between nodes, lost by nftables',
        `${datagrams}, ${lost} (${percent(lost, datagrams)})`,
      ),
      figure('time to all-alive under loss (after the last node started)', seconds(formed)),
      figure(
        'convergence time at 30% loss, per write (ack → on every node)',
        medianAndMax([...spread.times.values()]),
      ),
      figure('writes acknowledged, reached every node', `${writes.size}, ${spread.times.size}`),
      figure('every write on every node, after the last write', seconds(spread.afterLastWrite)),
      figure(
        `membership watched for ${seconds(settings.watch)}`,
        `${watch.allAliveRounds} of ${watch.rounds} rounds all-alive; ${watch.suspectPairs} (node, peer) suspicions seen`,
      ),
      figure('members declared dead or left (member-down lines)', falseDeaths),
      figure('peak memory of a node (largest VmHWM)', mebibytes(largestPeakResident(nodes))),
    ],
    'Convergence times are to the probe round that first saw the write on every node (rounds about 50 ms apart plus one search of each node).',
  );
}
