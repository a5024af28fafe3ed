// The library's public interface: everything the command line does, as typed functions.

export { simulate, simulateAsync, Simulation, type SimulateOptions } from './simulate.js';
export { writeRunOutputs, runManifest, metricsCsv } from './sim/output/index.js';
export { loadScenario, loadScenarioSync, scenarioFromObject, resolveScenario, estimateMemoryBytes } from './sim/scenario/load.js';
export { ScenarioError, isScenarioError, type ScenarioProblem } from './sim/scenario/errors.js';
export { scenarioJsonSchema } from './sim/scenario/jsonSchema.js';
export type { Scenario, ScenarioInput, Policy, PolicyKey, PlatformConfig, ResolvedShock } from './sim/scenario/schema.js';
export { METRICS, METRIC_NAMES, TOTAL_METRICS, type MetricName, type MetricRow, type MetricInfo, type TotalName } from './sim/metrics.js';
export type { SimulationResult, RunSummary, PlatformSummary } from './sim/result.js';
export { sweep, planSweep, executeSweep, collectSweep, type SweepOptions, type SweepResult, type RunFailure } from './sim/experiment/sweep.js';
export { compare, parseVariant, type CompareOptions, type CompareResult } from './sim/experiment/compare.js';
export { analyzeSweep, type AnalyzeOptions, type AnalyzeResult } from './sim/experiment/analyze.js';
export { parseParam } from './sim/experiment/params.js';
export { buildDesign } from './sim/experiment/designs.js';
export { summarize, welch, tQuantile, tCdf } from './sim/experiment/stats.js';
export { sobolIndices, morrisIndices, type SobolIndex, type MorrisIndex } from './sim/experiment/sensitivity.js';
export { deriveSeed } from './sim/experiment/seeds.js';
export type { ParamSpec, ParamValue, Design, DesignKind, DesignPoint } from './sim/experiment/types.js';
export { flattenSummary, summaryColumns } from './sim/experiment/flatten.js';
export { InputError } from './sim/inputError.js';
export { footprint, type Footprint } from './agents/footprint.js';
export { VERSION } from './version.js';
