import type { KeyOptions } from '@vig/node-udp';
import { DEFAULT_CLUSTER_LABEL, MAX_CLUSTER_LABEL_BYTES } from '@vig/wire';
import { Option } from 'commander';
import { UsageError } from './usage-error.js';

/** Where the client commands read `--key-file` from when it is not given. */
export const KEY_FILE_VARIABLE = 'VIG_KEY_FILE';

/** Where the client commands read `--label` from when it is not given. */
export const LABEL_VARIABLE = 'VIG_LABEL';

/** `--key-file` and `--label` as commander parsed them (absent when not given). */
export interface KeyFileOptions {
  /** The cluster's key file. */
  readonly keyFile?: string;
  /** The cluster label, authenticated with every datagram; only with a key file. */
  readonly label?: string;
}

/**
 * `--key-file FILE`: the cluster's key file, which `vig keygen FILE` makes.
 * `variable` names the environment variable read when the option is absent.
 */
export function keyFileOption(use: string, variable?: string): Option {
  const option = new Option('--key-file <FILE>', use).argParser(parseKeyFilePath);
  return variable === undefined ? option : option.env(variable);
}

/** `--label NAME`: the cluster label; `variable` as for {@link keyFileOption}. */
export function labelOption(variable?: string): Option {
  const option = new Option(
    '--label <NAME>',
    `the cluster label, the same on every node and client; only with --key-file (default: ${DEFAULT_CLUSTER_LABEL})`,
  ).argParser(parseLabel);
  return variable === undefined ? option : option.env(variable);
}

/**
 * The key options `createNode` or `createClient` (`@vig/node-udp`) takes for
 * `options`: none without a key file. With `fromEnvironment`, the error names
 * the environment variables too.
 *
 * @throws {@link UsageError} for a label without a key file
 */
export function keySettingsOf(options: KeyFileOptions, fromEnvironment = false): KeyOptions {
  const { keyFile, label } = options;
  if (keyFile === undefined) {
    if (label !== undefined) {
      const [labelName, keyFileName] = fromEnvironment
        ? [`--label (or ${LABEL_VARIABLE})`, `--key-file (or ${KEY_FILE_VARIABLE})`]
        : ['--label', '--key-file'];
      throw new UsageError(
        `${labelName} is given without ${keyFileName}: a cluster label is only used with a cluster key`,
      );
    }
    return {};
  }
  return label === undefined ? { keyFile } : { keyFile, label };
}

/**
 * Checks a `--key-file` value: a path, not empty.
 *
 * @throws {@link UsageError} for an empty path
 */
function parseKeyFilePath(path: string): string {
  if (path.length === 0) {
    throw new UsageError('--key-file "" is invalid: expected the path of a key file');
  }
  return path;
}

/**
 * Checks a `--label` value: 1..255 UTF-8 bytes.
 *
 * @throws {@link UsageError} naming the value and the expected length
 */
function parseLabel(label: string): string {
  const bytes = Buffer.byteLength(label, 'utf8');
  if (bytes < 1 || bytes > MAX_CLUSTER_LABEL_BYTES) {
    throw new UsageError(
      `--label of ${bytes} bytes is invalid: expected 1..${MAX_CLUSTER_LABEL_BYTES} UTF-8 bytes, such as prod`,
    );
  }
  return label;
}
