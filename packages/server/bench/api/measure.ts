/** Each scenario against one server: an untimed warm-up, then the measured run. */
import { performance } from 'node:perf_hooks';
import { progress } from '../log.js';
import { type LoadResult, runLoad } from './load.js';
import { type Scenario, withFreshKeys } from './scenarios.js';

export interface LoadSettings {
  connections: number;
  warmupSeconds: number;
  seconds: number;
}

export interface Measurement extends LoadResult {
  /**
   * Event-loop utilisation of this thread, where the servers run, during the run: near 1 means
   * our JavaScript is the limit; well below 1 means requests wait on the database.
   */
  serverBusy: number;
}

export async function measureScenarios(
  label: string,
  origin: string,
  scenarios: readonly Scenario[],
  headers: Record<string, string>,
  settings: LoadSettings,
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  for (const scenario of scenarios) {
    // Fresh keys each run, so every batch stores new rows instead of answering duplicates.
    const plan = { origin, headers, connections: settings.connections };
    progress(`${label} ${scenario.name}: warm-up ${settings.warmupSeconds} s`);
    await runLoad({ ...plan, scenario: withFreshKeys(scenario), seconds: settings.warmupSeconds });
    progress(`${label} ${scenario.name}: ${settings.seconds} s`);
    const before = performance.eventLoopUtilization();
    const load = await runLoad({
      ...plan,
      scenario: withFreshKeys(scenario),
      seconds: settings.seconds,
    });
    const { utilization } = performance.eventLoopUtilization(before);
    results.push({ ...load, serverBusy: utilization });
  }
  return results;
}
