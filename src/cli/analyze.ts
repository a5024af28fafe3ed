import nodePath from 'node:path';
import type { Command } from 'commander';
import { analyzeSweep, DEFAULT_METRICS, SENSITIVITY_FILE, type AnalyzeResult, type MetricSensitivity } from '../experiment/analyze.js';
import { DEFAULT_BOOTSTRAP } from '../experiment/sensitivity.js';
import { jsonText } from '../sim/output/runOutputs.js';
import { collect, parseReplication, writeError } from './options.js';
import { analyzeDir } from './experimentInput.js';

// ecosim analyze <sweep-dir>: sensitivity indices of a sobol or morris sweep (the library's
// analyzeSweep), printed as one table a metric.

const significant = new Intl.NumberFormat('en-US', { maximumSignificantDigits: 4 });
/** Four significant digits; tiny values (rounding noise of a zero, often) in exponent form rather than a row of zeros. */
const fmt = (x: number | null): string => (x === null ? '-' : x !== 0 && Math.abs(x) < 1e-4 ? x.toExponential(2) : significant.format(x));
const fixed = (x: number | null): string => (x === null ? '-' : x.toFixed(3).replace(/^-(0\.0+)$/, '$1')); // no "-0.000"

const interval = (low: number | null, high: number | null): string => (low === null || high === null ? '' : `[${fixed(low)}, ${fixed(high)}]`);

function alignedLines(titles: readonly string[], cells: readonly (readonly string[])[]): string[] {
  const widths = titles.map((t, j) => Math.max(t.length, ...cells.map((row) => row[j]!.length)));
  const line = (row: readonly string[]) => row.map((text, j) => (j === 0 ? text.padEnd(widths[j]!) : text.padStart(widths[j]!))).join('  ').trimEnd();
  return [line(titles), ...cells.map(line)];
}

/** One table a metric, most influential parameter first (by ST for Sobol', by mu* for Morris). */
function metricTable(m: MetricSensitivity): string[] {
  if (m.kind === 'sobol') {
    const sorted = [...m.indices].sort((a, b) => b.ST - a.ST);
    const cells = sorted.map((x) => [x.path, fixed(x.S1), interval(x.S1Low, x.S1High), fixed(x.ST), interval(x.STLow, x.STHigh)]);
    return alignedLines(['parameter', 'S1', 'S1 interval', 'ST', 'ST interval'], cells);
  }
  const sorted = [...m.indices].sort((a, b) => b.muStar - a.muStar);
  return alignedLines(['parameter', 'mu*', 'mu', 'sigma'], sorted.map((x) => [x.path, fmt(x.muStar), fmt(x.mu), fmt(x.sigma)]));
}

export function formatAnalysis(r: AnalyzeResult): string {
  const size = r.kind === 'sobol' ? `N = ${r.samples ?? '?'}, ${r.bootstrap} bootstrap resamples (95% intervals)` : `r = ${r.samples ?? '?'} trajectories`;
  const heading = `${r.kind} design: ${r.points} points × ${r.replications} replication${r.replications === 1 ? '' : 's'} (means of replications), ${size}`;
  const blocks = r.metrics.map((m) => [m.metric, ...metricTable(m).map((l) => `  ${l}`)].join('\n'));
  const skipped = r.skipped.map((s) => `skipped ${s.metric}: ${s.reason}`);
  const kept = r.kept.length === 0 ? [] : [`kept from an earlier analysis: ${r.kept.join(', ')}`];
  return [heading, '', ...blocks.flatMap((b) => [b, '']), ...skipped, ...kept, `wrote ${r.file}`].join('\n');
}

// ---------------------------------------------------------------------------------------------

interface AnalyzeCommandOptions {
  metric?: string[];
  bootstrap?: number;
  json?: boolean;
  quiet?: boolean;
  out?: string;
}

const EXAMPLES = `
Example:
  $ ecosim sweep baseline --design sobol --samples 256 --param platforms.0.takeRate=0.05:0.35 --param customers.needRate=0.1:0.5 --out out/sobol
  $ ecosim analyze out/sobol
  $ ecosim analyze out/sobol --metric all.final.partners --metric all.total.orchestratorProfit
  $ ecosim analyze out/sobol --json > indices.json
  $ ecosim sweep pricing-sobol && ecosim analyze pricing-sobol   # an experiment file: its output directory

A metric that does not vary over the design, or is empty at some points, is skipped with a note;
sensitivity.csv keeps the metrics of earlier analyses of the same sweep unless analysed again.

Sobol' designs give first-order (S1) and total (ST) indices with bootstrap intervals; Morris designs
give mu* (overall influence), mu (direction) and sigma (nonlinearity or interactions), in the units of
the metric per full range of the parameter.`;

export function registerAnalyze(program: Command): void {
  program
    .command('analyze')
    .description('sensitivity indices (Sobol\' or Morris) of a sweep; writes sensitivity.csv into its directory')
    .argument('<sweep-dir>', 'directory written by ecosim sweep (manifest.json, runs.csv) with a sobol or morris design, or the experiment file that made it')
    .option('-m, --metric <column>', `a column of runs.csv to analyse (repeatable; default ${DEFAULT_METRICS.join(', ')})`, collect)
    .option('--bootstrap <n>', 'bootstrap resamples for the Sobol\' intervals (0 for none)', parseReplication, DEFAULT_BOOTSTRAP)
    .option('--json', 'print the indices as JSON on stdout, and nothing else there')
    .option('-q, --quiet', 'print nothing but errors (and the JSON with --json)')
    .option('-o, --out <dir>', 'with an experiment file, the sweep directory to read (default: the experiment\'s out)')
    .addHelpText('after', EXAMPLES)
    .action(async (arg: string, options: AnalyzeCommandOptions) => {
      const dir = await analyzeDir(arg, options.out);
      let result: AnalyzeResult;
      try {
        result = analyzeSweep(dir, {
          ...(options.metric === undefined ? {} : { metrics: options.metric }),
          ...(options.bootstrap === undefined ? {} : { bootstrap: options.bootstrap }),
        });
      } catch (e) {
        throw writeError(nodePath.join(dir, SENSITIVITY_FILE), e);
      }
      if (options.json) {
        const { dir: sweepDir, kind, points, replications, samples, bootstrap, metrics, skipped, file } = result;
        process.stdout.write(jsonText({ dir: sweepDir, kind, points, replications, samples, bootstrap, metrics, skipped, file }));
        if (!options.quiet) for (const s of result.skipped) process.stderr.write(`skipped ${s.metric}: ${s.reason}\n`);
        return;
      }
      if (!options.quiet) process.stdout.write(`${formatAnalysis(result)}\n`);
    });
}
