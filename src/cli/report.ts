import nodePath from 'node:path';
import type { Command } from 'commander';
import { REPORT_FILE, writeReport } from '../viz/report/report.js';
import { writeError } from './options.js';

// ecosim report <results-dir>: one self-contained HTML page with the charts of a result directory.

interface ReportOptions {
  out?: string;
  quiet?: boolean;
}

const EXAMPLES = `
Example:
  $ ecosim run baseline --out out/baseline
  $ ecosim report out/baseline                  # writes out/baseline/report.html
  $ ecosim sweep baseline --param platforms.0.takeRate=0.05:0.3:0.05 --out out/takerate-sweep
  $ ecosim report out/takerate-sweep --out takerate.html
  $ ecosim compare scenarios/cold-start-no-subsidy.yaml scenarios/cold-start-subsidy.yaml --out out/ab && ecosim report out/ab

The directory is one written by "ecosim run", "ecosim sweep" or "ecosim compare --out". The page
needs no network: its data and its charting library are inside the file, so it opens from a USB
stick. Hover over a chart to read its values; pick a metric to redraw it.`;

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('write an offline HTML report with charts of a run, sweep or comparison directory')
    .argument('<results-dir>', 'a result directory of "ecosim run", "ecosim sweep" or "ecosim compare --out"')
    .option('-o, --out <file>', `the HTML file to write (default: <results-dir>/${REPORT_FILE})`)
    .option('-q, --quiet', 'print nothing but errors (not even the path of the report)')
    .addHelpText('after', EXAMPLES)
    .action((dir: string, options: ReportOptions) => {
      const file = reportFor(dir, options.out);
      if (!options.quiet) process.stdout.write(`${file}\n`);
    });
}

/**
 * Writes the report of a result directory (default `<dir>/report.html`) and returns its path; errors
 * in writing are worded for the command line. Used by `ecosim report` and by `--report` of
 * run, sweep and compare.
 */
export function reportFor(dir: string, out?: string): string {
  const target = out ?? nodePath.join(dir, REPORT_FILE);
  try {
    return writeReport(dir, target);
  } catch (e) {
    throw writeError(target, e);
  }
}

/** For `--report` of run, sweep and compare: writes `<dir>/report.html` and says so on stderr unless quiet. */
export function reportAfter(dir: string, quiet = false): string {
  const file = reportFor(dir);
  if (!quiet) process.stderr.write(`wrote ${file}\n`);
  return file;
}
