import { createClient } from '@vig/node-udp';
import type { VigClient } from '@vig/node-udp';
import type { Command } from 'commander';
import { collectAddress } from './parse-address.js';
import { integerInRange } from './parse-integer.js';

/** The node a client command asks when no `--node` is given: a `vig serve` with its default `--bind`. */
export const DEFAULT_NODE = '127.0.0.1:7946';

/** How long a client command waits for an answer by default, in milliseconds. */
export const DEFAULT_TIMEOUT = 2_000;

/** The longest `--timeout` accepted: ten minutes. */
const MAX_TIMEOUT = 600_000;

/** The options every client command (`put`, `get`, `search`, `agg`, `members`) shares. */
export interface ClientOptions {
  /** The nodes to ask, in order; undefined when no `--node` was given. */
  readonly node?: readonly string[];
  /** Milliseconds to wait for an answer. */
  readonly timeout: number;
}

/** Adds `--node HOST:PORT` (repeatable) and `--timeout MS` to `command`. */
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
    );
}

/**
 * Opens a client to the nodes `options` name, runs `use` with it, and closes
 * it whatever happens.
 *
 * @throws whatever `createClient` or `use` throws: `NoAnswerError` from
 * `@vig/node-udp` when no node answered in time
 */
export async function withClient<T>(
  options: ClientOptions,
  use: (client: VigClient) => Promise<T>,
): Promise<T> {
  const client = await createClient({
    nodes: [...(options.node ?? [DEFAULT_NODE])],
    timeout: options.timeout,
  });
  try {
    return await use(client);
  } finally {
    await client.close();
  }
}
