import fs from 'node:fs';
import nodePath from 'node:path';
import type { Command } from 'commander';
import { tempFileName, writeFileAtomic } from '../sim/output/atomic.js';
import { CHART_KINDS, chartFromResults, type ChartKind } from '../viz/load.js';
import { svgToPng } from '../viz/png.js';
import { CliError } from './errors.js';
import { collect, wholeNumber, writeError } from './options.js';

// ecosim chart <results-dir>: one chart of a run, sweep or comparison, as SVG or PNG.

interface ChartCliOptions {
  kind?: string;
  metric?: string[];
  platform?: string;
  param?: string[];
  width?: number;
  height?: number;
  title?: string;
  out: string;
  quiet?: boolean;
}

const EXAMPLES = `
Kinds, and the directories they fit (the first is the default):
  run       timeseries, adoption, moneyflow
  sweep     response, heatmap, tornado (after "ecosim analyze"), timeseries (with --timeseries)
  compare   comparison, timeseries (with --timeseries)

Example (each chart after the command that makes its directory):
  $ ecosim run baseline
  $ ecosim chart out/baseline --out gmv.svg --metric gmv --metric revenue
  $ ecosim chart out/baseline --kind adoption --out adoption.png
  $ ecosim chart out/baseline --kind moneyflow --platform orchestrator --out money.png
  $ ecosim sweep baseline --param platforms.0.takeRate=0.05:0.35:0.1 --param customers.needRate=0.1,0.3,0.5 --out out/baseline-sweep
  $ ecosim chart out/baseline-sweep --kind response --param platforms.0.takeRate --metric all.total.revenue --out revenue.svg
  $ ecosim chart out/baseline-sweep --kind heatmap --param takeRate --param needRate --out heat.png
  $ ecosim sweep baseline --design sobol --samples 256 --param platforms.0.takeRate=0.05:0.35 --param customers.needRate=0.1:0.5 --out out/sobol
  $ ecosim analyze out/sobol
  $ ecosim chart out/sobol --kind tornado --metric ecosystemValue --out tornado.png
  $ ecosim compare baseline disintermediation --out out/compare
  $ ecosim chart out/compare --metric all.total.leakageRate --out leakage.png --width 1920 --height 1080
  $ ecosim compare baseline disintermediation --out out/compare-ts --timeseries
  $ ecosim chart out/compare-ts --kind timeseries --metric revenue --out revenue-over-time.png`;

export function registerChart(program: Command): void {
  program
    .command('chart')
    .description('draw a chart of a run, sweep or comparison directory as SVG or PNG')
    .argument('<results-dir>', 'output directory of "ecosim run", "ecosim sweep" or "ecosim compare --out"')
    .requiredOption('-o, --out <file>', 'the chart file: .svg or .png')
    .option('-k, --kind <kind>', `chart kind: ${CHART_KINDS.join(', ')} (default: by directory)`)
    .option('-m, --metric <name>', 'a metric (run) or summary column (sweep, compare), such as gmv or all.total.revenue (repeatable)', collect)
    .option('-p, --platform <name>', 'a platform of a run, or "all"')
    .option('--param <path>', 'a sweep parameter: the x axis of response, the axes of heatmap (repeatable)', collect)
    .option('--width <px>', 'width in pixels (default 960)', wholeNumber(120))
    .option('--height <px>', 'height in pixels (default 540)', wholeNumber(80))
    .option('--title <text>', 'chart title ("" for none)')
    .option('-q, --quiet', 'print nothing but errors')
    .addHelpText('after', EXAMPLES)
    .action((dir: string, options: ChartCliOptions) => chart(dir, options));
}

function chart(dir: string, options: ChartCliOptions): void {
  const ext = nodePath.extname(options.out).toLowerCase();
  if (ext !== '.svg' && ext !== '.png') throw new CliError(`--out ${options.out}: expected a file name ending in .svg or .png, found ${ext === '' ? 'no extension' : `"${ext}"`}`);
  if (options.height !== undefined && options.height > 20000) throw new CliError(`--height ${options.height}: expected at most 20000 pixels`);
  if (options.width !== undefined && options.width > 20000) throw new CliError(`--width ${options.width}: expected at most 20000 pixels`);
  const metrics = (options.metric ?? []).flatMap((m) => m.split(',').map((s) => s.trim()).filter((s) => s !== ''));
  const svg = chartFromResults(dir, {
    kind: options.kind as ChartKind | undefined,
    metrics,
    platform: options.platform,
    params: options.param,
    width: options.width,
    height: options.height,
    title: options.title,
  });
  try {
    if (ext === '.svg') writeFileAtomic(options.out, svg);
    else writeBytesAtomic(options.out, svgToPng(svg, { width: options.width }));
  } catch (e) {
    throw writeError(options.out, e);
  }
  if (!options.quiet) process.stderr.write(`wrote ${options.out}\n`);
}

/** Writes bytes beside the target under a temporary name, flushes them, then renames into place. */
function writeBytesAtomic(file: string, bytes: Uint8Array): void {
  const tmp = tempFileName(file);
  let renamed = false;
  try {
    const fd = fs.openSync(tmp, 'wx', 0o666);
    try {
      fs.writeSync(fd, bytes);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
    renamed = true;
  } finally {
    if (!renamed) fs.rmSync(tmp, { force: true });
  }
}
