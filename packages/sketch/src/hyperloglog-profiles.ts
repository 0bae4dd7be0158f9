import type { HllProfile } from './hyperloglog-profile.js';
import { redisProfile } from './hyperloglog-redis-profile.js';
import { vignetteProfile } from './hyperloglog-vignette-profile.js';

/**
 * The named profiles: `redis` (the default: Redis's registers and counts,
 * p = 14) and `vignette` (the Ruby prototype). Other precisions of the redis
 * profile come from {@link redisProfile}.
 */
export const HLL_PROFILES: Readonly<{ redis: HllProfile; vignette: HllProfile }> = Object.freeze({
  redis: redisProfile(),
  vignette: vignetteProfile,
});

/** Options every HyperLogLog function takes. */
export interface HllOptions {
  /** How items map to registers and registers to a count (default `HLL_PROFILES.redis`). */
  readonly profile?: HllProfile;
}

/** The profile the options name, or the default `redis` profile at p = 14. */
export function profileOf(options: HllOptions | undefined): HllProfile {
  return options?.profile ?? HLL_PROFILES.redis;
}
