import {
  HLL_PROFILES,
  MAX_PRECISION,
  MIN_PRECISION,
  REDIS_PRECISION,
  redisProfile,
} from '@vig/sketch';
import type { HllOptions } from '@vig/sketch';
import { Option } from 'commander';
import type { Command } from 'commander';
import { integerInRange } from './parse-integer.js';
import { UsageError } from './usage-error.js';

/** The HyperLogLog profiles `--profile` names. */
export const HLL_PROFILE_NAMES = ['redis', 'vignette'] as const;

/** `--precision` and `--profile`, as commander parsed them (absent when not given). */
export interface HllProfileOptions {
  readonly precision?: number;
  readonly profile?: (typeof HLL_PROFILE_NAMES)[number];
}

/** Adds `--precision P` and `--profile redis|vignette` to `command`. */
export function addHllProfileOptions(command: Command): Command {
  return command
    .option(
      '--precision <P>',
      `log2 of the register count of the redis profile, ${MIN_PRECISION}..${MAX_PRECISION} (default: ${REDIS_PRECISION}, as Redis)`,
      integerInRange('--precision', MIN_PRECISION, MAX_PRECISION),
    )
    .addOption(
      new Option(
        '--profile <NAME>',
        'redis (Redis registers and counts) or vignette (the Ruby prototype: 1024 registers, no --precision) (default: redis)',
      ).choices(HLL_PROFILE_NAMES),
    );
}

/**
 * The sketch options `--precision` and `--profile` name. Every command that
 * reads or writes one key must be given the same ones.
 *
 * @throws {@link UsageError} for `--precision` with `--profile vignette`
 */
export function hllOptionsOf(options: HllProfileOptions): HllOptions {
  if (options.profile === 'vignette') {
    if (options.precision !== undefined) {
      throw new UsageError(
        '--precision cannot be used with --profile vignette: it has a fixed 1024 registers',
      );
    }
    return { profile: HLL_PROFILES.vignette };
  }
  return { profile: redisProfile(options.precision ?? REDIS_PRECISION) };
}
