// The offline HTML report (src/viz/report): one self-contained page with the data and the chart
// modules of "ecosim chart" (bundled) inlined, for a run, a sweep and a comparison directory; no external URL; clear errors for
// a directory that is not a result directory. The page's behaviour in a browser is in
// browser-report.test.ts.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES, compare, runManifest, scenarioFromObject, simulate, writeRunOutputs, InputError, VERSION } from '../src/index.js';
import { compareOutputFiles, writeResult } from '../src/experiment/sweepOutputs.js';
import { timeseriesFromCompare } from '../src/viz/load.js';
import { registerReport } from '../src/cli/report.js';
import { reportError } from '../src/cli/errors.js';
import { renderReport, writeReport, resultKind, REPORT_FILE } from '../src/viz/report/report.js';
import { writeFakeSweep } from '../src/viz/report/bench.js';
import { writeFixture } from './helpers.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-report-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

const runDir = path.join(base, 'run');
const sweepDir = path.join(base, 'sweep');
const compareDir = path.join(base, 'compare');
const compareTsDir = path.join(base, 'compare-ts');

const COMPARE_CSV = `metric,scenario,n,mean,sd,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,t,df,p
all.total.ecosystemValue,base,3,3252.2,244.6,2644.5,3859.8,,,,,,
all.total.ecosystemValue,high,3,1843.7,222.6,1290.6,2396.8,-1408.4,-1940.5,-876.3,-7.37,3.96,0.0018
all.total.leakageRate,base,3,0.0667,0.019,0.0195,0.114,,,,,,
all.total.leakageRate,high,3,0.0912,0.0163,0.0507,0.1318,0.0245,-0.016,0.065,1.69,3.91,0.167
`;

beforeAll(async () => {
  const scenario = scenarioFromObject({ ticks: 30, customers: { count: 1000 }, partners: { count: 50 }, network: { type: 'meanfield' } });
  const result = simulate(scenario);
  writeRunOutputs(runDir, result, runManifest({ version: VERSION, command: 'run', scenarioFile: 'tiny.yaml', settings: [], replication: 0, scenario }));
  writeFakeSweep(sweepDir, 5);
  writeFixture(compareDir, { 'compare.csv': COMPARE_CSV }, { command: 'compare', scenarios: [{ name: 'base', scenario: { name: 'base-scenario', ticks: 30 } }, { name: 'high', scenario: { name: 'high-scenario', ticks: 30 } }] });
  const tiny = { ticks: 12, customers: { count: 300 }, partners: { count: 30 }, network: { type: 'meanfield' } };
  const compared = await compare({
    arms: [
      { name: 'base', scenario: tiny },
      { name: 'high', scenario: tiny, settings: ['platforms.0.takeRate=0.3'] },
    ],
    replications: 3,
    workers: 1,
    metrics: ['all.total.revenue'],
    timeseries: true,
  });
  writeResult(compareTsDir, compareOutputFiles(compared, VERSION));
});

/** The JSON data inlined in the page. */
function inlinedData(html: string): Record<string, unknown> {
  const m = /<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html);
  expect(m, 'the page inlines its data as JSON').not.toBeNull();
  return JSON.parse(m![1]!) as Record<string, unknown>;
}

/** The values of the metric picker's options. */
function pickerOptions(html: string): string[] {
  const select = /<select id="metric">([\s\S]*?)<\/select>/.exec(html);
  expect(select, 'the page has a metric picker').not.toBeNull();
  return [...select![1]!.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1]!);
}

/** Checks that a page loads nothing from anywhere: no URL at all, no external resource. */
function expectSelfContained(html: string): void {
  expect(html.match(/https?:\/\/[^\s"'<>]*/g) ?? []).toEqual([]);
  expect(html).not.toMatch(/<script[^>]*\ssrc\s*=/i);
  expect(html).not.toMatch(/<link[^>]*\shref\s*=/i);
  expect(html).not.toMatch(/<(img|iframe|object|embed)\b/i);
  expect(html).not.toMatch(/@import|url\(\s*['"]?(?!#)/i);
}

/** The page's script is the chart code of "ecosim chart", bundled: its marks and its palette are there, and no second charting library. */
function expectChartBundle(html: string): void {
  const script = /<script>([\s\S]*?)<\/script>\s*<\/body>/.exec(html)![1]!;
  expect(script).toContain('class="series"');
  expect(script).toContain('#E69F00'); // the Okabe–Ito palette of theme.ts
  expect(script).not.toMatch(/d3js\.org|d3\.select|\bimport\s*\(/);
}

describe('report of a run directory', () => {
  let html = '';
  beforeAll(() => {
    html = renderReport(runDir);
  });

  it('is a complete HTML page with d3, the data and the script inlined', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('</html>');
    expectChartBundle(html);
    const data = inlinedData(html);
    expect(data['kind']).toBe('run');
    const series = data['series'] as { platform: string; ticks: number[]; values: Record<string, (number | null)[]> }[];
    expect(series.map((s) => s.platform)).toEqual(['orchestrator', 'all']);
    expect(series[0]!.ticks).toHaveLength(30);
    const csv = fs.readFileSync(path.join(runDir, 'metrics.csv'), 'utf8').split('\n');
    const header = csv[0]!.split(',');
    const last = csv.filter((l) => l.includes(',all,')).at(-1)!.split(',');
    expect(series[1]!.values['customers']!.at(-1)).toBe(Number(last[header.indexOf('customers')]));
  });

  it('has a picker with every metric, and the charts, tooltip script and key figures', () => {
    expect(pickerOptions(html)).toEqual([...METRIC_NAMES]);
    for (const id of ['timeseries', 'adoption', 'moneyflow']) expect(html).toContain(`<div class="chart" id="${id}"`);
    const summary = JSON.parse(fs.readFileSync(path.join(runDir, 'summary.json'), 'utf8')) as { all: { final: { customers: number } } };
    expect(html).toContain(`<div class="value">${summary.all.final.customers.toLocaleString('en-US')}</div>`);
    for (const label of ['customers (final)', 'partners (final)', 'match rate', 'leakage', 'revenue (money, run total)', 'orchestrator profit (money, run total)', 'ecosystem value (money, run total)', 'tipped at', 'failed at']) {
      expect(html).toContain(`<div class="label">${label}</div>`);
    }
  });

  it('shows the resolved scenario in a collapsible section, as YAML', () => {
    const details = /<details id="scenario">([\s\S]*?)<\/details>/.exec(html);
    expect(details).not.toBeNull();
    expect(details![1]).toMatch(/customers:\n\s+count: 1000\n/);
    expect(details![1]).toMatch(/ticks: 30\n/);
  });

  it('loads nothing from the network', () => {
    expectSelfContained(html);
  });

  it('is written atomically to <dir>/report.html, or to --out', () => {
    const file = writeReport(runDir);
    expect(file).toBe(path.join(runDir, REPORT_FILE));
    expect(fs.readFileSync(file, 'utf8')).toBe(html);
    const other = writeReport(runDir, path.join(base, 'other.html'));
    expect(fs.existsSync(other)).toBe(true);
    expect(fs.readdirSync(runDir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('report of a sweep directory', () => {
  it('inlines the points, a picker with every metric, the scenario, and no URL', () => {
    const html = renderReport(sweepDir);
    expect(resultKind(sweepDir)).toBe('sweep');
    expectChartBundle(html);
    expectSelfContained(html);
    const data = inlinedData(html);
    expect(data['kind']).toBe('sweep');
    expect(data['params']).toEqual(['platforms.0.takeRate', 'customers.q']);
    expect(data['points']).toHaveLength(5);
    const metrics = [...new Set(fs.readFileSync(path.join(sweepDir, 'points.csv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split(',')[3]!))];
    expect(pickerOptions(html)).toEqual(metrics);
    expect(html).toMatch(/<option value="all.total.ecosystemValue" selected>/);
    expect(html).toContain('<div class="chart" id="response"');
    // Two parameters: a heatmap of the same metric, from the same loader as "ecosim chart --kind heatmap".
    expect(html).toContain('<div class="chart" id="heatmap"');
    const charts = data['charts'] as { heatmap: Record<string, { xParam: string; yParam: string; cells: unknown[] }> };
    expect(charts.heatmap['all.total.ecosystemValue']).toMatchObject({ xParam: 'platforms.0.takeRate', yParam: 'customers.q' });
    expect(html).toContain('id="points-table"');
    expect(html).toMatch(/<details id="scenario">[\s\S]*name: benchmark sweep/);
  });
});

describe('report of a compare directory', () => {
  it('inlines the rows, a picker with every metric, the table and the scenarios', () => {
    const html = renderReport(compareDir);
    expectChartBundle(html);
    expectSelfContained(html);
    const data = inlinedData(html);
    expect(data['kind']).toBe('compare');
    expect(data['scenarios']).toEqual(['base', 'high']);
    expect(pickerOptions(html)).toEqual(['all.total.ecosystemValue', 'all.total.leakageRate']);
    expect(html).toContain('<div class="chart" id="comparison"');
    expect(html).toMatch(/<td>-1408 \[-194\d, -876\.\d\]<\/td>/);
    expect(html).toMatch(/<details id="scenario">[\s\S]*high-scenario/);
    // Without timeseries.csv, no section of curves over time.
    const markup = html.slice(0, html.indexOf('<script'));
    expect(markup).not.toContain('compare-timeseries');
    expect(markup).not.toContain('ts-metric');
    expect((data['charts'] as Record<string, unknown>)['timeseries']).toBeUndefined();
  });

  it('with timeseries.csv, shows each scenario over time: a metric picker and the chart of the means with their band', () => {
    const html = renderReport(compareTsDir);
    expectSelfContained(html);
    expect(html).toMatch(/<section><h2>Over time<\/h2>\n<p class="subtitle">Mean of each scenario over its replications, with the 95% interval of the mean\.<\/p>/);
    const ts = /<select id="ts-metric">([\s\S]*?)<\/select>/.exec(html);
    expect(ts, 'the page has a picker of the metric over time').not.toBeNull();
    expect([...ts![1]!.matchAll(/<option value="([^"]*)"/g)].map((m) => m[1])).toEqual(['customers', 'partners', 'gmv', 'revenue', 'matchRate', 'leakageRate', 'ecosystemValue']);
    expect(html).toContain('<div class="chart" id="compare-timeseries" role="figure"');
    const data = inlinedData(html);
    const charts = data['charts'] as { timeseries: Record<string, { series: { label: string; points: { x: number; y: number | null; low: number | null; high: number | null }[] }[]; band: string }> };
    for (const m of ['customers', 'revenue']) {
      // The same data as "ecosim chart --kind timeseries", one series per scenario over the 12 ticks.
      expect(charts.timeseries[m]).toEqual(JSON.parse(JSON.stringify(timeseriesFromCompare(compareTsDir, m))));
      expect(charts.timeseries[m]!.series.map((s) => [s.label, s.points.length])).toEqual([
        ['base', 12],
        ['high', 12],
      ]);
      expect(charts.timeseries[m]!.band).toBe('95% CI of the mean of 3 runs');
    }
    // Mean of the three runs at the last tick, by hand from timeseries.csv.
    const rows = fs.readFileSync(path.join(compareTsDir, 'timeseries.csv'), 'utf8').trim().split('\n').map((l) => l.split(','));
    for (const s of charts.timeseries['customers']!.series) {
      const last = rows.filter((r) => r[1] === s.label && r[3] === '11' && r[4] === 'all' && r[5] === 'customers').map((r) => Number(r[6]));
      expect(last).toHaveLength(3);
      expect(s.points[11]!.y).toBeCloseTo((last[0]! + last[1]! + last[2]!) / 3, 9);
    }
  });
});

describe('errors', () => {
  it('a directory that is not a result directory is an InputError naming what was expected', () => {
    const empty = fs.mkdtempSync(path.join(base, 'empty-'));
    expect(() => renderReport(empty)).toThrow(InputError);
    expect(() => renderReport(empty)).toThrow(/not a result directory: expected manifest.json, found none \(expected the output directory of "ecosim run"/);
    expect(() => renderReport(path.join(base, 'missing'))).toThrow(/no such directory/);
    expect(() => renderReport(path.join(runDir, 'metrics.csv'))).toThrow(/not a directory/);
  });

  it('data that is not JSON is an InputError naming the file', () => {
    const bad = path.join(base, 'bad-run');
    writeFixture(bad, { 'metrics.csv': fs.readFileSync(path.join(runDir, 'metrics.csv'), 'utf8'), 'summary.json': '{oops' }, { command: 'run' });
    expect(() => renderReport(bad)).toThrow(/summary\.json: not valid JSON/);
  });
});

describe('ecosim report', () => {
  async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const program = new Command('ecosim').exitOverride();
    let stdout = '';
    let stderr = '';
    program.configureOutput({ writeOut: (t) => (stdout += t), writeErr: (t) => (stderr += t) });
    registerReport(program);
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => ((stdout += chunk), true)) as typeof process.stdout.write;
    try {
      await program.parseAsync(['node', 'ecosim', ...args]);
      return { code: 0, stdout, stderr };
    } catch (e) {
      const code = reportError(e, false, (t) => (stderr += t));
      return { code, stdout, stderr };
    } finally {
      process.stdout.write = write;
    }
  }

  it('writes the report and prints its path', async () => {
    const out = path.join(base, 'cli.html');
    const r = await cli(['report', runDir, '--out', out]);
    expect(r).toMatchObject({ code: 0, stdout: `${out}\n` });
    expect(fs.readFileSync(out, 'utf8')).toContain('<select id="metric">');
    const d = await cli(['report', sweepDir]);
    expect(d.stdout).toBe(`${path.join(sweepDir, 'report.html')}\n`);
  });

  it('exits 2 with one clear line for a directory that is not a result directory', async () => {
    const r = await cli(['report', base]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${base}: not a result directory: expected manifest.json, found none (expected the output directory of "ecosim run", "ecosim sweep" or "ecosim compare --out")\n`);
    expect(r.stdout).toBe('');
  });

  it('has help with an example', async () => {
    const r = await cli(['report', '--help']);
    expect(r.stdout).toContain('Usage: ecosim report [options] <results-dir>');
    expect(r.stdout).toContain('$ ecosim report out/baseline');
  });
});
