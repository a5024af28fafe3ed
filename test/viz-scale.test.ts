// Charts that fit the room: a chart at slide size is the default one drawn larger (text, strokes
// and margins scale with it), titles and axes say the metric's label and unit, never its key, and
// the defects seen in screenshots stay fixed (share ticks under "%", weeks on time axes, labels that
// stay apart when cut, readable values on dark heatmap cells, one tick format on an axis).

import { describe, expect, it } from 'vitest';
import { axisTitle, labelLines, tickFormatter } from '../src/viz/axes.js';
import { commonPrefix, comparisonChart } from '../src/viz/comparison.js';
import { heatmapChart, textOn } from '../src/viz/heatmap.js';
import { metricLabel, paramLabel } from '../src/viz/labels.js';
import { adoptionChart } from '../src/viz/adoption.js';
import { moneyflowChart } from '../src/viz/moneyflow.js';
import { responseChart } from '../src/viz/response.js';
import { svgToPixels } from '../src/viz/png.js';
import { chartSize } from '../src/viz/theme.js';
import { timeseriesChart } from '../src/viz/timeseries.js';
import { tornadoChart } from '../src/viz/tornado.js';
import { scaleLinear } from 'd3-scale';
import { METRIC_NAMES } from '../src/sim/metrics.js';

const series = [{ label: 'a', points: Array.from({ length: 30 }, (_, i) => ({ x: i, y: i * 400, low: i * 300, high: i * 500 })) }];
const charts: Record<string, (o: { width?: number; height?: number }) => string> = {
  timeseries: (o) => timeseriesChart({ name: 'customers', yUnit: 'customers', series, band: '95% CI' }, o),
  adoption: (o) => adoptionChart({ platforms: [{ name: 'p', ticks: [0, 1, 2], customers: [1, 50, 90], partners: [1, 5, 9] }], customerPool: 100, partnerPool: 10 }, o),
  response: (o) => responseChart({ param: 'platforms.0.takeRate', metric: 'all.total.revenue', unit: 'money', groups: [{ label: 'x', points: [{ x: 0.1, mean: 5, low: 4, high: 6 }, { x: 0.2, mean: 7, low: 6, high: 8 }] }] }, o),
  heatmap: (o) => heatmapChart({ xParam: 'a', yParam: 'b', metric: 'all.total.gmv', unit: 'money', cells: [{ x: 1, y: 1, value: 1 }, { x: 2, y: 1, value: 2 }, { x: 1, y: 2, value: 3 }, { x: 2, y: 2, value: 4 }] }, o),
  tornado: (o) => tornadoChart({ metric: 'all.total.revenue', rows: [{ parameter: 'platforms.0.takeRate', index: 'ST', value: 0.5, low: 0.4, high: 0.6 }] }, o),
  comparison: (o) => comparisonChart({ metric: 'all.total.leakageRate', unit: 'share', rows: [{ scenario: 'a', mean: 0.2, low: 0.1, high: 0.3 }, { scenario: 'b', mean: 0.25, low: 0.2, high: 0.3, diff: 0.05, diffLow: 0, diffHigh: 0.1 }] }, o),
  moneyflow: (o) => moneyflowChart({ partnerValue: 10, customerValue: 5, revenue: 3, orchestrationCost: 2 }, o),
};

const body = (svg: string) => svg.slice(svg.indexOf('viewBox'));

describe('charts scale with their size', () => {
  it('the layout of a chart at 1920×1080 is the 960×540 one, drawn at twice the size', () => {
    for (const [kind, draw] of Object.entries(charts)) {
      const small = draw({ width: 960, height: 540 });
      const large = draw({ width: 1920, height: 1080 });
      expect(large, kind).toContain('width="1920" height="1080" viewBox="0 0 960 540"');
      expect(body(large), kind).toBe(body(small));
    }
  });
  it('text keeps its share of the height: tick labels at 1080 px are twice as tall in pixels as at 540', () => {
    const s1 = chartSize({ width: 960, height: 540 }, 't');
    const s2 = chartSize({ width: 1920, height: 1080 }, 't');
    expect(s2.scale / s1.scale).toBe(2);
    // In the rendered PNG, the dark pixels of the title's row band double in height.
    const rows = (svg: string, h: number) => {
      const { width, pixels } = svgToPixels(svg);
      let dark = 0;
      for (let y = 0; y < Math.round(h * 0.1); y++) for (let x = 0; x < width; x++) if (pixels[(y * width + x) * 4]! < 100) dark++;
      return dark;
    };
    const a = rows(charts.timeseries!({ width: 960, height: 540 }), 540);
    const b = rows(charts.timeseries!({ width: 1920, height: 1080 }), 1080);
    expect(b / a).toBeGreaterThan(3);
    expect(b / a).toBeLessThan(5);
  });
  it('a wide chart lays out wider at the height that fits, and a small one never shrinks text below 3/4', () => {
    const wide = chartSize({ width: 1920, height: 540 }, 't');
    expect([wide.width, wide.height, wide.scale]).toEqual([1920, 540, 1]);
    const small = chartSize({ width: 240, height: 135 }, 't');
    expect(small.scale).toBe(0.75);
    expect(small.width).toBe(320);
  });
});

describe('labels and units, never raw keys', () => {
  it('every catalogue metric has a label, and summary columns read as words', () => {
    for (const m of METRIC_NAMES) expect(metricLabel(m)).not.toBe('');
    expect(metricLabel('all.total.revenue')).toBe('revenue, run total');
    expect(metricLabel('all.final.customers')).toBe('customers at the end');
    expect(metricLabel('orchestrator.total.gmv')).toBe('GMV, run total, orchestrator');
    expect(metricLabel('all.tippedAt')).toBe('tipping week');
    expect(paramLabel('platforms.0.takeRate')).toBe('take rate (platform 0)');
    expect(paramLabel('customers.count')).toBe('customers count');
  });
  it('axis titles: % for shares, weeks for ticks, money named, no repeated unit', () => {
    expect(axisTitle('match rate', 'share')).toBe('match rate (%)');
    expect(axisTitle('time', 'tick')).toBe('time (weeks)');
    expect(axisTitle('revenue, run total', 'money')).toBe('revenue, run total (money)');
    expect(axisTitle('customers', 'customers')).toBe('customers');
    expect(axisTitle('churned customers', 'customers')).toBe('churned customers');
  });
  it('charts show labels: no "customers (customers)", no "per tick", time in weeks', () => {
    for (const [kind, draw] of Object.entries(charts)) {
      const svg = draw({});
      expect(svg, kind).not.toMatch(/all\.total\.|all\.final\.|platforms\.0\.|customers \(customers\)|per tick/);
    }
    expect(charts.timeseries!({})).toContain('time (weeks)');
    expect(charts.adoption!({})).toContain('time (weeks)');
    expect(charts.response!({})).toContain('revenue, run total (money)');
  });
  it('a share axis titled "%" has percentage ticks (comparison included)', () => {
    const svg = charts.comparison!({});
    expect(svg).toContain('leakage rate, run total (%)');
    const ticks = [...svg.matchAll(/class="tick">([^<]*)</g)].map((m) => m[1]!).filter((t) => /\d/.test(t));
    expect(ticks.length).toBeGreaterThan(2);
    for (const t of ticks) expect(t).toMatch(/%$/);
  });
  it('one tick format on an axis: all in k, never "10k" beside "8,000"', () => {
    const y = scaleLinear().domain([0, 12000]);
    const f = tickFormatter(y, 6);
    const labels = y.ticks(6).map(f);
    expect(labels).toEqual(['0', '2k', '4k', '6k', '8k', '10k', '12k']);
  });
});

describe('defects seen in screenshots', () => {
  it('the legend swatch of each line has the line colour', () => {
    for (const svg of [charts.response!({}), charts.timeseries!({})]) {
      const line = /class="series"[^>]*stroke="([^"]+)"/.exec(svg)![1];
      const swatches = [...svg.matchAll(/class="swatch" data-label="([^"]*)" data-color="([^"]+)"/g)].map((m) => m[2]);
      expect(swatches[0]).toBe(line);
    }
  });
  it('labels that share a prefix stay apart: the prefix is said once, or the middle is cut', () => {
    expect(commonPrefix(['cold-start-none', 'cold-start-subsidy', 'cold-start-coupons'])).toBe('cold-start-');
    expect(commonPrefix(['a', 'b'])).toBe('');
    const svg = comparisonChart({ metric: 'gmv', rows: ['cold-start-none', 'cold-start-subsidy-high', 'cold-start-coupons-high'].map((s, i) => ({ scenario: s, mean: i + 1, diff: i === 0 ? undefined : i })) });
    const labels = [...svg.matchAll(/<tspan[^>]*>([^<]*)<\/tspan>/g)].map((m) => m[1]);
    expect(new Set(labels.slice(0, 3)).size).toBe(3);
    expect(svg).toContain('cold-start-…');
    const cut = labelLines('a-very-long-scenario-name-that-ends-in-x', 10, 2);
    expect(cut.length).toBe(2);
    expect(cut[1]!.endsWith('x')).toBe(true);
  });
  it('heatmap values are white on dark cells and black on light ones', () => {
    expect(textOn('#440154')).toBe('#ffffff'); // viridis low: dark purple
    expect(textOn('#fde725')).toBe('#111111'); // viridis high: yellow
    const svg = charts.heatmap!({ width: 960, height: 540 });
    const values = [...svg.matchAll(/fill="(#[0-9a-f]{6})"\/><text [^>]*fill="(#[0-9a-f]{6})" class="cell-value"/g)];
    expect(values.length).toBe(4);
    for (const [, cell, ink] of values) expect(ink).toBe(textOn(cell!));
    expect(values.some((v) => v[2] === '#ffffff')).toBe(true);
  });
});
