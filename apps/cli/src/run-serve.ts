import { entriesLength, isPeerKey } from '@vig/crdt-core';
import { LAN_GOSSIP, LAN_MEMBERSHIP, LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '@vig/gossip';
import { createNode } from '@vig/node-udp';
import type { NodeOptions, VigNode } from '@vig/node-udp';
import type { Logger } from 'pino';
import type { CliIo } from './cli-io.js';
import { defaultDataDir } from './default-data-dir.js';
import { createServeLogger } from './serve-logger.js';
import type { LogLevel } from './serve-logger.js';
import { waitForStopSignal } from './stop-signal.js';

/** What `vig serve` was asked to run. */
export interface ServeOptions {
  /** Where to listen, `HOST:PORT` (port 0: any free port). */
  readonly bind: string;
  /** Seeds to join through. */
  readonly join?: readonly string[];
  /** The store's folder; the default is `vig-HOST-PORT` in the current directory. */
  readonly data?: string;
  /** Keep the store in memory only. */
  readonly memory?: true;
  /** Loopback timings (`LOCAL_MEMBERSHIP`, `LOCAL_GOSSIP`) rather than LAN ones. */
  readonly local?: true;
  /** The quietest level logged. */
  readonly logLevel: LogLevel;
}

/** The store's folder, or undefined for a memory store. */
function storeDirectory(options: ServeOptions): string | undefined {
  return options.memory === true ? undefined : (options.data ?? defaultDataDir(options.bind));
}

/** `createNode`'s options for `options`, warnings going to `logger`. */
function nodeOptions(
  options: ServeOptions,
  dataDir: string | undefined,
  logger: Logger,
): NodeOptions {
  const local = options.local === true;
  return {
    bind: options.bind,
    seeds: [...(options.join ?? [])],
    ...(dataDir === undefined ? { memory: true } : { dataDir }),
    membership: local ? LOCAL_MEMBERSHIP : LAN_MEMBERSHIP,
    gossip: local ? LOCAL_GOSSIP : LAN_GOSSIP,
    onWarning: (message) => logger.warn({ warning: message }, 'warning'),
  };
}

/** Logs membership changes at info, and every key that grows (peer keys aside) at debug. */
function logNodeEvents(node: VigNode, logger: Logger): void {
  node.on('member-up', ({ address }) => logger.info({ address }, 'member-up'));
  node.on('member-down', ({ address, to }) => logger.info({ address, status: to }, 'member-down'));
  node.on('change', ({ key, grew }) => {
    if (!isPeerKey(key)) logger.debug({ key, entries: entriesLength(grew) }, 'change');
  });
}

/** How many keys the node holds, peer keys aside: before `start`, what its store loaded. */
function storedKeys(node: VigNode): number {
  return node.search('%').filter(([key]) => !isPeerKey(key)).length;
}

/**
 * Runs one node in the foreground until SIGINT or SIGTERM, then stops it
 * cleanly (telling its peers it leaves, flushing and closing the store) and
 * returns. Logs JSON lines to `io.stdout`: `started` (with `address`,
 * `dataDir`, and `keys`: how many keys, peer keys aside, the store held at
 * start), `member-up` and `member-down` (with `address`), `warning`,
 * `stopping` (with `signal`) and `stopped`; at level debug also `change`
 * (with `key`) for every key that grows.
 *
 * @throws whatever `createNode` throws (an address in use, a store that
 * cannot be opened), having released what it had opened
 */
export async function runServe(options: ServeOptions, io: CliIo): Promise<void> {
  const logger = createServeLogger(io.stdout, options.logLevel);
  const stopSignal = waitForStopSignal();
  try {
    const dataDir = storeDirectory(options);
    const node = await createNode(nodeOptions(options, dataDir, logger));
    logNodeEvents(node, logger);
    const keys = storedKeys(node);
    node.start();
    logger.info(
      {
        address: node.address,
        dataDir: dataDir ?? null,
        keys,
        seeds: options.join ?? [],
        timings: options.local === true ? 'local' : 'lan',
      },
      'started',
    );
    const signal = await stopSignal.received;
    logger.info({ signal }, 'stopping');
    await node.stop({ leave: true });
    logger.info('stopped');
  } finally {
    stopSignal.dispose();
  }
}
