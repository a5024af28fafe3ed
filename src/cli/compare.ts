import nodePath from 'node:path';
import type { Command } from 'commander';
import { compare, parseVariant, type CompareArmInput, type CompareResult, type MetricComparison } from '../experiment/compare.js';
import { compareOutputFiles, writeResult } from '../experiment/sweepOutputs.js';
import { jsonText } from '../sim/output/runOutputs.js';
import { ScenarioError } from '../sim/scenario/errors.js';
import { VERSION } from '../version.js';
import { locateScenario, scenarioStem, type ScenarioLocation } from './bundled.js';
import { CliError, withScenarioFile } from './errors.js';
import { claimOutputDir, collect, integerSettings, writeError } from './options.js';
import { RunProgress } from './progress.js';
import { withInterrupt } from './runLoop.js';
import { wholeNumber } from './options.js';
import { reportAfter } from './report.js';
import { EXIT_RUNS_FAILED, experimentCliError, failureLines } from './sweep.js';
import { compareExperiment, compareInput, type CompareArgs } from './compareInput.js';
import { recordOption, type ExperimentWindow } from './experimentInput.js';

// ecosim compare <a> [b …]: scenarios (or variants of one) run on common random numbers, with the
// mean and 95% CI of each metric and the difference to the first scenario. Parsing and printing
// only; the work is the library's compare().

interface CompareCliOptions extends CompareArgs {
  workers?: number;
  metric?: string[];
  json?: boolean;
  quiet?: boolean;
  report?: boolean;
  force?: boolean;
}

const EXAMPLES = `
Example:
  $ ecosim compare baseline disintermediation --replications 20
  $ ecosim compare baseline --variant low:platforms.0.takeRate=0.05 --variant high:platforms.0.takeRate=0.3
  $ ecosim compare baseline --variant base: --variant subsidy:platforms.0.partnerSubsidy=1,platforms.0.subsidyBudget=500
  $ ecosim compare scenarios/cold-start-no-subsidy.yaml scenarios/cold-start-subsidy.yaml --metric all.total.revenue --metric orchestrator.final.partners --json
  $ ecosim compare baseline disintermediation --out out/compare --timeseries --report
  $ ecosim compare baseline disintermediation --from 52   # summaries of weeks 52 on
  $ ecosim compare subsidy-compare                         # a bundled experiment file
  $ ecosim compare subsidy-compare --replications 20 --out out/subsidy-20

Replication r of every scenario runs on the same seed (common random numbers), derived from --seed
(default: the first scenario's seed). Each difference is to the first scenario, with Welch's 95% CI
and two-sided p-value. With --variant, one scenario is run with each variant's settings instead
("name:" alone runs it unchanged).

Default metrics: all.total.ecosystemValue, all.total.revenue, all.total.orchestratorProfit,
all.total.leakageRate, all.total.matchRate, all.final.customers, all.final.partners.

With --out, writes compare.csv (metric, scenario, n, mean, sd, ci_low, ci_high, diff, diff_ci_low,
diff_ci_high, t, df, p) and manifest.json; with --timeseries too, timeseries.csv (run, scenario,
replication, tick, platform, metric, value: every run's per-tick metrics), drawn as curves over time
with their 95% band by the report (--report) and by "ecosim chart <dir> --kind timeseries".

An experiment file with variants (a YAML or JSON file with the key "experiment:") holds a whole
comparison: its scenario, set, variants, replications, seed, columns (as --metric gives them),
metrics (the ones timeseries.csv records, as --record gives them), from, timeseries and out.
Options given override it: --variant replaces its variants, --set and --ticks apply after its set
(before each variant's), --metric replaces its columns, and every other option replaces the file's
value.`;

export function registerCompare(program: Command): void {
  program
    .command('compare')
    .description('run scenarios (or variants of one) on common seeds and compare their results with confidence intervals')
    .argument('<scenarios...>', 'scenario files (YAML or JSON), or names of bundled scenarios; or one experiment file')
    .option('--variant <name:key=value,…>', 'a variant of the one scenario given (repeatable)', collect)
    .option('-r, --replications <n>', 'runs per scenario', wholeNumber(1), 10)
    .option('--seed <n>', 'base seed of the common seeds (default: the first scenario\'s seed)', wholeNumber(0))
    .option('--ticks <n>', 'number of ticks of every scenario (the same as --set ticks=<n>)')
    .option('--from <tick>', 'warm-up: run summaries count only ticks >= this one (timeseries.csv keeps every tick)', wholeNumber(0))
    .option('-w, --workers <n>', 'worker threads (default: the cores available; 1 runs in this thread)', wholeNumber(1))
    .option('--record <metric>', 'with --timeseries, record only these metrics there (repeatable, or comma-separated), such as revenue,customers', collect)
    .option('-m, --metric <column>', 'a summary column to compare, such as all.total.revenue (repeatable, or comma-separated)', collect)
    .option('--json', 'print the comparison as JSON on stdout, and nothing else there')
    .option('-o, --out <dir>', 'also write compare.csv and manifest.json into this directory')
    .option('--timeseries', 'with --out, also write every run\'s per-tick metrics to timeseries.csv there')
    .option('-s, --set <key=value>', 'override a scenario key in every scenario (repeatable)', collect)
    .option('-q, --quiet', 'print nothing but errors (and the JSON with --json)')
    .option('--report', 'with --out, also write report.html, an offline HTML report with charts, there')
    .option('-f, --force', 'with --out, write into a directory that holds files ecosim did not write (they are left alone)')
    .addHelpText('after', EXAMPLES)
    .action((scenarios: string[], options: CompareCliOptions, command: Command) => compareCommand(scenarios, options, command));
}

/** Names for scenarios: their file stems; their paths where stems collide; numbered where paths do too. */
function armNames(locations: readonly ScenarioLocation[]): string[] {
  const unique = (names: readonly string[], i: number) => names.indexOf(names[i]!) === names.lastIndexOf(names[i]!);
  const stems = locations.map((l) => scenarioStem(l.path));
  const labels = locations.map((l) => l.label);
  return locations.map((_, i) => (unique(stems, i) ? stems[i]! : unique(labels, i) ? labels[i]! : `${stems[i]}-${i + 1}`));
}

function arms(args: readonly string[], options: CompareCliOptions): CompareArmInput[] {
  const locations = args.map((a) => locateScenario(a));
  const shared = [...(options.set ?? []), ...integerSettings(locations[0]?.label ?? '--ticks', { ticks: options.ticks })];
  if (options.variant === undefined || options.variant.length === 0) {
    if (locations.length < 2) throw new CliError('compare needs two or more scenarios, or one scenario with two or more --variant options');
    const names = armNames(locations);
    return locations.map((l, i) => ({ name: names[i]!, scenario: l.path, file: l.label, settings: shared }));
  }
  if (locations.length !== 1) throw new CliError(`--variant applies to one scenario; ${locations.length} were given`);
  const variants = options.variant.map(parseVariant);
  if (variants.length < 2) throw new CliError('compare needs two or more --variant options (add "--variant base:" for the scenario unchanged)');
  const l = locations[0]!;
  return variants.map((v) => ({ name: v.name, scenario: l.path, file: l.label, settings: [...shared, ...v.settings] }));
}

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });

function n(x: number | null | undefined): string {
  if (x === null || x === undefined) return '-';
  if (!Number.isFinite(x)) return String(x);
  return significant.format(x === 0 ? 0 : x);
}

function pValue(p: number | null | undefined): string {
  if (p === null || p === undefined) return '-';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

const interval = (lo: number | null | undefined, hi: number | null | undefined) => (lo === null || lo === undefined ? '-' : `[${n(lo)}, ${n(hi)}]`);

/** One metric as a table: a row per scenario, with the difference to the first. */
export function formatMetric(m: MetricComparison): string {
  const first = m.arms[0]?.name ?? '';
  const rows = [['scenario', 'n', 'mean', '95% CI', `diff vs ${first}`, '95% CI', 'p']];
  for (const a of m.arms) {
    const d = a.diff;
    rows.push([a.name, String(a.n), n(a.mean), interval(a.ciLow, a.ciHigh), d ? n(d.diff) : '', d ? interval(d.ciLow, d.ciHigh) : '', d ? pValue(d.p) : '']);
  }
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
  const line = (r: string[]) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ').trimEnd();
  return [m.metric, ...rows.map((r) => `  ${line(r)}`)].join('\n');
}

export function formatComparison(result: CompareResult): string {
  const head = `${result.arms.length} scenarios × ${result.replications} replication${result.replications === 1 ? '' : 's'} on common seeds (base seed ${result.seed})`;
  return [head, ...result.metrics.map(formatMetric)].join('\n\n');
}

function metricsOption(values: readonly string[] | undefined): string[] | undefined {
  if (values === undefined) return undefined;
  const metrics = values.flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  if (metrics.length === 0) throw new ScenarioError('--metric', [{ path: '', expected: 'a summary column such as all.total.revenue', found: 'nothing' }]);
  return metrics;
}

async function compareCommand(args: readonly string[], typed: CompareCliOptions, command: Command): Promise<void> {
  const started = performance.now();
  const found = await compareExperiment(args);
  const fromFile = found === undefined ? undefined : compareInput(found.location, found.experiment, typed, (k) => command.getOptionValueSource(k) === 'cli', parseVariant);
  // An experiment file's settings, with the options typed over them (compareInput), stand for the options.
  const options: CompareCliOptions = fromFile === undefined ? typed : { ...typed, replications: fromFile.replications, seed: fromFile.seed, timeseries: fromFile.timeseries };
  const inputs = fromFile?.arms ?? arms(args, options);
  const metrics = metricsOption(options.metric) ?? fromFile?.columns;
  const out = fromFile?.out ?? options.out;
  const warmup: Warmup = fromFile ?? { from: options.from ?? 0, fromSource: { file: inputs[0]!.file!, path: '--from' }, ...recordOption(options) };
  if (options.report && out === undefined) throw new CliError('--report: expected --out <dir> too, the directory the report goes into, found none');
  if (options.timeseries && out === undefined) throw new CliError('--timeseries: expected --out <dir> too, the directory timeseries.csv goes into, found none');
  const lock = out === undefined ? undefined : claimOutputDir(out, 'compare', options.force);
  try {
    await compareInto(inputs, metrics, out, options, started, warmup);
  } finally {
    lock?.release();
  }
}

/** The warm-up of a comparison, what records its timeseries, and who gave the warm-up (for messages). */
type Warmup = Omit<ExperimentWindow, 'timeseries'>;

async function compareInto(inputs: CompareArmInput[], metrics: readonly string[] | undefined, out: string | undefined, options: CompareCliOptions, started: number, warmup: Warmup): Promise<void> {
  const progress = new RunProgress(process.stderr, 'compare', !options.quiet);
  let result: CompareResult;
  try {
    result = await withInterrupt((signal) =>
      withScenarioFile(inputs[0]!.file!, () =>
        compare({
          arms: inputs,
          replications: options.replications,
          seed: options.seed,
          workers: options.workers,
          metrics,
          timeseries: options.timeseries === true,
          from: warmup.from,
          fromSource: warmup.fromSource,
          ...(warmup.record === undefined ? {} : { record: warmup.record }),
          signal,
          onProgress: progress.update,
        }),
      ).finally(() => progress.finish()),
    );
  } catch (e) {
    throw experimentCliError(e, out ?? '.');
  }

  let files: string[] = [];
  if (out !== undefined) {
    try {
      files = writeResult(out, compareOutputFiles(result, VERSION), { force: options.force === true }).names;
    } catch (e) {
      throw writeError(out, e);
    }
  }
  if (options.report && out !== undefined) reportAfter(out, options.quiet);
  if (options.json) process.stdout.write(jsonText(jsonResult(result)));
  else if (!options.quiet) process.stdout.write(`${formatComparison(result)}\n`);
  if (!options.quiet) {
    const wrote = out === undefined ? '' : `wrote ${out.replace(/[/\\]+$/, '')}${nodePath.sep} (${files.join(', ')}); `;
    process.stderr.write(`${wrote}done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  }
  if (result.failed.length > 0) {
    const head = `${result.failed.length} of ${result.arms.length * result.replications} runs failed and were left out:`;
    throw new CliError([head, ...failureLines(result.failed.map((f) => ({ ...f, values: { scenario: f.scenario } })))].join('\n'), EXIT_RUNS_FAILED);
  }
}

/** The comparison as printed with --json: the statistics, and each scenario's file and settings (not the resolved scenario). */
function jsonResult(result: CompareResult): unknown {
  return {
    replications: result.replications,
    seed: result.seed,
    scenarios: result.arms.map((a) => ({ name: a.name, file: a.file, settings: a.settings })),
    metrics: result.metrics,
    failed: result.failed,
  };
}
