import nodePath from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseShard, runsText, shardText, type Shard } from '../experiment/shard.js';
import { RedisBackend } from '../experiment/queue/coordinator.js';
import { JournalError, SweepInterruptedError, sweep, type RunFailure, type SweepResult } from '../experiment/sweep.js';
import type { DesignKind } from '../experiment/types.js';
import { CliError, EXIT_INTERRUPTED, EXIT_USAGE, InterruptedError, withScenarioFile } from './errors.js';
import { checkOutputDir, collect, wholeNumber, writeError } from './options.js';
import { sweepInput, type SweepArgs } from './sweepInput.js';
import { RunProgress } from './progress.js';
import { reportAfter } from './report.js';
import { withInterrupt } from './runLoop.js';

// ecosim sweep <scenario> --param …: a parameter sweep, written to runs.csv, points.csv (and
// timeseries.csv) and manifest.json. Parsing and printing only; the work is the library's sweep().

/** Exit code when the sweep finished but some runs failed (their rows say why). */
export const EXIT_RUNS_FAILED = 3;

const DESIGNS: readonly DesignKind[] = ['grid', 'lhs', 'random', 'sobol', 'morris'];

interface SweepCliOptions extends SweepArgs {
  workers?: number;
  resume?: boolean;
  quiet?: boolean;
  report?: boolean;
  force?: boolean;
  shard?: Shard;
  redis?: string;
}

const EXAMPLES = `
Parameters (--param, repeatable) are scenario key paths with values:
  path=from:to:step   a grid, e.g. platforms.0.takeRate=0.05:0.3:0.05
  path=from:to        a range to sample (lhs, random, sobol, morris), e.g. customers.p=0.005:0.05
  path=a,b,c          a list, e.g. platforms.0.ranking=rating,random

Example:
  $ ecosim sweep baseline --param platforms.0.takeRate=0.05:0.3:0.05 --replications 5
  $ ecosim sweep baseline --param platforms.0.takeRate=0.05:0.3 --param customers.q=0.1:0.5 \\
      --design lhs --samples 50 --seed 7 --out out/takerate-lhs
  $ ecosim sweep baseline --param platforms.0.takeRate=0.05:0.3 --design sobol --samples 64
  $ ecosim sweep baseline --param customers.count=1000,5000 --timeseries --workers 2
  $ ecosim sweep baseline --param platforms.0.takeRate=0.05:0.3:0.05 --resume   # after Ctrl-C
  $ ecosim sweep baseline --param platforms.0.takeRate=0.05:0.3:0.05 --shard 2/4 --out parts/part-2
  $ ecosim sweep baseline --param platforms.0.takeRate=0.05:0.3:0.05 --out out/queued \
      --redis redis://10.0.0.5:6379     # on the ecosim worker processes taking jobs there
  $ ecosim sweep baseline --param customers.q=0.1:0.5:0.2 --from 52   # summaries of ticks 52 on
  $ ecosim sweep baseline --param customers.q=0.1,0.3 --record customers,revenue --timeseries

An experiment file (a YAML or JSON file with the key "experiment:") holds a whole sweep: the
scenario, set, params, design, samples, levels, replications, seed, metrics (as --record gives
them), from, timeseries and out. Options given override it: --param replaces the file's params,
--set and --ticks apply after its set, and every other option replaces the file's value. Bundled
experiments (scenarios/experiments/) are found by name.
  $ ecosim sweep takerate-grid
  $ ecosim sweep takerate-grid --replications 3 --out out/takerate-3
  $ ecosim sweep scenarios/experiments/ranking-lhs.yaml --from 0

Writes into the output directory (default out/<scenario>-sweep/, or out/<experiment>/ for an
experiment file):
  runs.csv        one row per run: run, point, replication, seed, status, error, parameters, summary
  points.csv      per point and summary column: n, mean, sd and 95% CI over the replications
  timeseries.csv  with --timeseries: run, point, replication, tick, platform, metric, value
  manifest.json   version, the resolved experiment (every setting, defaults filled in), the design
                  with every point, seeds, and the resolved scenario
While it runs, every finished run is appended to journal.jsonl there; --resume continues from it.
Run seeds are derived from --seed, the point and the replication: the same command gives the same
files whatever --workers is. A run can be repeated with ecosim run --seed <its seed> --set <params>.

Shards (--shard i/n, for job arrays: Slurm's --array=1-n gives $SLURM_ARRAY_TASK_ID = i; a
Kubernetes indexed job gives --shard $((JOB_COMPLETION_INDEX+1))/n): every shard builds the same
plan and runs the i-th of n contiguous blocks of the runs in run order (sizes differ by at most one,
the first blocks one run longer). Its output directory is a sweep part: runs.csv of its runs,
records.jsonl and manifest.json; ecosim merge <parts…> --out <dir> writes the whole sweep's files,
identical to one sweep without --shard.

With --redis, the batches are jobs of a queue in that Redis, run by "ecosim worker --redis <url>"
processes on any machine; the files are the same, the journal is kept here, --resume works alike.

Exit codes: 0 all runs ok, 3 some runs failed (listed on stderr), 2 bad input, 130 interrupted
(the journal is kept: run the same command with --resume).`;

export function registerSweep(program: Command): void {
  program
    .command('sweep')
    .description('run a scenario over a design of parameter values, with replications, and write tidy results')
    .argument('<scenario>', 'scenario or experiment file (YAML or JSON), or the name of a bundled one')
    .option('-p, --param <path=values>', 'a parameter to vary (repeatable; see below)', collect)
    .addOption(new Option('-d, --design <kind>', 'how points are chosen').choices(DESIGNS).default('grid'))
    .option('-n, --samples <n>', 'points of lhs and random; base sample size N of sobol; trajectories of morris', wholeNumber(1))
    .option('--levels <p>', 'grid levels of morris (even, default 4)', wholeNumber(2))
    .option('-r, --replications <n>', 'runs per point, each with its own seed', wholeNumber(1), 1)
    .option('--seed <n>', 'base seed of run seeds and sampled designs (default: the scenario\'s seed)', wholeNumber(0))
    .option('-w, --workers <n>', 'worker threads (default: the cores available; 1 runs in this thread)', wholeNumber(1))
    .option('-o, --out <dir>', 'output directory (default: out/<scenario file name>-sweep/; with --shard i/n, out/<name>-sweep-parts/part-<i>/)')
    .option('--timeseries', 'also write every run\'s per-tick metrics to timeseries.csv')
    .option('--resume', 'continue the interrupted sweep recorded in the output directory')
    .option('-s, --set <key=value>', 'override a scenario key before the parameters (repeatable)', collect)
    .option('-q, --quiet', 'print nothing but errors')
    .option('--ticks <n>', 'number of ticks of every run (the same as --set ticks=<n>)')
    .option('--from <tick>', 'warm-up: run summaries count only ticks >= this one (timeseries.csv keeps every tick)', wholeNumber(0))
    .option('--record <metric>', 'record only these metrics (repeatable, or comma-separated), such as revenue,customers: their summary columns and timeseries rows', collect)
    .option('--report', 'also write report.html, an offline HTML report with charts, into the output directory')
    .option('-f, --force', 'write into an output directory that holds files ecosim did not write (they are left alone)')
    .option('--shard <i/n>', 'run only the i-th of n slices of the runs (1 <= i <= n) and write a part for ecosim merge', shardOption)
    .option('--redis <url>', 'run the batches on `ecosim worker` processes through this Redis (redis://host:6379) instead of local threads')
    .addHelpText('after', EXAMPLES)
    .action((scenario: string, options: SweepCliOptions, command: Command) => sweepCommand(scenario, options, command));
}

/** Parses `--shard i/n`; bad text is a usage error (exit 2) with commander's message. */
function shardOption(value: string): Shard {
  try {
    return parseShard(value);
  } catch {
    throw new InvalidArgumentError('expected i/n, whole numbers with 1 <= i <= n, such as 2/8.');
  }
}

/** One line per failed run, with what is needed to repeat it; the first few only. */
export function failureLines(failures: readonly RunFailure[], max = 10): string[] {
  const lines = failures.slice(0, max).map((f) => {
    const values = Object.entries(f.values).map(([k, v]) => `${k}=${String(v)}`);
    const what = [`point ${f.point}`, `replication ${f.replication}`, `seed ${f.seed}`, ...values].join(', ');
    return `  run ${f.run} (${what}): ${f.error.replace(/\n/g, '\n    ')}`;
  });
  if (failures.length > max) lines.push(`  … and ${failures.length - max} more`);
  return lines;
}

/** Library errors worded for the command line. */
export function experimentCliError(e: unknown, out: string): unknown {
  if (e instanceof JournalError) return new CliError(e.message, EXIT_USAGE);
  if (e instanceof SweepInterruptedError) {
    const code = e.cause instanceof InterruptedError ? e.cause.exitCode : EXIT_INTERRUPTED;
    const by = code === EXIT_INTERRUPTED ? 'Ctrl-C' : 'SIGTERM';
    return new CliError(`interrupted by ${by} after ${e.done} of ${e.total} runs, kept in ${e.journal}: run the same command with --resume to continue`, code);
  }
  return writeError(out, e);
}

async function sweepCommand(arg: string, options: SweepCliOptions, command: Command): Promise<void> {
  const started = performance.now();
  const shard = options.shard;
  if (shard !== undefined && options.report) {
    throw new CliError('--report: a shard holds only a part of the sweep; add --report to ecosim merge, which writes the whole sweep');
  }
  if (shard !== undefined && options.redis !== undefined) {
    throw new CliError('--shard and --redis: give one (a shard runs its slice on this machine; --redis hands the whole sweep to ecosim worker processes)');
  }
  const input = await sweepInput(arg, options, (key) => command.getOptionValueSource(key) === 'cli');
  // A shard's part goes beside the whole sweep's directory unless --out says where.
  const out = shard === undefined || options.out !== undefined ? input.out : nodePath.join(`${input.out}-parts`, `part-${shard.index}`);
  checkOutputDir(out);
  const backend = options.redis === undefined ? undefined : await RedisBackend.connect(options.redis);
  const progress = new RunProgress(process.stderr, 'sweep', !options.quiet);
  let result: SweepResult;
  try {
    result = await withInterrupt((signal) =>
      withScenarioFile(input.label, () =>
        sweep({
          ...input.plan,
          workers: options.workers,
          out,
          resume: options.resume === true,
          force: options.force === true,
          signal,
          onProgress: progress.update,
          ...(shard === undefined ? {} : { shard }),
          backend,
        }),
      ).finally(() => progress.finish()),
    );
  } catch (e) {
    throw experimentCliError(input.rewordError(e), out);
  }

  const where = `${out.replace(/[/\\]+$/, '')}${nodePath.sep}`;
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  if (!options.quiet) {
    const resumed = result.resumed > 0 ? `, ${result.resumed} resumed from the journal` : '';
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const slice = result.shard;
    const design =
      slice === undefined
        ? `${count(result.design.points.length, 'point')} × ${count(result.runs / Math.max(1, result.design.points.length), 'replication')} = ${count(result.runs, 'run')}`
        : `shard ${shardText(slice)}, ${runsText(slice)} of ${slice.total}`;
    process.stdout.write(`wrote ${where} (${result.files.join(', ')}): ${design}${resumed}\n`);
    process.stderr.write(`done in ${seconds} s\n`);
  }
  if (options.report) reportAfter(out, options.quiet);
  if (result.failed.length > 0) {
    const head = `${result.failed.length} of ${result.runs} runs failed (status "failed" in ${nodePath.join(out, 'runs.csv')}):`;
    throw new CliError([head, ...failureLines(result.failed)].join('\n'), EXIT_RUNS_FAILED);
  }
}
