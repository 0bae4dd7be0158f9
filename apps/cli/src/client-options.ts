import { isVigError } from '@vig/crdt-core';
import { createClient } from '@vig/node-udp';
import type { NoAnswerError, VigClient } from '@vig/node-udp';
import type { Command } from 'commander';
import { ClientNoAnswerError } from './client-no-answer-error.js';
import {
  KEY_FILE_VARIABLE,
  LABEL_VARIABLE,
  keyFileOption,
  keySettingsOf,
  labelOption,
} from './key-options.js';
import type { KeyFileOptions } from './key-options.js';
import { collectAddress } from './parse-address.js';
import { integerInRange } from './parse-integer.js';

/** The node a client command asks when no `--node` is given: a `vig serve` with its default `--bind`. */
export const DEFAULT_NODE = '127.0.0.1:7946';

/** How long a client command waits for an answer by default, in milliseconds. */
export const DEFAULT_TIMEOUT = 2_000;

/** The longest `--timeout` accepted: ten minutes. */
const MAX_TIMEOUT = 600_000;

/**
 * The options every client command (`put`, `get`, `search`, `agg`,
 * `members`, the sketch commands) shares: with them, `--key-file` and
 * `--label` (or `VIG_KEY_FILE` and `VIG_LABEL`) for a keyed cluster.
 */
export interface ClientOptions extends KeyFileOptions {
  /** The nodes to ask, in order; undefined when no `--node` was given. */
  readonly node?: readonly string[];
  /** Milliseconds to wait for an answer. */
  readonly timeout: number;
}

/**
 * Adds `--node HOST:PORT` (repeatable), `--timeout MS`, `--key-file FILE`
 * and `--label NAME` to `command`; the last two are read from `VIG_KEY_FILE`
 * and `VIG_LABEL` when not given.
 */
export function addClientOptions(command: Command): Command {
  return command
    .option(
      '--node <HOST:PORT>',
      `a node to ask; repeat it to name fallbacks (default: ${DEFAULT_NODE})`,
      collectAddress,
    )
    .option(
      '--timeout <MS>',
      'milliseconds to wait for each node to answer',
      integerInRange('--timeout', 1, MAX_TIMEOUT),
      DEFAULT_TIMEOUT,
    )
    .addOption(
      keyFileOption(
        "the cluster's key file, needed when the cluster has a key (vig keygen --help describes it)",
        KEY_FILE_VARIABLE,
      ),
    )
    .addOption(labelOption(LABEL_VARIABLE));
}

/**
 * Opens a client to the nodes `options` name (with their key file, if any),
 * runs `use` with it, and closes it whatever happens.
 *
 * @throws {@link ClientNoAnswerError} when no node answered in time
 * @throws `UsageError` for `--label` without `--key-file`
 * @throws whatever else `createClient` or `use` throws, such as
 * `KeyFilePermissionError` from `@vig/node-udp` for a key file others may read
 */
export async function withClient<T>(
  options: ClientOptions,
  use: (client: VigClient) => Promise<T>,
): Promise<T> {
  const client = await createClient({
    nodes: [...(options.node ?? [DEFAULT_NODE])],
    timeout: options.timeout,
    ...keySettingsOf(options, true),
  });
  try {
    return await use(client);
  } catch (error) {
    if (isVigError(error, 'NoAnswerError')) {
      throw new ClientNoAnswerError(error as NoAnswerError, options.keyFile !== undefined);
    }
    throw error;
  } finally {
    await client.close();
  }
}
