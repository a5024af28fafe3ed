import nodePath from 'node:path';
import type { Command } from 'commander';
import { mergeParts, type MergeResult } from '../experiment/merge.js';
import { CliError } from './errors.js';
import { checkOutputDir, writeError } from './options.js';
import { reportAfter } from './report.js';
import { EXIT_RUNS_FAILED, failureLines } from './sweep.js';

// ecosim merge <part-dir>… --out <dir>: the parts of a sharded sweep (ecosim sweep … --shard i/n)
// merged into the files of the whole sweep. Parsing and printing only; the work is mergeParts().

interface MergeCliOptions {
  out: string;
  force?: boolean;
  quiet?: boolean;
  report?: boolean;
}

const EXAMPLES = `
Example:
  $ ecosim sweep baseline --param platforms.0.takeRate=0.1,0.2,0.3 --replications 4 --shard 1/2 --out parts/part-1
  $ ecosim sweep baseline --param platforms.0.takeRate=0.1,0.2,0.3 --replications 4 --shard 2/2 --out parts/part-2
  $ ecosim merge parts/part-* --out out/takerate
  $ ecosim merge parts/part-* --out out/takerate --report --quiet   # and report.html

Each part is the output directory of one shard (ecosim sweep … --shard i/n), checked against its
manifest. The parts must be of one sweep (the same scenario, --set, parameters, design,
replications, seed and --timeseries, and the same n) and hold every shard 1/n … n/n exactly once;
otherwise nothing is written and the message names the parts (of another sweep, given twice,
overlapping) or the shards missing, with their runs. The order of the parts does not matter.
Writes runs.csv, points.csv, timeseries.csv (when the shards ran with --timeseries) and
manifest.json, byte-identical to the same sweep run in one process without --shard.

Exit codes: 0 all runs ok, 3 some runs failed (listed on stderr), 2 bad input (parts that do not
make one whole sweep, an output directory that cannot be used).`;

export function registerMerge(program: Command): void {
  program
    .command('merge')
    .description('merge the parts of a sharded sweep (sweep --shard i/n) into the files of the whole sweep')
    .argument('<part-dir...>', 'the output directories of the shards, in any order (such as parts/part-*)')
    .requiredOption('-o, --out <dir>', 'output directory of the whole sweep')
    .option('-f, --force', 'write into an output directory that holds files ecosim did not write (they are left alone)')
    .option('-q, --quiet', 'print nothing but errors')
    .option('--report', 'also write report.html, an offline HTML report with charts, into the output directory')
    .addHelpText('after', EXAMPLES)
    .action((parts: string[], options: MergeCliOptions) => mergeCommand(parts, options));
}

function mergeCommand(parts: readonly string[], options: MergeCliOptions): void {
  const { out } = options;
  checkOutputDir(out);
  let result: MergeResult;
  try {
    result = mergeParts({ parts, out, force: options.force === true });
  } catch (e) {
    throw writeError(out, e);
  }
  if (!options.quiet) {
    const where = `${out.replace(/[/\\]+$/, '')}${nodePath.sep}`;
    const count = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`;
    const design = `${count(result.design.points.length, 'point')} × ${count(result.replications, 'replication')} = ${count(result.runs, 'run')}`;
    process.stdout.write(`wrote ${where} (${result.files.join(', ')}): ${count(result.parts, 'part')}, ${design}\n`);
  }
  if (options.report) reportAfter(out, options.quiet);
  if (result.failed.length > 0) {
    const head = `${result.failed.length} of ${result.runs} runs failed (status "failed" in ${nodePath.join(out, 'runs.csv')}):`;
    throw new CliError([head, ...failureLines(result.failed)].join('\n'), EXIT_RUNS_FAILED);
  }
}
