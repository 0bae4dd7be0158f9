/**
 * The JSON lines between a remote probe (remote-probe.ts) and its host
 * (probe-host.ts): one request per stdin line, one response per stdout line,
 * matched by `id`. The host prints {@link PROBE_READY} once it listens.
 */
import type { ProbedMember, VectorRecord } from './cluster-probe.js';

/** The host's first line. */
export const PROBE_READY = '{"ready":true}';

/** One request to the host. */
export type ProbeRequest =
  | {
      readonly id: number;
      readonly op: 'put';
      readonly node: string;
      readonly key: string;
      readonly entries: VectorRecord;
    }
  | { readonly id: number; readonly op: 'get'; readonly node: string; readonly key: string }
  | { readonly id: number; readonly op: 'search'; readonly node: string; readonly pattern: string }
  | { readonly id: number; readonly op: 'members'; readonly node: string };

/** What a request's result is, per operation. */
export interface ProbeResults {
  readonly put: null;
  readonly get: VectorRecord;
  readonly search: [string, VectorRecord][];
  readonly members: ProbedMember[];
}

/** One response from the host. */
export type ProbeResponse =
  | { readonly id: number; readonly ok: true; readonly result: unknown }
  | { readonly id: number; readonly ok: false; readonly error: string };
