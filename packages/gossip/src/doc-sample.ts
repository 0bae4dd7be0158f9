/**
 * What a `recent` message says of a store's history: its heads, and a sample
 * of versions from which a peer finds what the two share. The sample is the
 * top of the most recent runs (`recentVersions`), then versions further and
 * further back in the store's local order (16, 32, 64 … operations from the
 * newest, and the oldest), as git's negotiation and Bitcoin's block locator
 * do: whatever the peer lacks, some sampled version it holds lies at most
 * about twice as far back as the point where the two histories part, so the
 * peer sends little it need not, however many agents the history has.
 */
import type { Version, VersionedStore } from '@vig/crdt-core';
import { versionKey } from '@vig/crdt-core';

/** A store's heads (at most `limit`, and whether that is all) and a sample of its history. */
export interface HistorySample {
  readonly heads: Version[];
  readonly complete: boolean;
  readonly versions: Version[];
}

/** The distance back, in local order, of the first version sampled by doubling. */
const FIRST_STEP = 16;

/**
 * Samples `store`: up to `headLimit` heads, then up to `limit` other
 * versions, half from `recentVersions`, the rest by doubling distance back
 * (the oldest operation last), none repeated.
 */
export function sampleHistory(
  store: VersionedStore,
  headLimit: number,
  limit: number,
): HistorySample {
  const allHeads = store.heads;
  const heads = allHeads.slice(0, headLimit);
  const seen = new Set(heads.map(versionKey));
  const versions: Version[] = [];
  const take = (version: Version): void => {
    const key = versionKey(version);
    if (versions.length >= limit || seen.has(key)) return;
    seen.add(key);
    versions.push(version);
  };
  const recent = Math.ceil(limit / 2);
  for (const version of store.recentVersions(recent + heads.length)) {
    if (versions.length >= recent) break;
    take(version);
  }
  const newest = store.size - 1;
  // One place kept for the oldest operation.
  for (
    let distance = FIRST_STEP;
    distance <= newest && versions.length < limit - 1;
    distance *= 2
  ) {
    take(store.versionAt(newest - distance));
  }
  if (store.size > 0) take(store.versionAt(0));
  return { heads, complete: allHeads.length <= headLimit, versions };
}
