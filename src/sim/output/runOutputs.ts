import type { SimulationResult } from '../result.js';
import type { Scenario } from '../scenario/schema.js';
import type { OutputFile } from './atomic.js';
import { writeResultDir, type ResultWriteOptions } from './resultDir.js';
import { metricsCsvChunks, type NonFiniteValue } from './csv.js';
import { EXPERIMENTS_FILE, experimentsCsv } from './experimentsCsv.js';
import { SEGMENTS_FILE, segmentsCsvChunks } from './segmentsCsv.js';

// The files of one run: tidy per-tick metrics, the run summary, and a manifest that says how they
// were made. Nothing in them depends on the clock, the machine or the directory the run was started
// in, so the same scenario, settings, seed and replication give byte-identical files.

export const METRICS_FILE = 'metrics.csv';
export const SUMMARY_FILE = 'summary.json';
export const MANIFEST_FILE = 'manifest.json';
/** Output files of a run, in the order they are moved into place (the manifest, marking a complete set, last). */
export const RUN_OUTPUT_FILES: readonly string[] = [METRICS_FILE, SUMMARY_FILE, MANIFEST_FILE];

export interface RunManifest {
  readonly tool: 'ecosim';
  readonly version: string;
  readonly command: string;
  /** The scenario file as named by the user (relative), or its package path for a bundled scenario. */
  readonly scenarioFile: string;
  /** The `key.path=value` overrides applied to the file, in order. */
  readonly settings: readonly string[];
  readonly seed: number;
  readonly replication: number;
  readonly ticks: number;
  /** The warm-up window of the summary (present only when there is one): totals and means count ticks >= from. */
  readonly from?: number;
  /** The fully resolved scenario that was run. */
  readonly scenario: Scenario;
  readonly outputs: readonly string[];
}

export interface ManifestInput {
  readonly version: string;
  readonly command: string;
  readonly scenarioFile: string;
  readonly settings: readonly string[];
  readonly replication: number;
  readonly scenario: Scenario;
  readonly from?: number;
}

export function runManifest(input: ManifestInput): RunManifest {
  const { scenario } = input;
  return {
    tool: 'ecosim',
    version: input.version,
    command: input.command,
    scenarioFile: input.scenarioFile,
    settings: [...input.settings],
    seed: scenario.seed,
    replication: input.replication,
    ticks: scenario.ticks,
    ...(input.from !== undefined && input.from > 0 ? { from: input.from } : {}),
    scenario,
    outputs: runOutputFiles(scenario),
  };
}

/** The files of a run of this scenario: with segments.csv and experiments.csv when it has segments or experiments. */
export function runOutputFiles(scenario: Scenario): readonly string[] {
  if (scenario.customers.segments.length === 0 && scenario.experiments.length === 0) return RUN_OUTPUT_FILES;
  return [
    METRICS_FILE,
    SUMMARY_FILE,
    ...(scenario.customers.segments.length > 0 ? [SEGMENTS_FILE] : []),
    ...(scenario.experiments.length > 0 ? [EXPERIMENTS_FILE] : []),
    MANIFEST_FILE,
  ];
}

/** JSON as written to output files: 2-space indent and a final newline. */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Paths (such as "platforms.0.total.revenue") of numbers in a value that are not finite. */
export function nonFinitePaths(value: unknown, path = ''): string[] {
  if (typeof value === 'number') return Number.isFinite(value) ? [] : [path || '(value)'];
  if (value === null || typeof value !== 'object') return [];
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  return entries.flatMap(([k, v]) => nonFinitePaths(v, path === '' ? k : `${path}.${k}`));
}

export interface RunOutputReport {
  readonly files: readonly string[];
  /** Metric values that were not finite numbers (written as empty CSV fields): a bug to report. */
  readonly nonFiniteMetrics: readonly NonFiniteValue[];
  /** Summary entries that were not finite numbers (written as null): a bug to report. */
  readonly nonFiniteSummary: readonly string[];
}

/**
 * Writes metrics.csv, summary.json and manifest.json (with the digests of the other two) of a
 * finished run into `dir`, as one result (see writeResultDir): the directory appears complete,
 * replacing an earlier ecosim result whole, or is left as it was.
 */
export function writeRunOutputs(dir: string, result: SimulationResult, manifest: RunManifest, options: ResultWriteOptions = {}): RunOutputReport {
  const nonFiniteMetrics: NonFiniteValue[] = [];
  const files: OutputFile[] = [
    { name: METRICS_FILE, content: metricsCsvChunks(result.metrics, nonFiniteMetrics) },
    { name: SUMMARY_FILE, content: jsonText(result.summary) },
    ...(result.segments ? [{ name: SEGMENTS_FILE, content: segmentsCsvChunks(result.segments) }] : []),
    ...(result.summary.experiments ? [{ name: EXPERIMENTS_FILE, content: experimentsCsv(result.summary.experiments) }] : []),
  ];
  writeResultDir(dir, files, { ...manifest }, options);
  return { files: runOutputFiles(manifest.scenario), nonFiniteMetrics, nonFiniteSummary: nonFinitePaths(result.summary) };
}
