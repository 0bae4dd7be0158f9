/**
 * How the document commands write and read versions: `AGENT:SEQ`, as
 * `@vig/crdt-core`'s `versionKey` prints them (such as `3fK9aB2cQz8wLm0p:4`),
 * and a list of them joined by commas. What `vig doc get` and `vig doc log`
 * print can be pasted back into `--parents` and `vig doc checkout`.
 */
import { agentId, isAgentId, versionKey } from '@vig/crdt-core';
import type { Version } from '@vig/crdt-core';
import { UsageError } from './usage-error.js';

/** What separates the versions of a list, as in `A:1,B:0`. */
export const VERSION_SEPARATOR = ',';

/** How a version is written, for messages and help. */
export const VERSION_FORM = 'AGENT:SEQ';

/** How an empty list of versions (an empty history's frontier) is printed. */
export const NO_VERSIONS_TEXT = '(empty)';

const SEQ = /^\d+$/;

/** A version as `AGENT:SEQ`. */
export function versionText(version: Version): string {
  return versionKey(version);
}

/** Versions as `A:1,B:0`, in the order given; an empty list as {@link NO_VERSIONS_TEXT}. */
export function versionsText(versions: readonly Version[]): string {
  return versions.length === 0
    ? NO_VERSIONS_TEXT
    : versions.map(versionText).join(VERSION_SEPARATOR);
}

/**
 * Reads `AGENT:SEQ`: the agent is everything before the last colon (1..64
 * characters, no comma), the seq a whole number in 0..2^53−1 in plain
 * digits. Undefined for any other text.
 */
export function readVersion(text: string): Version | undefined {
  const colon = text.lastIndexOf(':');
  const agent = text.slice(0, colon);
  const seqText = text.slice(colon + 1);
  if (colon < 0 || !isAgentId(agent) || agent.includes(VERSION_SEPARATOR)) return undefined;
  if (!SEQ.test(seqText)) return undefined;
  const seq = Number(seqText);
  return Number.isSafeInteger(seq) ? { agent: agentId(agent), seq } : undefined;
}

/** Reads `A:1,B:0` (at least one version, each as {@link readVersion} reads it), or undefined. */
export function readVersions(text: string): Version[] | undefined {
  const versions: Version[] = [];
  for (const part of text.split(VERSION_SEPARATOR)) {
    const version = readVersion(part);
    if (version === undefined) return undefined;
    versions.push(version);
  }
  return versions;
}

/**
 * A parser for an argument that takes versions, such as `--parents`.
 *
 * @throws {@link UsageError} (from the returned parser) naming the argument,
 * the text and the expected form
 */
export function versionsArgument(argument: string): (text: string) => Version[] {
  return (text) => {
    const versions = readVersions(text);
    if (versions === undefined) {
      throw new UsageError(
        `${argument} ${JSON.stringify(text)} is invalid: expected ${VERSION_FORM}[,${VERSION_FORM}…] as vig doc get prints them, such as 3fK9aB2cQz8wLm0p:4`,
      );
    }
    return versions;
  };
}
