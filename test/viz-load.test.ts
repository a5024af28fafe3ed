import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartFromResults, chartKindFor, readCompare, readPoints, readRunMetrics, readSensitivity } from '../src/viz/load.js';
import { InputError } from '../src/sim/inputError.js';
import { writeFixture } from './helpers.js';

let root: string;
const dir = (name: string) => nodePath.join(root, name);

beforeAll(() => {
  root = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'ecosim-viz-'));
  const metricCols = ['customers', 'partners', 'gmv', 'revenue', 'partnerValue', 'customerValue', 'orchestrationCost', 'ecosystemValue'];
  const lines = [`tick,platform,${metricCols.join(',')}`];
  for (let t = 0; t < 10; t++) {
    for (const p of ['a', 'b', 'all']) {
      const k = p === 'a' ? 1 : p === 'b' ? 2 : 3;
      lines.push(`${t},${p},${10 * t * k},${t * k},${t * 5},${t},${t * 3},${t * 2},${t},${t * 4}`);
    }
  }
  writeFixture(dir('run'), { 'metrics.csv': `${lines.join('\n')}\n` }, { command: 'run', scenario: { name: 'fixture', customers: { count: 300 }, partners: { count: 30 } } });

  const pts = ['point,x.takeRate,y.subsidy,metric,n,mean,sd,ci_low,ci_high'];
  let i = 0;
  for (const x of [0.1, 0.2, 0.3]) for (const y of [0, 1]) {
    for (const m of ['all.total.ecosystemValue', 'all.total.revenue']) pts.push(`${i},${x},${y},${m},2,${x * 100 + y},1,${x * 100 + y - 2},${x * 100 + y + 2}`);
    i++;
  }
  writeFixture(dir('sweep'), { 'points.csv': `${pts.join('\n')}\n`, 'sensitivity.csv': 'metric,parameter,index,value,low,high\nall.total.ecosystemValue,x.takeRate,S1,0.5,0.3,0.7\nall.total.ecosystemValue,x.takeRate,ST,0.6,0.4,0.8\nall.total.ecosystemValue,y.subsidy,S1,0.1,,\nall.total.ecosystemValue,y.subsidy,ST,0.2,,\n' }, { command: 'sweep' });

  writeFixture(dir('cmp'), {
    'compare.csv': 'metric,scenario,n,mean,sd,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,t,df,p\nall.total.revenue,base,3,10,1,8,12,,,,,,\nall.total.revenue,"high, fee",3,15,1,13,17,5,3,7,4,3,0.01\n',
  }, { command: 'compare' });
  fs.mkdirSync(dir('empty'));
});

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('readers', () => {
  it('read runs, points, comparisons and sensitivity', () => {
    const run = readRunMetrics(dir('run'));
    expect(run.platforms).toEqual(['a', 'b', 'all']);
    expect(run.rows.length).toBe(30);
    expect(run.customerPool).toBe(300);
    const points = readPoints(dir('sweep'));
    expect(points.params).toEqual(['x.takeRate', 'y.subsidy']);
    expect(points.rows.length).toBe(12);
    expect(readCompare(dir('cmp'))[1]!.scenario).toBe('high, fee');
    expect(readSensitivity(dir('sweep')).length).toBe(4);
  });
  it('detect the directory and its default kind', () => {
    expect(chartKindFor(dir('run'))).toEqual({ result: 'run', kind: 'timeseries' });
    expect(chartKindFor(dir('sweep'))).toEqual({ result: 'sweep', kind: 'response' });
    expect(chartKindFor(dir('cmp'))).toEqual({ result: 'compare', kind: 'comparison' });
    expect(() => chartKindFor(dir('empty'))).toThrow(InputError);
    expect(() => chartKindFor(dir('run'), 'heatmp')).toThrow(/did you mean "heatmap"/);
    expect(() => chartKindFor(dir('run'), 'heatmap')).toThrow(/does not fit/);
  });
});

describe('chartFromResults', () => {
  it('draws every kind that fits', () => {
    const cases: [string, Parameters<typeof chartFromResults>[1], RegExp][] = [
      ['run', {}, /class="series"/],
      ['run', { metrics: ['gmv', 'revenue'], platform: 'a' }, /GMV, revenue/],
      ['run', { kind: 'adoption' }, /class="series customers"/],
      ['run', { kind: 'moneyflow', platform: 'b' }, /ecosystem value/],
      ['sweep', { kind: 'response', metrics: ['revenue'], params: ['subsidy'] }, /revenue, run total against y subsidy/],
      ['sweep', { kind: 'heatmap' }, /class="cell"/],
      ['sweep', { kind: 'tornado' }, /class="whisker"/],
      ['cmp', {}, /high, fee/],
    ];
    for (const [d, req, re] of cases) {
      const svg = chartFromResults(dir(d), req);
      expect(svg).toMatch(re);
      expect(svg).not.toMatch(/NaN|Infinity|undefined/);
    }
    expect([...chartFromResults(dir('run'), { metrics: ['customers'] }).matchAll(/class="series"/g)].length).toBe(3); // one per platform
  });
  it('names an unknown metric, platform or parameter with a suggestion', () => {
    expect(() => chartFromResults(dir('run'), { metrics: ['gvm'] })).toThrow(/--metric gvm: .*did you mean "gmv"/);
    expect(() => chartFromResults(dir('run'), { platform: 'c' })).toThrow(/--platform c/);
    expect(() => chartFromResults(dir('sweep'), { metrics: ['revenu'] })).toThrow(/did you mean "all.total.revenue"/);
    expect(() => chartFromResults(dir('sweep'), { params: ['nope'] })).toThrow(/--param nope/);
  });
});

const registered = fs.readFileSync('src/cli/main.ts', 'utf8').includes('registerChart');

describe('ecosim chart (end to end)', () => {
  const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'chart', ...args], { encoding: 'utf8' });
  it.skipIf(!registered)('writes SVG and PNG, and exits 2 on bad input', () => {
    const svg = nodePath.join(root, 'c.svg');
    const png = nodePath.join(root, 'c.png');
    let r = cli(dir('run'), '--out', svg, '--metric', 'gmv');
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(svg, 'utf8')).toContain('<svg');
    r = cli(dir('sweep'), '--kind', 'heatmap', '--out', png, '--width', '640', '--height', '360');
    expect(r.status, r.stderr).toBe(0);
    expect(fs.readFileSync(png).readUInt32BE(16)).toBe(640);
    for (const args of [['--kind', 'pie'], ['--kind', 'heatmap'], ['--metric', 'gvm']]) {
      r = cli(dir('run'), '--out', svg, ...args);
      expect(r.status).toBe(2);
      expect(r.stderr).not.toMatch(/internal error/);
    }
    r = cli(dir('run'), '--out', nodePath.join(root, 'c.jpg'));
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/\.svg or \.png/);
    expect(fs.existsSync(nodePath.join(root, 'c.jpg'))).toBe(false);
  });
});
