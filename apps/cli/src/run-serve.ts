import { entriesLength, isPeerKey, isVigError } from '@vig/crdt-core';
import { LAN_GOSSIP, LAN_MEMBERSHIP, LOCAL_GOSSIP, LOCAL_MEMBERSHIP } from '@vig/gossip';
import { createNode } from '@vig/node-udp';
import type { NodeOptions, ProtectedModeError, VigNode } from '@vig/node-udp';
import type { Logger } from 'pino';
import type { CliIo } from './cli-io.js';
import { defaultDataDir } from './default-data-dir.js';
import { keySettingsOf } from './key-options.js';
import type { KeyFileOptions } from './key-options.js';
import { keyIdsOf, reloadKeysOnSignal } from './key-reload.js';
import { ServeProtectedModeError } from './serve-protected-mode-error.js';
import { createServeLogger } from './serve-logger.js';
import type { LogLevel } from './serve-logger.js';
import { waitForStopSignal } from './stop-signal.js';

/**
 * What `vig serve` was asked to run. With `keyFile` (and `label`) the node
 * seals every datagram; see docs/security.md.
 */
export interface ServeOptions extends KeyFileOptions {
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
  /** Run without a key beyond loopback: protected mode off. */
  readonly insecure?: true;
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
    ...keySettingsOf(options),
    insecure: options.insecure === true,
  };
}

/**
 * The node `options` describe.
 *
 * @throws {@link ServeProtectedModeError} for an address beyond loopback without a key or `--insecure`
 * @throws whatever else `createNode` throws
 */
async function openNode(
  options: ServeOptions,
  dataDir: string | undefined,
  logger: Logger,
): Promise<VigNode> {
  try {
    return await createNode(nodeOptions(options, dataDir, logger));
  } catch (error) {
    if (isVigError(error, 'ProtectedModeError')) {
      throw new ServeProtectedModeError(error as ProtectedModeError);
    }
    throw error;
  }
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
 * The `started` line's fields about cluster keys: whether the node seals its
 * datagrams and, if so, its key file, label and key ids (never a key).
 */
function securityFields(node: VigNode, options: ServeOptions): Record<string, unknown> {
  if (options.keyFile === undefined) return { sealed: false, insecure: options.insecure === true };
  const security = node.metrics().security;
  return {
    sealed: true,
    keyFile: options.keyFile,
    label: security.sealed ? security.label : null,
    keyIds: keyIdsOf(node),
  };
}

/** Logs `started`, and a warning when protected mode is off. */
function logStarted(
  node: VigNode,
  options: ServeOptions,
  store: { readonly dataDir: string | undefined; readonly keys: number },
  logger: Logger,
): void {
  logger.info(
    {
      address: node.address,
      dataDir: store.dataDir ?? null,
      keys: store.keys,
      seeds: options.join ?? [],
      timings: options.local === true ? 'local' : 'lan',
      ...securityFields(node, options),
    },
    'started',
  );
  if (options.insecure === true) {
    logger.warn(
      {
        warning:
          'protected mode is off (--insecure): without a cluster key, anyone who can reach this node can write any key, join the cluster and make it send traffic',
      },
      'warning',
    );
  }
}

/**
 * Runs one node in the foreground until SIGINT or SIGTERM, then stops it
 * cleanly (telling its peers it leaves, flushing and closing the store) and
 * returns. With `keyFile`, each SIGHUP reads the key file again (key
 * rotation without a restart). Logs JSON lines to `io.stdout`: `started`
 * (with `address`, `dataDir`, `keys`: how many keys, peer keys aside, the
 * store held at start, and `sealed`, with `keyFile`, `label` and `keyIds` when
 * sealed), `member-up` and `member-down` (with `address`), `warning`,
 * `keys-reloaded` (with `keyIds`) or `keys-reload-failed` (with `error`) after
 * a SIGHUP, `stopping` (with `signal`) and `stopped`; at level debug also
 * `change` (with `key`) for every key that grows. No line holds key material.
 *
 * @throws {@link ServeProtectedModeError} for an address beyond loopback
 * without `keyFile` or `insecure`
 * @throws whatever else `createNode` throws (an address in use, a store that
 * cannot be opened, a key file others may read), having released what it had
 * opened
 */
export async function runServe(options: ServeOptions, io: CliIo): Promise<void> {
  const logger = createServeLogger(io.stdout, options.logLevel);
  const stopSignal = waitForStopSignal();
  try {
    const dataDir = storeDirectory(options);
    const node = await openNode(options, dataDir, logger);
    logNodeEvents(node, logger);
    const keys = storedKeys(node);
    const stopReloading =
      options.keyFile === undefined
        ? () => Promise.resolve()
        : reloadKeysOnSignal(node, options.keyFile, logger);
    node.start();
    logStarted(node, options, { dataDir, keys }, logger);
    const signal = await stopSignal.received;
    logger.info({ signal }, 'stopping');
    await stopReloading();
    await node.stop({ leave: true });
    logger.info('stopped');
  } finally {
    stopSignal.dispose();
  }
}
