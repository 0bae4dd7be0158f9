/**
 * Runs scenarios one after the other (they share the machine's cores, and
 * their figures would suffer from each other), turning a scenario that
 * throws into a failed result that says so.
 */
import type { Scenario, ScenarioOptions, ScenarioResult } from './scenario.js';

/** One scenario's run. */
export interface ScenarioRun {
  readonly scenario: Scenario;
  readonly result: ScenarioResult;
  /** Real ms it took. */
  readonly milliseconds: number;
}

/** Runs `scenario`; a scenario that throws yields `failed` with the error as its note. */
export async function runScenario(
  scenario: Scenario,
  options: ScenarioOptions,
): Promise<ScenarioRun> {
  const started = performance.now();
  let result: ScenarioResult;
  try {
    result = await scenario.run(options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    result = { status: 'failed', checks: [], figures: [], note: `it threw: ${message}` };
  }
  return { scenario, result, milliseconds: performance.now() - started };
}

/** Who hears of each scenario as it starts and ends. */
export interface RunListeners {
  readonly onStart?: (scenario: Scenario) => void;
  readonly onRun?: (run: ScenarioRun) => void;
}

/** Runs every scenario in order. */
export async function runScenarios(
  scenarios: readonly Scenario[],
  options: ScenarioOptions,
  listeners: RunListeners = {},
): Promise<ScenarioRun[]> {
  const runs: ScenarioRun[] = [];
  for (const scenario of scenarios) {
    listeners.onStart?.(scenario);
    const run = await runScenario(scenario, options);
    runs.push(run);
    listeners.onRun?.(run);
  }
  return runs;
}
