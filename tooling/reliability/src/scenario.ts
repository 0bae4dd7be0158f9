/**
 * What a reliability scenario is and what it returns: named figures for the
 * report, and the invariants it checked, each held or not. A scenario is one
 * module exporting one {@link Scenario}; the runner and the tests know
 * nothing else about it.
 */

/** How long a run: `short` for CI (a few seconds each), long for `pnpm reliability`. */
export interface ScenarioOptions {
  /** True for the short version CI runs; false for the long one the report shows. */
  readonly short: boolean;
}

/** One measured figure, as the report shows it. */
export interface Figure {
  /** What was measured, in words: `writes acknowledged`. */
  readonly name: string;
  /** The value, formatted for reading: `2143`, `1.42 s`, `not yet measured`. */
  readonly value: string;
}

/** One invariant the scenario checked. */
export interface Check {
  /** The invariant, in words: `every acknowledged write is found after the restart`. */
  readonly invariant: string;
  /** Whether it held. */
  readonly held: boolean;
  /** What was seen, for a failure message (and the report when it failed). */
  readonly detail?: string;
}

/**
 * How a scenario ended:
 *
 * - `passed`: every check held;
 * - `failed`: a check did not hold, or the scenario threw (see `note`);
 * - `skipped`: what it needs is missing here (not root, no `nft`, no libfaketime), `note` says what;
 * - `not-measured`: a slot in the report that no scenario fills yet.
 */
export type ScenarioStatus = 'passed' | 'failed' | 'skipped' | 'not-measured';

/** What one run of a scenario found. */
export interface ScenarioResult {
  readonly status: ScenarioStatus;
  /** The figures, in the order the report lists them. */
  readonly figures: readonly Figure[];
  /** The invariants checked (empty when skipped or not measured). */
  readonly checks: readonly Check[];
  /** Why it was skipped or failed, or how its figures were taken. */
  readonly note?: string;
}

/** A fault scenario: one row group of the report, one test in CI. */
export interface Scenario {
  /** A stable id, kebab-case: `kill-under-load`. */
  readonly id: string;
  /** The report's name for it: `kill -9 under write load`. */
  readonly title: string;
  /** One sentence: what it does and what must hold. */
  readonly summary: string;
  /** Runs it, releasing every process, namespace and file it made, even on failure. */
  readonly run: (options: ScenarioOptions) => Promise<ScenarioResult>;
}

/** A result from the checks made and the figures taken: `passed` when every check held. */
export function checkedResult(
  checks: readonly Check[],
  figures: readonly Figure[],
  note?: string,
): ScenarioResult {
  const status = checks.every((check) => check.held) ? 'passed' : 'failed';
  return { status, checks, figures, ...(note === undefined ? {} : { note }) };
}

/** A result saying the scenario could not run here, and why. */
export function skippedResult(reason: string, figures: readonly Figure[] = []): ScenarioResult {
  return { status: 'skipped', checks: [], figures, note: reason };
}

/** A check of `held`, with `detail` shown when it failed. */
export function check(invariant: string, held: boolean, detail?: string): Check {
  return { invariant, held, ...(detail === undefined ? {} : { detail }) };
}

/** A figure. */
export function figure(name: string, value: string | number): Figure {
  return { name, value: String(value) };
}
