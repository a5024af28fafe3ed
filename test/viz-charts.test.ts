import { describe, expect, it } from 'vitest';
import { adoptionChart, adoptionPlot } from '../src/viz/adoption.js';
import { comparisonChart } from '../src/viz/comparison.js';
import { heatmapChart } from '../src/viz/heatmap.js';
import { moneyflowChart } from '../src/viz/moneyflow.js';
import { responseChart } from '../src/viz/response.js';
import { chartSize, ChartError, escapeXml, svgDocument } from '../src/viz/theme.js';
import { timeseriesChart, timeseriesPlot } from '../src/viz/timeseries.js';
import { tornadoChart } from '../src/viz/tornado.js';
import { InputError } from '../src/sim/inputError.js';

/** Regex-level validity: one root svg, balanced tags, no bad numbers, escaped text. */
function checkSvg(svg: string): void {
  expect(svg.startsWith('<?xml')).toBe(true);
  expect(svg).toMatch(/<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" width="\d+" height="\d+"/);
  expect(svg).toContain('font-family="DejaVu Sans, sans-serif"');
  expect(svg).not.toMatch(/NaN|Infinity|undefined|null/);
  const body = svg.replace(/^<\?xml[^>]*\?>\s*/, '');
  const stack: string[] = [];
  for (const m of body.matchAll(/<(\/?)([a-zA-Z][\w-]*)[^>]*?(\/?)>/g)) {
    if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
    else if (m[3] !== '/') stack.push(m[2]!);
  }
  expect(stack).toEqual([]);
  // No raw ampersand or "<" inside text.
  expect(body.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, '')).not.toContain('&');
  for (const m of body.matchAll(/ (?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"/g)) expect(Number.isFinite(Number(m[1]))).toBe(true);
}

const count = (svg: string, re: RegExp) => [...svg.matchAll(re)].length;
const ticks = (svg: string) => [...svg.matchAll(/class="tick">([^<]*)</g)].map((m) => m[1]);

const ts = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => ({ x: i, y: f(i) }));

describe('theme', () => {
  it('escapes text and builds a standalone document', () => {
    expect(escapeXml(`a<b & "c" 'd'\u0001`)).toBe('a&lt;b &amp; &quot;c&quot; &apos;d&apos;');
    const svg = svgDocument(chartSize({ width: 200, height: 100 }, 'test'), '', 'T & <U>');
    checkSvg(svg);
    expect(svg).toContain('<title>T &amp; &lt;U&gt;</title>');
  });
  it('ChartError is an InputError', () => {
    expect(new ChartError('x')).toBeInstanceOf(InputError);
  });
});

describe('timeseries', () => {
  it('draws one path per series, a band, ticks, title and legend', () => {
    const t0 = performance.now();
    const svg = timeseriesChart({
      name: 'gmv',
      yUnit: 'money',
      series: [
        { label: 'mean', points: ts(50, (i) => i * 10).map((p) => ({ ...p, low: p.y - 5, high: p.y + 5 })) },
        { label: 'other & co', points: ts(50, (i) => i * 5) },
        { label: 'third', points: ts(50, (i) => 100 - i) },
      ],
    });
    console.log(`timeseries chart: ${(performance.now() - t0).toFixed(1)} ms, ${svg.length} bytes`);
    checkSvg(svg);
    expect(count(svg, /class="series"/g)).toBe(3);
    expect(count(svg, /class="band"/g)).toBe(1);
    expect(svg).toContain('class="title"');
    expect(svg).toContain('GMV over time');
    expect(svg).toContain('GMV (money)');
    expect(ticks(svg)).toContain('0');
    expect(ticks(svg).length).toBeGreaterThan(4);
    expect(count(svg, /class="legend-label"/g)).toBe(3);
    expect(svg).toContain('other &amp; co');
  });
  it('empty data throws ChartError with the metric', () => {
    expect(() => timeseriesChart({ series: [], name: 'gmv' })).toThrow(ChartError);
    expect(() => timeseriesChart({ series: [{ label: 'a', points: [] }], name: 'gmv' })).toThrow(/timeseries: no rows .*"gmv"/);
    expect(() => timeseriesChart({ series: [{ label: 'a', points: [{ x: 0, y: NaN }] }] })).toThrow(ChartError);
  });
  it('one point, constant, huge and negative values still give valid SVG', () => {
    for (const points of [[{ x: 3, y: 7 }], ts(10, () => 5), ts(10, () => 0), ts(10, (i) => (i % 2 ? 1e300 : -1e300)), ts(10, (i) => -i * 1e9), ts(10, (i) => (i === 4 ? Infinity : i * 1e-9))]) {
      const svg = timeseriesChart({ series: [{ label: 's', points }] });
      checkSvg(svg);
      expect(count(svg, /class="series"/g)).toBe(1);
    }
  });
  it('rejects a bad size', () => {
    expect(() => timeseriesChart({ series: [{ label: 's', points: ts(3, (i) => i) }] }, { width: NaN })).toThrow(ChartError);
  });
});

describe('adoption', () => {
  const platform = { name: 'p', ticks: [0, 1, 2, 3], customers: [1, 10, 50, 90], partners: [1, 5, 9, 20] };
  it('shares on one axis when the pools are known', () => {
    const svg = adoptionChart({ platforms: [platform], customerPool: 100, partnerPool: 40 });
    checkSvg(svg);
    expect(count(svg, /class="series customers"/g)).toBe(1);
    expect(count(svg, /class="series partners"/g)).toBe(1);
    expect(ticks(svg)).toContain('100%');
  });
  it('two y axes without pools, and one line pair per platform', () => {
    const svg = adoptionChart({ platforms: [platform, { ...platform, name: 'q', customers: [0, 0, 0, 0] }] });
    checkSvg(svg);
    expect(count(svg, /class="axis y right"/g)).toBe(1);
    expect(count(svg, /class="series /g)).toBe(4);
  });
  it('empty → ChartError; one point → SVG', () => {
    expect(() => adoptionChart({ platforms: [] })).toThrow(ChartError);
    expect(() => adoptionChart({ platforms: [{ name: 'p', ticks: [0], customers: [null], partners: [null] }] })).toThrow(ChartError);
    checkSvg(adoptionChart({ platforms: [{ name: 'p', ticks: [0], customers: [3], partners: [1] }] }));
  });
});

describe('response', () => {
  const group = (label: string, k: number) => ({ label, points: [0.05, 0.1, 0.2].map((x) => ({ x, mean: k * x, low: k * x - 1, high: k * x + 1 })) });
  it('one line per group with error bars', () => {
    const svg = responseChart({ param: 'platforms.0.takeRate', metric: 'all.total.revenue', unit: 'money', groupParam: 'subsidy', groups: [group('0', 100), group('1', 50)] });
    checkSvg(svg);
    expect(count(svg, /class="series"/g)).toBe(2);
    expect(count(svg, /class="errorbar"/g)).toBe(6);
    expect(count(svg, /class="point"/g)).toBe(6);
    expect(svg).toContain('subsidy = 1');
    expect(svg).toContain('take rate (platform 0)');
  });
  it('categorical x, one point, extremes; empty → ChartError', () => {
    checkSvg(responseChart({ param: 'ranking', metric: 'm', groups: [{ label: 'm', points: [{ x: 'rating', mean: 1 }, { x: 'random', mean: -1e200 }] }] }));
    checkSvg(responseChart({ param: 'p', metric: 'm', groups: [{ label: 'm', points: [{ x: 1, mean: 5 }] }] }));
    expect(() => responseChart({ param: 'p', metric: 'm', groups: [{ label: 'm', points: [{ x: 1, mean: null }] }] })).toThrow(/response: no points .*"m"/);
  });
});

describe('heatmap', () => {
  it('one cell per point and a colour legend', () => {
    const cells = [0.1, 0.2, 0.3].flatMap((x) => [0, 1].map((y) => ({ x, y, value: x * 100 + y })));
    const svg = heatmapChart({ xParam: 'a', yParam: 'b', metric: 'all.total.gmv', unit: 'money', cells: [...cells, { x: 0.4, y: 0, value: null }] });
    checkSvg(svg);
    expect(count(svg, /class="cell"/g)).toBe(7);
    expect(count(svg, /class="color-legend"/g)).toBe(1);
    expect(svg).toContain('#cccccc'); // the cell without a value
  });
  it('one cell, constant; empty → ChartError', () => {
    checkSvg(heatmapChart({ xParam: 'a', yParam: 'b', metric: 'm', cells: [{ x: 1, y: 1, value: 5 }] }));
    expect(() => heatmapChart({ xParam: 'a', yParam: 'b', metric: 'm', cells: [] })).toThrow(ChartError);
  });
});

describe('tornado', () => {
  it('bars sorted by ST, with whiskers', () => {
    const rows = [
      { parameter: 'small', index: 'S1', value: 0.01, low: 0, high: 0.05 },
      { parameter: 'small', index: 'ST', value: 0.05, low: 0.01, high: 0.1 },
      { parameter: 'big', index: 'S1', value: 0.6, low: 0.4, high: 0.8 },
      { parameter: 'big', index: 'ST', value: 0.7, low: 0.5, high: 0.9 },
    ];
    const svg = tornadoChart({ metric: 'all.total.ecosystemValue', rows });
    checkSvg(svg);
    expect(count(svg, /class="bar"/g)).toBe(4);
    expect(count(svg, /class="whisker"/g)).toBe(4);
    const labels = ticks(svg);
    expect(labels.indexOf('big')).toBeLessThan(labels.indexOf('small'));
  });
  it('negative and morris indices; empty → ChartError', () => {
    checkSvg(tornadoChart({ metric: 'm', rows: [{ parameter: 'p', index: 'mu_star', value: -3 }, { parameter: 'p', index: 'sigma', value: 1e100 }] }));
    expect(() => tornadoChart({ metric: 'm', rows: [] })).toThrow(/tornado: no sensitivity indices for metric "m"/);
  });
});

describe('comparison', () => {
  it('bars with CI and differences to the first', () => {
    const svg = comparisonChart({
      metric: 'all.total.revenue',
      unit: 'money',
      rows: [
        { scenario: 'base', mean: 100, low: 90, high: 110 },
        { scenario: 'high', mean: 150, low: 140, high: 160, diff: 50, diffLow: 40, diffHigh: 60 },
        { scenario: 'low', mean: 80, low: 60, high: 100, diff: -20, diffLow: -45, diffHigh: 5 },
      ],
    });
    checkSvg(svg);
    expect(count(svg, /class="bar"/g)).toBe(5);
    expect(count(svg, /class="errorbar"/g)).toBe(5);
    expect(svg).toContain('difference to &quot;base&quot;');
  });
  it('one scenario; empty → ChartError', () => {
    checkSvg(comparisonChart({ metric: 'm', rows: [{ scenario: 'a', mean: 0 }] }));
    expect(() => comparisonChart({ metric: 'm', rows: [] })).toThrow(ChartError);
  });
});

describe('moneyflow', () => {
  it('a waterfall of five bars ending in the ecosystem value', () => {
    const svg = moneyflowChart({ partnerValue: 500, customerValue: 300, revenue: 200, orchestrationCost: 250, ecosystemValue: 750 });
    checkSvg(svg);
    expect(count(svg, /class="bar"/g)).toBe(5);
    expect(svg).toContain('ecosystem value');
    expect(svg).toContain('>750<');
  });
  it('negative, huge, missing; nothing → ChartError', () => {
    checkSvg(moneyflowChart({ partnerValue: -1e12, customerValue: 3e12, revenue: null, orchestrationCost: 1e15 }));
    checkSvg(moneyflowChart({ partnerValue: 0, customerValue: 0, revenue: 0, orchestrationCost: 0 }));
    expect(() => moneyflowChart({ partnerValue: null, customerValue: null, revenue: null, orchestrationCost: null })).toThrow(/moneyflow/);
  });
});

describe('charts that grow: a fixed x domain, a y domain that only grows, and the plot', () => {
  const first = (d: string) => /^M([-\d.]+),([-\d.]+)/.exec(d)!.slice(1).map(Number);
  const pathOf = (svg: string, cls = 'series') => new RegExp(`<path class="${cls}"[^>]* d="([^"]*)"`).exec(svg)![1]!;
  const domainLine = (svg: string, axis: 'x' | 'y') => /class="domain" x1="([\d.]+)" x2="([\d.]+)" y1="([\d.]+)" y2="([\d.]+)"/.exec(svg.slice(svg.indexOf(`class="axis ${axis}`)))!.slice(1).map(Number);
  const data = { name: 'customers', yUnit: 'customers', series: [{ label: 'a', points: ts(10, (i) => i * 3) }] };

  it('timeseries: the plot is where the chart draws, with the same domains when the options are absent', () => {
    const svg = timeseriesChart(data, { width: 800, height: 400 });
    const plot = timeseriesPlot(data, { width: 800, height: 400 });
    expect(plot.xDomain).toEqual([0, 9]);
    expect(plot.yDomain[0]).toBe(0);
    expect(plot.yDomain[1]).toBeGreaterThanOrEqual(27);
    const [left, right, bottom] = domainLine(svg, 'x');
    expect([left, right, bottom]).toEqual([plot.frame.left, plot.frame.right, plot.frame.bottom].map((v) => Math.round(v * 100) / 100));
    expect(domainLine(svg, 'y')[2]).toBeCloseTo(plot.frame.top, 2);
    const [x0, y0] = first(pathOf(svg));
    expect(x0).toBeCloseTo(plot.x(0), 2);
    expect(y0).toBeCloseTo(plot.y(0), 2);
  });

  it('timeseries: xDomain fixes the x axis, so the points already drawn stay where they are as the run goes on', () => {
    const options = { width: 800, height: 400, xDomain: [0, 99] as const };
    const early = timeseriesPlot(data, options);
    const later = timeseriesPlot({ ...data, series: [{ label: 'a', points: ts(60, (i) => i % 20) }] }, options);
    expect(early.xDomain).toEqual([0, 99]);
    expect(later.xDomain).toEqual([0, 99]);
    expect(early.x(9)).toBe(later.x(9));
    const svg = timeseriesChart(data, options);
    checkSvg(svg);
    expect(ticks(svg)).toContain('80');
    expect(Number(/L([\d.]+),[\d.]+$/.exec(pathOf(svg))![1])).toBeCloseTo(early.x(9), 2);
  });

  it('timeseries: yDomain is covered at least, grows to the data beyond it, and given back keeps the axis as it was', () => {
    const wide = timeseriesPlot(data, { yDomain: [0, 1000] });
    expect(wide.yDomain).toEqual([0, 1000]);
    const beyond = timeseriesPlot({ ...data, series: [{ label: 'a', points: ts(10, (i) => i * 300) }] }, { yDomain: [0, 1000] });
    expect(beyond.yDomain[1]).toBeGreaterThanOrEqual(2700);
    const negative = timeseriesPlot(data, { yDomain: [-50, 10] });
    expect(negative.yDomain[0]).toBeLessThanOrEqual(-50);
    for (const d of [[0, 7.3], [0, 123], [-3.3, 1e6]] as const) {
      const once = timeseriesPlot(data, { yDomain: d });
      expect(timeseriesPlot(data, { yDomain: once.yDomain }).yDomain).toEqual(once.yDomain);
    }
    checkSvg(timeseriesChart(data, { yDomain: [5, 5], xDomain: [3, 3] }));
    expect(() => timeseriesChart(data, { xDomain: [5, 1] })).toThrow(/timeseries: xDomain must be two finite numbers/);
    expect(() => timeseriesChart(data, { yDomain: [0, NaN] })).toThrow(ChartError);
  });

  it('adoption: the plot, a fixed x domain, and a y domain that only grows', () => {
    const platform = { name: 'p', ticks: [0, 1, 2, 3], customers: [1, 10, 50, 90], partners: [1, 5, 9, 20] };
    const shares = adoptionPlot({ platforms: [platform], customerPool: 100, partnerPool: 40 }, { xDomain: [0, 51] });
    expect(shares.shares).toBe(true);
    expect(shares.xDomain).toEqual([0, 51]);
    expect(shares.yDomain).toEqual([0, 1]);
    expect(shares.yPartners(0.5)).toBe(shares.y(0.5));
    const svg = adoptionChart({ platforms: [platform], customerPool: 100, partnerPool: 40 }, { xDomain: [0, 51] });
    checkSvg(svg);
    const [x0, y0] = first(pathOf(svg, 'series customers'));
    expect(x0).toBeCloseTo(shares.x(0), 2);
    expect(y0).toBeCloseTo(shares.y(0.01), 2);
    const counts = adoptionPlot({ platforms: [platform] }, { yDomain: [0, 500], partnerYDomain: [0, 70] });
    expect(counts.shares).toBe(false);
    expect(counts.yDomain).toEqual([0, 500]);
    expect(counts.partnerYDomain).toEqual([0, 70]);
    expect(counts.yPartners(70)).toBeCloseTo(counts.frame.top, 6);
    expect(adoptionPlot({ platforms: [platform] }, { partnerYDomain: counts.partnerYDomain }).partnerYDomain).toEqual([0, 70]);
    expect(() => adoptionChart({ platforms: [platform] }, { xDomain: [Infinity, 1] })).toThrow(/adoption: xDomain/);
  });

  it('adoption: an earlier run as faint dashed lines under the current ones, and alone when the current has no rows yet', () => {
    const platform = { name: 'p', ticks: [0, 1, 2, 3], customers: [1, 10, 50, 90], partners: [1, 5, 9, 20] };
    const previous = [{ ...platform, ticks: [0, 1, 2, 3, 4, 5], customers: [1, 2, 3, 4, 5, 6], partners: [0, 0, 1, 1, 2, 2] }];
    const svg = adoptionChart({ platforms: [platform], customerPool: 100, partnerPool: 40, previous });
    checkSvg(svg);
    const paths = [...svg.matchAll(/<path class="(series[^"]*)" data-label="([^"]*)"[^>]*>/g)];
    expect(paths.map((m) => `${m[1]}: ${m[2]}`)).toEqual(['series ghost customers: customers, previous run', 'series ghost partners: partners, previous run', 'series customers: customers (share of all)', 'series partners: partners (share of pool)']);
    for (const m of paths.slice(0, 2)) expect(m[0]).toMatch(/stroke="#b8b8b8"[^>]*stroke-dasharray/);
    expect(svg).toContain('>previous run<');
    // The earlier run, longer, sets the x axis with the current one.
    expect(adoptionPlot({ platforms: [platform], customerPool: 100, partnerPool: 40, previous }).xDomain).toEqual([0, 5]);
    const alone = adoptionChart({ platforms: [{ ...platform, ticks: [], customers: [], partners: [] }], customerPool: 100, partnerPool: 40, previous });
    checkSvg(alone);
    expect(count(alone, /class="series ghost/g)).toBe(2);
    expect(count(alone, /class="series (customers|partners)"/g)).toBe(0);
    // Several platforms: each one's earlier lines named by it.
    const two = adoptionChart({ platforms: [platform, { ...platform, name: 'q' }], previous: [previous[0]!, { ...previous[0]!, name: 'q' }] });
    expect(two).toContain('data-label="q, partners, previous run"');
  });
});
