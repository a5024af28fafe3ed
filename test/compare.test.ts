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
import { DEFAULT_COMPARE_METRICS, compare, parseVariant, type CompareResult } from '../src/sim/experiment/compare.js';
import { flattenSummary } from '../src/sim/experiment/flatten.js';
import { commonSeed } from '../src/sim/experiment/seeds.js';
import { summarize, welch } from '../src/sim/experiment/stats.js';
import { metricRange, summarizeInRange } from '../src/sim/experiment/bounds.js';
import { runScenario } from '../src/sim/experiment/worker.js';
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
      [['compare', 'market.yaml', '--variant', 'a:customers.cont=5', '--variant', 'b:'], /^market\.yaml: customers\.cont: expected one of the keys/],
    ];
    for (const [a, message] of cases) {
      const r = ecosim(a);
      expect(r.status, a.join(' ')).toBe(2);
      expect(r.stderr, a.join(' ')).toMatch(message);
    }
  });
});
