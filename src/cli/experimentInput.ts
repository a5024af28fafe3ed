import fs from 'node:fs';
import nodePath from 'node:path';
import { readRawScenario } from '../sim/scenario/load.js';
import { ScenarioError, isScenarioError, suggest } from '../sim/scenario/errors.js';
import { checkRecorded, isExperimentData, type Experiment, type ScenarioRef } from '../experiment/experimentFile.js';
import { readInputFile, type ReadInput } from '../experiment/experimentLoad.js';
import type { ScenarioSource } from '../experiment/plan.js';
import type { MetricName } from '../sim/metrics.js';
import { BUNDLED_DIR, locateScenario, scenarioFileNames, scenarioStem, type ScenarioLocation } from './bundled.js';
import { CliError } from './errors.js';

/** The options that `sweep` and `compare` share, as commander parses them. */
export interface ExperimentArgs {
  replications: number;
  seed?: number;
  out?: string;
  timeseries?: boolean;
  set?: string[];
  ticks?: string;
  from?: number;
  record?: string[];
}

/** --record: metric names, repeatable or comma-separated. */
export function recordOption(options: { record?: string[] }): { record?: MetricName[] } {
  if (options.record === undefined) return {};
  const names = options.record.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  return { record: checkRecorded(names, '--record') };
}

/** What a sweep and a comparison take alike from an experiment file, each option typed replacing the file's value. */
export interface ExperimentWindow {
  readonly from: number;
  /** Who gave `from`, for messages: the option (named with the scenario) or the file's key. */
  readonly fromSource: { readonly file: string; readonly path: string };
  readonly record?: readonly MetricName[];
  readonly timeseries: boolean;
}

export function experimentWindow(x: Experiment, options: ExperimentArgs, given: (option: keyof ExperimentArgs) => boolean, files: { experiment: string; scenario: string }): ExperimentWindow {
  const fromGiven = given('from');
  return {
    from: fromGiven ? (options.from ?? 0) : x.from,
    fromSource: fromGiven ? { file: files.scenario, path: '--from' } : { file: files.experiment, path: 'from' },
    ...(given('record') ? recordOption(options) : x.metrics === undefined ? {} : { record: x.metrics }),
    timeseries: given('timeseries') ? options.timeseries === true : x.timeseries,
  };
}

// The argument of sweep, compare and analyze: a scenario or an experiment file, found as a path or
// by the name of a bundled one (scenarios/*.yaml, then scenarios/experiments/*.yaml), and the
// scenario an experiment names, found relative to the experiment file.

export const BUNDLED_EXPERIMENTS_DIR = nodePath.join(BUNDLED_DIR, 'experiments');

const looksLikePath = (arg: string) => /[/\\]/.test(arg);

/** Where an argument points: a path, a bundled scenario, or a bundled experiment (scenarios win a tie). */
export function locateInput(arg: string): ScenarioLocation {
  if (fs.existsSync(arg) || looksLikePath(arg)) return locateScenario(arg);
  const experiments = scenarioFileNames(BUNDLED_EXPERIMENTS_DIR);
  const scenarios = scenarioFileNames(BUNDLED_DIR);
  const isScenario = scenarios.some((f) => f === arg || scenarioStem(f) === arg);
  const name = isScenario ? undefined : experiments.find((f) => f === arg || scenarioStem(f) === arg);
  if (name !== undefined) return { path: nodePath.join(BUNDLED_EXPERIMENTS_DIR, name), label: `scenarios/experiments/${name}`, bundled: true };
  if (isScenario) return locateScenario(arg);
  const hint = suggest(arg, [...scenarios, ...experiments].map(scenarioStem));
  throw new ScenarioError(arg, [
    {
      path: '',
      expected: 'a readable scenario or experiment file, or the name of a bundled one (ecosim scenarios lists the scenarios; scenarios/experiments/ holds the experiments)',
      found: 'no such file',
      ...(hint === undefined ? {} : { hint }),
    },
  ]);
}

/** Reads the argument's file as an experiment or a scenario. */
export function readInput(location: ScenarioLocation): Promise<ReadInput> {
  return readInputFile(location.path, location.label);
}

/** A scenario an experiment names, ready for the library: its source and its label in messages and manifests. */
export interface ScenarioInput {
  readonly source: ScenarioSource;
  readonly label: string;
  /** The file's stem, for default names. */
  readonly stem: string;
}

const labelFor = (path: string) => (nodePath.isAbsolute(path) ? nodePath.basename(path) : path.split(nodePath.sep).join('/'));

/**
 * The scenario of an experiment at `at` (a key path of the experiment file): a path relative to
 * the experiment file, the name of a bundled scenario, or inline data.
 */
export function experimentScenario(ref: ScenarioRef, experiment: ScenarioLocation, at: string): ScenarioInput {
  if (typeof ref !== 'string') return { source: ref, label: `${experiment.label} (${at})`, stem: scenarioStem(experiment.path) };
  const path = nodePath.join(nodePath.dirname(experiment.path), ref);
  if (fs.existsSync(path) && fs.statSync(path).isFile()) {
    // Bundled experiments name bundled scenarios by their package path, as a run of them would.
    const inBundle = experiment.bundled && nodePath.dirname(nodePath.resolve(path)) === nodePath.resolve(BUNDLED_DIR);
    return { source: path, label: inBundle ? `scenarios/${nodePath.basename(path)}` : labelFor(path), stem: scenarioStem(path) };
  }
  const bundled = scenarioFileNames(BUNDLED_DIR);
  const name = looksLikePath(ref) ? undefined : bundled.find((f) => f === ref || scenarioStem(f) === ref);
  if (name !== undefined) return { source: nodePath.join(BUNDLED_DIR, name), label: `scenarios/${name}`, stem: scenarioStem(name) };
  const hint = suggest(scenarioStem(ref), bundled.map(scenarioStem));
  throw new ScenarioError(experiment.label, [
    {
      path: at,
      expected: 'a scenario file (relative to the experiment file), the name of a bundled scenario, or an inline scenario',
      found: `"${ref}", no such file${fs.existsSync(path) ? ' (a directory)' : ''}`,
      ...(hint === undefined ? {} : { hint }),
    },
  ]);
}

/** The experiment given to a command that runs scenarios only: a message saying which command runs it. */
export function experimentGivenError(location: ScenarioLocation, command: string, experiment?: Experiment): CliError {
  const runs = experiment === undefined ? 'ecosim sweep (or ecosim compare, when it has variants)' : `ecosim ${experiment.kind}`;
  return new CliError(`${location.label}: expected a scenario for ecosim ${command}, found an experiment file (it has the key "experiment"): run it with ${runs} ${location.label}`);
}

/** Runs a step that reads a scenario; when it fails on what is an experiment file, says so instead. */
export async function hintExperiment<T>(location: ScenarioLocation, command: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (!isScenarioError(e) || e.file !== location.label && e.file !== location.path) throw e;
    let raw: unknown;
    try {
      raw = await readRawScenario(location.path, location.label);
    } catch {
      throw e;
    }
    if (isExperimentData(raw)) throw experimentGivenError(location, command);
    throw e;
  }
}

/**
 * The sweep directory `ecosim analyze` reads: the argument when it is a directory; for an
 * experiment file, --out or the directory the experiment writes (its out, or out/<name>).
 */
export async function analyzeDir(arg: string, out: string | undefined): Promise<string> {
  if (fs.existsSync(arg) && fs.statSync(arg).isDirectory()) return out ?? arg;
  if (!fs.existsSync(arg) && looksLikePath(arg)) return out ?? arg; // a sweep directory yet to be made: analyze says so
  let location: ScenarioLocation;
  try {
    location = locateInput(arg);
  } catch {
    return out ?? arg;
  }
  const read = await readInput(location);
  if (read.kind === 'scenario') {
    throw new CliError(`${location.label}: expected a sweep directory or an experiment file (with the key "experiment"), found a scenario file: sweep it first (ecosim sweep ${location.label} --param … --design sobol --out <dir>), then analyze <dir>`);
  }
  return out ?? read.experiment.out ?? nodePath.join('out', read.experiment.name);
}
