/**
 * What `vig doc checkout` and `vig doc branch` print: a version of the
 * whole history (a frontier: the latest operations it includes) and the
 * branch, if any.
 */
import type { ClientFrontier } from '@vig/node-udp';
import { versionText, versionsText } from './doc-version-text.js';

/** `--json` of `vig doc checkout` and `vig doc branch`: `{"frontier":["AGENT:SEQ",…],"branch":…}`. */
export interface FrontierJson {
  /** The versions, as `AGENT:SEQ`; empty for an empty history. */
  readonly frontier: readonly string[];
  /** The branch; `null` after a checkout of bare versions. */
  readonly branch: string | null;
}

/** `answer` as `--json` prints it. */
export function frontierJson(answer: ClientFrontier): FrontierJson {
  return { frontier: answer.frontier.map(versionText), branch: answer.branch ?? null };
}

/** Where a checkout left the node: `on branch NAME at A:1,B:0`, or `at A:1 (no branch)`. */
export function checkoutText(answer: ClientFrontier): string {
  const at = versionsText(answer.frontier);
  return answer.branch === undefined
    ? `at ${at} (no branch)`
    : `on branch ${answer.branch} at ${at}`;
}

/** What a new branch names: `branch NAME at A:1,B:0`. */
export function branchText(name: string, answer: ClientFrontier): string {
  return `branch ${name} at ${versionsText(answer.frontier)}`;
}
