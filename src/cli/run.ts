import nodePath from 'node:path';
import type { Command } from 'commander';
import { loadScenario } from '../sim/scenario/load.js';
import { jsonText, runManifest, writeRunOutputs, type RunOutputReport } from '../sim/output/runOutputs.js';
import { VERSION } from '../version.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { locateScenario, scenarioStem, type ScenarioLocation } from './bundled.js';
import { withScenarioFile } from './errors.js';
import { formatSummary, formatTrends } from './format.js';
import { claimOutputDir, collect, integerSettings, parseReplication, wholeNumber, writeError } from './options.js';
import { simulateAsync } from '../simulate.js';
import { reportFor } from './report.js';
import { checkWarmup } from '../sim/warmup.js';
import { hintExperiment } from './experimentInput.js';
import { Progress, withInterrupt } from './runLoop.js';

// ecosim run <scenario>: one run, written to metrics.csv, summary.json and manifest.json.

interface RunOptions {
  out?: string;
  seed?: string;
  ticks?: string;
  set?: string[];
  replication: number;
  threads: number;
  json?: boolean;
  report?: boolean;
  quiet?: boolean;
  force?: boolean;
  from?: number;
}

const EXAMPLES = `
Example:
  $ ecosim run scenarios/baseline.yaml
  $ ecosim run baseline --seed 7 --ticks 104 --out out/baseline-7
  $ ecosim run baseline --set platforms.0.takeRate=0.2 --set customers.count=20000
  $ ecosim run baseline --replication 3 --json > summary.json
  $ ecosim run baseline --report            # also out/baseline/report.html
  $ ecosim run baseline --from 52           # summary means and totals of ticks 52 on (the launch left out)
  $ ecosim run baseline --set customers.count=1000000 --set partners.count=50000 --threads 2

Writes into the output directory (created only when the run succeeds):
  metrics.csv    one row per tick and platform (and "all"), one column per metric
  summary.json   the run summary
  manifest.json  version, settings and the fully resolved scenario: enough to run it again,
                 and the size and SHA-256 of every file of the result
An earlier ecosim result in the directory is replaced whole; a directory holding other files is
refused (exit 2) unless --force is given.`;

export function registerRun(program: Command): void {
  program
    .command('run')
    .description('run a scenario and write its metrics, summary and manifest')
    .argument('<scenario>', 'scenario file (YAML or JSON), or the name of a bundled scenario')
    .option('-o, --out <dir>', 'output directory (default: out/<scenario file name>/)')
    .option('--seed <n>', 'random seed (the same as --set seed=<n>)')
    .option('--ticks <n>', 'number of ticks (the same as --set ticks=<n>)')
    .option('-s, --set <key=value>', 'override a scenario key, e.g. platforms.0.takeRate=0.2 (repeatable)', collect)
    .option('--from <tick>', 'warm-up: the summary\'s means and totals count only ticks >= this one (metrics.csv keeps every tick)', wholeNumber(0))
    .option('-r, --replication <n>', 'replication: another reproducible random stream for the same seed', parseReplication, 0)
    .option('-t, --threads <n>', 'threads for one large run (this one and n - 1 workers); the output is the same for every number', wholeNumber(1), 1)
    .option('--json', 'print the run summary as JSON on stdout, and nothing else there')
    .option('--report', 'also write report.html, an offline HTML report with charts, into the output directory')
    .option('-q, --quiet', 'print nothing but errors (and the JSON with --json)')
    .option('-f, --force', 'write into an output directory that holds files ecosim did not write (they are left alone)')
    .addHelpText('after', EXAMPLES)
    .action((scenario: string, options: RunOptions) => run(scenario, options));
}

async function run(arg: string, options: RunOptions): Promise<void> {
  const started = performance.now();
  const location = locateScenario(arg);
  const settings = [...(options.set ?? []), ...integerSettings(location.path, { seed: options.seed, ticks: options.ticks })];
  const scenario = await hintExperiment(location, 'run', () => withScenarioFile(location.path, () => loadScenario(location.path, settings)));
  checkWarmup(options.from, scenario.ticks, location.label, '--from');
  const out = options.out ?? nodePath.join('out', scenarioStem(location.path));
  const lock = claimOutputDir(out, 'run', options.force);
  try {
    await runInto(out, location, settings, scenario, options, started);
  } finally {
    lock.release();
  }
}

async function runInto(out: string, location: ScenarioLocation, settings: string[], scenario: Scenario, options: RunOptions, started: number): Promise<void> {
  const progress = new Progress(process.stderr, scenario.name, !options.quiet && process.stderr.isTTY === true);
  const result = await withInterrupt(async (signal) => {
    try {
      return await simulateAsync(scenario, { replication: options.replication, threads: options.threads, from: options.from, signal, onTick: (t) => progress.update(t + 1, scenario.ticks) });
    } finally {
      progress.finish();
    }
  });

  const manifest = runManifest({ version: VERSION, command: 'run', scenarioFile: location.label, settings, replication: options.replication, scenario, from: options.from });
  let report: RunOutputReport;
  try {
    report = writeRunOutputs(out, result, manifest, { force: options.force === true });
  } catch (e) {
    throw writeError(out, e);
  }

  warnNonFinite(report);
  const page = options.report ? reportFor(out) : undefined;
  const where = `${out.replace(/[/\\]+$/, '')}${nodePath.sep}`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (options.json) {
    process.stdout.write(jsonText(result.summary));
    if (!options.quiet) process.stderr.write(`wrote ${where} (${report.files.join(', ')}) in ${seconds} s\n`);
    if (!options.quiet && page) process.stderr.write(`report: ${page}\n`);
  } else if (!options.quiet) {
    process.stdout.write(`${formatSummary(result.summary)}\n\n${formatTrends(result.metrics)}\n\nwrote ${where} (${report.files.join(', ')})\n`);
    if (page) process.stdout.write(`report: ${page} (open it in a browser; it needs no network)\n`);
    process.stderr.write(`done in ${seconds} s\n`);
  }
}

/** Values that are not numbers are a bug in the model: say so on stderr, even with --quiet. */
function warnNonFinite(report: RunOutputReport): void {
  const bug = 'This is a bug in ecosim; please report it.';
  for (const v of report.nonFiniteMetrics.slice(0, 5)) {
    process.stderr.write(`warning: metric ${v.metric} of ${v.platform} at tick ${v.tick} is ${v.value}; written as an empty field. ${bug}\n`);
  }
  if (report.nonFiniteMetrics.length > 5) process.stderr.write(`warning: ${report.nonFiniteMetrics.length - 5} more metric values that are not numbers\n`);
  for (const path of report.nonFiniteSummary.slice(0, 5)) {
    process.stderr.write(`warning: summary ${path} is not a number; written as null. ${bug}\n`);
  }
}
