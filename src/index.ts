// The library's public interface: everything the command line does, as typed functions.

export { simulate, simulateAsync, Simulation, type SimulateOptions } from './simulate.js';
export { writeRunOutputs, runManifest, metricsCsv } from './sim/output/index.js';
export { loadScenario, loadScenarioSync, scenarioFromObject, resolveScenario, estimateMemoryBytes } from './sim/scenario/load.js';
export { ScenarioError, isScenarioError, type ScenarioProblem } from './sim/scenario/errors.js';
export { scenarioJsonSchema } from './sim/scenario/jsonSchema.js';
export type { Scenario, ScenarioInput, Policy, PolicyKey, PlatformConfig, ResolvedShock } from './sim/scenario/schema.js';
export { METRICS, METRIC_NAMES, TOTAL_METRICS, type MetricName, type MetricRow, type MetricInfo, type TotalName } from './sim/metrics.js';
export type { SimulationResult, RunSummary, PlatformSummary } from './sim/result.js';
export { VERSION } from './version.js';
