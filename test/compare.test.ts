// compare: scenarios on common random numbers, their means and CIs, and differences with Welch's
// test; checked against runs done directly with simulate() and against stats.ts.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { DEFAULT_COMPARE_METRICS, compare, parseVariant, type CompareResult } from '../src/experiment/compare.js';
import { parseCsv } from '../src/experiment/analyze.js';
import { METRIC_NAMES, type MetricRow } from '../src/sim/metrics.js';
import { compareOutputFiles, writeResult } from '../src/experiment/sweepOutputs.js';
import { chartFromResults, timeseriesFromCompare } from '../src/viz/load.js';
import { VERSION } from '../src/version.js';
import { flattenSummary } from '../src/experiment/flatten.js';
import { commonSeed } from '../src/experiment/seeds.js';
import { summarize, welch } from '../src/sim/stats.js';
import { metricRange, summarizeInRange } from '../src/experiment/bounds.js';
import { runScenario } from '../src/experiment/worker.js';
import { formatNumber } from '../src/sim/output/csv.js';
import { isScenarioError } from '../src/sim/scenario/errors.js';
import { setPath } from '../src/sim/scenario/keypath.js';
import { simulate } from '../src/simulate.js';

const MARKET = { name: 'market', ticks: 60, seed: 21, customers: { count: 500 }, partners: { count: 25 }, network: { type: 'meanfield' } };
const R = 6;

/** The metric's values of a scenario's R runs done directly, on the common seeds of base seed `seed`. */
function direct(raw: Record<string, unknown>, metric: string, seed = 21): number[] {
  return Array.from({ length: R }, (_, r) => {
    const spec = { run: r, point: 0, replication: r, seed: commonSeed(seed, r), values: {} };
    return flattenSummary(simulate(runScenario(raw, 'x', spec)).summary)[metric] as number;
  });
}

function withTakeRate(rate: number): Record<string, unknown> {
  const raw = structuredClone(MARKET) as Record<string, unknown>;
  setPath(raw, 'platforms.0.takeRate', rate);
  return raw;
}

const byMetric = (result: CompareResult, metric: string) => result.metrics.find((m) => m.metric === metric)!;

describe('compare', () => {
  let result: CompareResult;
  beforeAll(async () => {
    result = await compare({
      arms: [
        { name: 'cheap', scenario: MARKET, file: 'market.yaml', settings: ['platforms.0.takeRate=0.05'] },
        { name: 'dear', scenario: MARKET, file: 'market.yaml', settings: ['platforms.0.takeRate=0.3'] },
      ],
      replications: R,
      workers: 2,
    });
  });

  it('reports every default metric for every scenario, the first without a difference', () => {
    expect(result.metrics.map((m) => m.metric)).toEqual(DEFAULT_COMPARE_METRICS);
    expect(result).toMatchObject({ replications: R, seed: 21, failed: [] });
    for (const m of result.metrics) {
      expect(m.arms.map((a) => [a.name, a.n, a.diff === undefined])).toEqual([
        ['cheap', R, true],
        ['dear', R, false],
      ]);
    }
  });

  it('gives means and CIs of the runs on common seeds, and the difference, its CI and p-value of welch() on the same numbers', () => {
    for (const metric of ['all.total.leakageRate', 'all.total.revenue']) {
      const cheap = direct(withTakeRate(0.05), metric);
      const dear = direct(withTakeRate(0.3), metric);
      const m = byMetric(result, metric);
      // Means as summarize(); intervals inside the metric's range (a share in [0, 1], a revenue at or above 0).
      const inRange = (v: number[]) => summarizeInRange(v, metricRange(metric, 500));
      expect(m.arms[0]).toEqual({ name: 'cheap', ...inRange(cheap) });
      expect(m.arms[1]).toEqual({ name: 'dear', ...inRange(dear), diff: welch(cheap, dear) });
      for (const a of m.arms) expect(a.ciLow! >= 0 && (metric !== 'all.total.leakageRate' || a.ciHigh! <= 1)).toBe(true);
      expect(m.arms[1]!.diff!.diff).toBe(summarize(dear).mean! - summarize(cheap).mean!);
    }
  });

  it('finds a much higher take rate raises leakage, significantly', () => {
    const d = byMetric(result, 'all.total.leakageRate').arms[1]!.diff!;
    expect(d.diff).toBeGreaterThan(0.05);
    expect(d.ciLow).toBeGreaterThan(0);
    expect(d.p).toBeLessThan(0.01);
  });

  it('gives a difference of 0 with p = 1 between identical scenarios', async () => {
    const same = await compare({
      arms: [
        { name: 'a', scenario: MARKET },
        { name: 'b', scenario: MARKET },
      ],
      replications: R,
      workers: 1,
      metrics: ['all.total.revenue', 'orchestrator.final.takeRate'],
    });
    const revenue = byMetric(same, 'all.total.revenue').arms[1]!;
    expect(revenue.sd).toBeGreaterThan(0); // replications differ: the test has spread to work with
    expect(revenue.diff).toMatchObject({ diff: 0, t: 0, p: 1 });
    expect(revenue.diff!.ciLow).toBe(-revenue.diff!.ciHigh!);
    // A metric constant in every run (the take rate in force): no spread, no test, and nothing that is not a number.
    const takeRate = byMetric(same, 'orchestrator.final.takeRate').arms[1]!;
    expect(takeRate.sd).toBe(0);
    expect(takeRate.diff).toEqual({ diff: 0, ciLow: null, ciHigh: null, t: null, df: null, p: null });
    expect(JSON.stringify(same)).not.toMatch(/NaN|Infinity/);
  });

  it('runs every scenario on the same seeds: --seed changes them all', async () => {
    const other = await compare({ arms: [{ name: 'a', scenario: MARKET }, { name: 'b', scenario: withTakeRate(0.3) }], replications: R, seed: 99, workers: 2, metrics: ['all.total.revenue'] });
    expect(other.seed).toBe(99);
    expect(byMetric(other, 'all.total.revenue').arms[1]!.mean).toBe(summarize(direct(withTakeRate(0.3), 'all.total.revenue', 99)).mean);
  });

  it('rejects an unknown metric, naming the closest column, before running anything', async () => {
    const e = await compare({ arms: [{ name: 'a', scenario: MARKET }, { name: 'b', scenario: MARKET }], metrics: ['all.total.revnue'] }).catch((x: unknown) => x);
    expect(isScenarioError(e)).toBe(true);
    expect(String(e)).toContain('--metric: all.total.revnue: expected a column of the run summary');
    expect(String(e)).toContain('(did you mean "all.total.revenue"?)');
  });
});

/** The per-tick rows of a scenario's R runs done directly, on the common seeds of base seed `seed`. */
function directRows(raw: Record<string, unknown>, replications: number, seed = 21): (readonly MetricRow[])[] {
  return Array.from({ length: replications }, (_, r) => {
    const spec = { run: r, point: 0, replication: r, seed: commonSeed(seed, r), values: {} };
    return simulate(runScenario(raw, 'x', spec)).metrics;
  });
}

/** A metric's value as timeseries.csv holds it: 10 significant digits, empty when not finite. */
const field = (v: number) => formatNumber(v) ?? '';

/** Equal up to the rounding of a CSV field. */
const near = (a: number | null | undefined, b: number) => expect(Math.abs((a ?? NaN) - b)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(b)));

describe('compare with timeseries', () => {
  const SMALL = { ...MARKET, ticks: 15 };
  const RT = 3;
  const ARMS = [
    { name: 'cheap', scenario: SMALL, file: 'small.yaml', settings: ['platforms.0.takeRate=0.05'] },
    { name: 'dear', scenario: SMALL, file: 'small.yaml', settings: ['platforms.0.takeRate=0.3'] },
  ];
  const rawOf = (rate: number) => {
    const raw = structuredClone(SMALL) as Record<string, unknown>;
    setPath(raw, 'platforms.0.takeRate', rate);
    return raw;
  };
  const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-compare-ts-'));
  const withTs = path.join(base, 'with');
  const without = path.join(base, 'without');
  const runs = { cheap: directRows(rawOf(0.05), RT), dear: directRows(rawOf(0.3), RT) };
  let result: CompareResult;
  let plain: CompareResult;
  beforeAll(async () => {
    result = await compare({ arms: ARMS, replications: RT, workers: 2, metrics: ['all.total.revenue'], timeseries: true });
    plain = await compare({ arms: ARMS, replications: RT, workers: 2, metrics: ['all.total.revenue'] });
    writeResult(withTs, compareOutputFiles(result, VERSION));
    writeResult(without, compareOutputFiles(plain, VERSION));
  });
  afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

  it('keeps every run\'s per-tick rows in run order, only when asked', () => {
    expect(plain.timeseries).toBeUndefined();
    expect(result.timeseries!.map((r) => [r.run, r.scenario, r.replication])).toEqual([
      [0, 'cheap', 0],
      [1, 'cheap', 1],
      [2, 'cheap', 2],
      [3, 'dear', 0],
      [4, 'dear', 1],
      [5, 'dear', 2],
    ]);
    expect(result.timeseries![4]!.rows.length).toBe(runs.dear[1]!.length);
  });

  it('writes timeseries.csv in the long format of a sweep, the scenario in place of the point: a row per run, tick, platform and metric, as the runs done directly', () => {
    const [header, ...rows] = parseCsv(fs.readFileSync(path.join(withTs, 'timeseries.csv'), 'utf8').trimEnd());
    expect(header).toEqual(['run', 'scenario', 'replication', 'tick', 'platform', 'metric', 'value']);
    const seen = new Map<string, string>();
    for (const r of rows) {
      const key = r.slice(0, 6).join('|');
      expect(seen.has(key), key).toBe(false);
      seen.set(key, r[6]!);
    }
    let expected = 0;
    for (const [i, name] of (['cheap', 'dear'] as const).entries()) {
      for (let r = 0; r < RT; r++) {
        const ticks = new Set<number>();
        for (const row of runs[name][r]!) {
          ticks.add(row.tick);
          for (const m of METRIC_NAMES) {
            expect(seen.get([i * RT + r, name, r, row.tick, row.platform, m].join('|')), `${name} ${r} ${row.tick} ${row.platform} ${m}`).toBe(field(row[m] as number));
            expected++;
          }
        }
        expect([...ticks]).toEqual(Array.from({ length: 15 }, (_, t) => t));
      }
    }
    expect(rows.length).toBe(expected);
  });

  it('lists timeseries.csv in the manifest with its digest, and leaves the other files as without it', () => {
    const manifest = (d: string) => JSON.parse(fs.readFileSync(path.join(d, 'manifest.json'), 'utf8')) as Record<string, unknown> & { outputs: string[]; files: Record<string, { bytes: number }> };
    const m = manifest(withTs);
    expect(m.outputs).toEqual(['compare.csv', 'timeseries.csv', 'manifest.json']);
    expect(m.files['timeseries.csv']!.bytes).toBe(fs.statSync(path.join(withTs, 'timeseries.csv')).size);
    const p = manifest(without);
    expect(p.outputs).toEqual(['compare.csv', 'manifest.json']);
    expect(Object.keys(p.files)).toEqual(['compare.csv']);
    expect(fs.existsSync(path.join(without, 'timeseries.csv'))).toBe(false);
    expect(fs.readFileSync(path.join(withTs, 'compare.csv'), 'utf8')).toBe(fs.readFileSync(path.join(without, 'compare.csv'), 'utf8'));
    const { outputs: _a, files: _b, experiment: withExperiment, ...restWith } = m;
    const { outputs: _c, files: _d, experiment: withoutExperiment, ...restWithout } = p;
    expect(restWith).toEqual(restWithout);
    // The resolved experiment records the one setting that differs.
    expect({ ...(withExperiment as object), timeseries: false }).toEqual(withoutExperiment);
  });

  it('gives each scenario\'s mean over its runs at every tick, as computed by hand, with the 95% band inside the metric\'s range', () => {
    for (const metric of ['customers', 'revenue', 'leakageRate'] as const) {
      const data = timeseriesFromCompare(withTs, metric);
      expect(data.series.map((s) => s.label)).toEqual(['cheap', 'dear']);
      expect(data.band).toBe(`95% CI of the mean of ${RT} runs`);
      for (const s of data.series) {
        const all = runs[s.label as 'cheap' | 'dear'].map((rows) => rows.filter((r) => r.platform === 'all'));
        expect(s.points.map((p) => p.x)).toEqual(all[0]!.map((r) => r.tick));
        for (const [t, p] of s.points.entries()) {
          const values = all.map((rows) => rows[t]![metric] as number).filter((v) => Number.isFinite(v));
          near(p.y, values.reduce((a, v) => a + v, 0) / values.length);
          // The band of the values as written (10 significant digits).
          const band = summarizeInRange(values.map((v) => Number(field(v))), metricRange(metric, 500));
          expect([p.low, p.high]).toEqual([band.ciLow, band.ciHigh]);
        }
      }
    }
    expect(timeseriesFromCompare(withTs, 'customers').series[1]!.points[14]!.y).toBe(runs.dear.reduce((a, rows) => a + rows.filter((r) => r.platform === 'all')[14]!.customers, 0) / RT);
  });

  it('is drawn by chart --kind timeseries, a line and a band per scenario; a comparison without it says how to make it', () => {
    const svg = chartFromResults(withTs, { kind: 'timeseries', metrics: ['revenue'] });
    expect(svg).toContain('revenue over time');
    for (const name of ['cheap', 'dear']) expect(svg).toMatch(new RegExp(`<path class="series"[^>]*data-label="${name}"`));
    expect(svg.match(/<path class="band"/g)).toHaveLength(2);
    expect(() => chartFromResults(without, { kind: 'timeseries' })).toThrow(/lists no timeseries\.csv: per-tick metrics of a comparison: run "ecosim compare … --out DIR --timeseries"/);
    expect(() => chartFromResults(withTs, { kind: 'timeseries', metrics: ['revenu'] })).toThrow(/no rows for metric "revenu"/);
  });
});

describe('parseVariant', () => {
  it('splits a name and settings, keeping commas inside values', () => {
    expect(parseVariant('low:platforms.0.takeRate=0.05')).toEqual({ name: 'low', settings: ['platforms.0.takeRate=0.05'] });
    expect(parseVariant('s:platforms.0.partnerSubsidy=1, platforms.0.subsidyBudget=500')).toEqual({
      name: 's',
      settings: ['platforms.0.partnerSubsidy=1', 'platforms.0.subsidyBudget=500'],
    });
    expect(parseVariant('l:shocks=[1,2],ticks=5')).toEqual({ name: 'l', settings: ['shocks=[1,2]', 'ticks=5'] });
    expect(parseVariant('base:')).toEqual({ name: 'base', settings: [] });
  });

  it('rejects a variant without a name or with a setting that is no key=value', () => {
    expect(() => parseVariant('platforms.0.takeRate=0.05')).toThrow(/--variant: .*expected name:key=value/);
    expect(() => parseVariant(':a=1')).toThrow(/no name/);
    expect(() => parseVariant('x:takeRate')).toThrow(/no key=value/);
  });
});

describe('ecosim compare', () => {
  const ROOT = fileURLToPath(new URL('..', import.meta.url));
  const ENTRY = path.join(ROOT, 'src', 'cli', 'main.ts');
  const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-compare-cli-'));
  afterAll(() => fs.rmSync(cwd, { recursive: true, force: true }));
  fs.writeFileSync(path.join(cwd, 'market.yaml'), YAML.stringify(MARKET));
  fs.writeFileSync(path.join(cwd, 'dear.yaml'), YAML.stringify(withTakeRate(0.3)));
  const ecosim = (a: readonly string[]) => spawnSync(process.execPath, ['--import', TSX, ENTRY, ...a], { cwd, encoding: 'utf8' });
  const VARIANTS = ['compare', 'market.yaml', '--variant', 'cheap:platforms.0.takeRate=0.05', '--variant', 'dear:platforms.0.takeRate=0.3', '-r', String(R), '--workers', '2'];

  it('prints a table per metric with means, CIs and the difference to the first scenario', () => {
    const r = ecosim([...VARIANTS, '--metric', 'all.total.leakageRate,all.total.revenue']);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe(`2 scenarios × ${R} replications on common seeds (base seed 21)`);
    expect(lines.slice(2, 5).map((l) => l.trim().split(/\s{2,}/)[0])).toEqual(['all.total.leakageRate', 'scenario', 'cheap']);
    expect(lines[3]).toMatch(/^ {2}scenario\s+n\s+mean\s+95% CI\s+diff vs cheap\s+95% CI\s+p$/);
    expect(lines[5]).toMatch(new RegExp(`^  dear\\s+${R}\\s+0\\.\\d+\\s+\\[0\\.\\d+, 0\\.\\d+\\]\\s+0\\.\\d+\\s+\\[0\\.\\d+, 0\\.\\d+\\]\\s+(<0\\.001|0\\.00\\d)$`));
    expect(r.stdout).toContain('\nall.total.revenue\n');
  });

  it('prints JSON with --json and writes compare.csv and a manifest with --out, the same numbers as the library', async () => {
    const r = ecosim([...VARIANTS, '--json', '--out', 'cmp', '--metric', 'all.total.leakageRate']);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { scenarios: { name: string; settings: string[] }[]; metrics: CompareResult['metrics'] };
    expect(json.scenarios).toEqual([
      { name: 'cheap', file: 'market.yaml', settings: ['platforms.0.takeRate=0.05'] },
      { name: 'dear', file: 'market.yaml', settings: ['platforms.0.takeRate=0.3'] },
    ]);
    const cheap = direct(withTakeRate(0.05), 'all.total.leakageRate');
    const dear = direct(withTakeRate(0.3), 'all.total.leakageRate');
    expect(json.metrics[0]!.arms[1]!.diff).toEqual(welch(cheap, dear));
    const csv = fs.readFileSync(path.join(cwd, 'cmp', 'compare.csv'), 'utf8').trimEnd().split('\n');
    expect(csv[0]).toBe('metric,scenario,n,mean,sd,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,t,df,p');
    const f = (x: number | null) => (x === null ? '' : formatNumber(x)!);
    const s = summarizeInRange(dear, metricRange('all.total.leakageRate'));
    const w = welch(cheap, dear);
    expect(csv[2]).toBe(['all.total.leakageRate', 'dear', R, f(s.mean), f(s.sd), f(s.ciLow), f(s.ciHigh), f(w.diff), f(w.ciLow), f(w.ciHigh), f(w.t), f(w.df), f(w.p)].join(','));
    expect(csv[1]!.endsWith(',,,,,,')).toBe(true);
    const manifest = JSON.parse(fs.readFileSync(path.join(cwd, 'cmp', 'manifest.json'), 'utf8')) as Record<string, unknown> & { scenarios: { name: string; scenario: { platforms: { takeRate: number }[] } }[] };
    expect(manifest).toMatchObject({ tool: 'ecosim', command: 'compare', replications: R, seed: 21, metrics: ['all.total.leakageRate'], outputs: ['compare.csv', 'manifest.json'] });
    expect(manifest.scenarios.map((x) => [x.name, x.scenario.platforms[0]!.takeRate])).toEqual([
      ['cheap', 0.05],
      ['dear', 0.3],
    ]);
  });

  it('writes timeseries.csv with --out --timeseries, listed in the manifest, drawn in the report and by ecosim chart --kind timeseries', () => {
    const plain = ecosim([...VARIANTS, '--out', 'cmp-plain', '-q', '--metric', 'all.total.revenue']);
    expect(plain.status, plain.stderr).toBe(0);
    const r = ecosim([...VARIANTS, '--out', 'cmp-ts', '--timeseries', '--report', '--metric', 'all.total.revenue']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain(`wrote cmp-ts${path.sep} (compare.csv, timeseries.csv, manifest.json)`);
    const read = (d: string, f: string) => fs.readFileSync(path.join(cwd, d, f), 'utf8');
    expect(read('cmp-ts', 'compare.csv')).toBe(read('cmp-plain', 'compare.csv'));
    expect(fs.readdirSync(path.join(cwd, 'cmp-plain')).sort()).toEqual(['compare.csv', 'manifest.json']);
    const manifest = JSON.parse(read('cmp-ts', 'manifest.json')) as { outputs: string[]; files: Record<string, unknown> };
    expect(manifest.outputs).toEqual(['compare.csv', 'timeseries.csv', 'manifest.json']);
    expect(Object.keys(manifest.files)).toEqual(['compare.csv', 'timeseries.csv']);

    // Customers of "all": a row for each scenario, replication and tick, the values of the runs done directly.
    const [header, ...rows] = parseCsv(read('cmp-ts', 'timeseries.csv').trimEnd());
    expect(header).toEqual(['run', 'scenario', 'replication', 'tick', 'platform', 'metric', 'value']);
    const customers = rows.filter((x) => x[4] === 'all' && x[5] === 'customers').map((x) => x.slice(0, 4).concat(x[6]!).join(','));
    const expected: string[] = [];
    const means: Record<string, number[]> = {};
    for (const [i, [name, rate]] of ([['cheap', 0.05], ['dear', 0.3]] as const).entries()) {
      const runs = directRows(withTakeRate(rate), R).map((rs) => rs.filter((x) => x.platform === 'all'));
      runs.forEach((rs, rep) => rs.forEach((x) => expected.push(`${i * R + rep},${name},${rep},${x.tick},${field(x.customers)}`)));
      means[name] = runs[0]!.map((_, t) => runs.reduce((a, rs) => a + rs[t]!.customers, 0) / R);
    }
    expect(customers).toEqual(expected);
    expect(expected).toHaveLength(2 * R * 60);

    // The report: a section of curves over time with its picker and its chart, of the means by hand.
    const html = read('cmp-ts', 'report.html');
    expect(html).toContain('<div class="chart" id="compare-timeseries"');
    expect(html).toMatch(/<select id="ts-metric"><option value="customers" selected>/);
    const data = JSON.parse(/<script type="application\/json" id="report-data">([\s\S]*?)<\/script>/.exec(html)![1]!) as { charts: { timeseries: Record<string, { series: { label: string; points: { y: number }[] }[] }> } };
    const series = data.charts.timeseries['customers']!.series;
    expect(series.map((x) => x.label)).toEqual(['cheap', 'dear']);
    for (const x of series) expect(x.points.map((q) => q.y)).toEqual(means[x.label]);

    const chart = ecosim(['chart', 'cmp-ts', '--kind', 'timeseries', '--metric', 'revenue', '--out', 'revenue.svg']);
    expect(chart.status, chart.stderr).toBe(0);
    const svg = read('.', 'revenue.svg');
    for (const name of ['cheap', 'dear']) expect(svg).toMatch(new RegExp(`<path class="series"[^>]*data-label="${name}"`));
    const none = ecosim(['chart', 'cmp-plain', '--kind', 'timeseries', '--out', 'none.svg']);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/lists no timeseries\.csv: per-tick metrics of a comparison: run "ecosim compare … --out DIR --timeseries"/);
  });

  it('compares scenario files, named by their file stems', () => {
    const r = ecosim(['compare', 'market.yaml', 'dear.yaml', '-r', '3', '--json', '-q', '--metric', 'all.total.revenue']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toBe('');
    const json = JSON.parse(r.stdout) as { metrics: CompareResult['metrics'] };
    expect(json.metrics[0]!.arms.map((a) => a.name)).toEqual(['market', 'dear']);
  });

  it('rejects bad input with exit 2', () => {
    const cases: [string[], RegExp][] = [
      [['compare', 'market.yaml'], /needs two or more scenarios/],
      [['compare', 'market.yaml', 'dear.yaml', '--variant', 'a:ticks=5'], /--variant applies to one scenario; 2 were given/],
      [['compare', 'market.yaml', 'dear.yaml', '--metric', 'all.total.revnue'], /did you mean "all.total.revenue"/],
      [['compare', 'market.yaml', 'dear.yaml', '--timeseries'], /--timeseries: expected --out <dir> too/],
      [['compare', 'market.yaml', '--variant', 'a:customers.cont=5', '--variant', 'b:'], /^market\.yaml: customers\.cont: expected one of the keys/],
    ];
    for (const [a, message] of cases) {
      const r = ecosim(a);
      expect(r.status, a.join(' ')).toBe(2);
      expect(r.stderr, a.join(' ')).toMatch(message);
    }
  });
});
