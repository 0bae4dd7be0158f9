/**
 * @packageDocumentation
 * Internal: Vig's fault scenarios with real processes and the simulated
 * network, measured. Each scenario (kill -9 under write load, 30% loss
 * simulated and over real UDP, partition and heal, clock skew of ± 1 hour,
 * and the slot for datagram fuzzing) runs a short version in CI, as a test
 * asserting its invariants, and a long one for `pnpm reliability`, which
 * writes the figures into docs/reliability.md. Speed is reported, never
 * asserted.
 *
 * @example
 * ```ts
 * import { SCENARIOS, renderReport, runScenarios } from '@vig/reliability';
 *
 * const runs = await runScenarios(SCENARIOS, { short: true });
 * console.log(renderReport(runs, { short: true, date: new Date(), milliseconds: 0 }));
 * ```
 */
export { check, checkedResult, figure, skippedResult } from './scenario.js';
export type {
  Check,
  Figure,
  Scenario,
  ScenarioOptions,
  ScenarioResult,
  ScenarioStatus,
} from './scenario.js';
export { SCENARIOS } from './scenarios.js';
export { runScenario, runScenarios } from './run-scenarios.js';
export type { RunListeners, ScenarioRun } from './run-scenarios.js';
export { renderReport } from './report-table.js';
export type { ReportContext } from './report-table.js';
export { REPORT_BEGIN, REPORT_END, spliceReport, writeReport } from './report-document.js';
