// The lab's pure parts: controls generated from the schema (one for every policy, in a group, within
// the schema's bounds), the setup applied on reset, the shared link, and intervention markers
// placed where the chart functions put their ticks.

import { describe, expect, it } from 'vitest';
import { scenarioFromObject } from '../src/sim/scenario/load.js';
import { POLICY_KEYS, policySchema } from '../src/sim/scenario/schema.js';
import { appendRows, labCharts, type LabChart, type LabChartInput } from '../src/viz/lab/charts.js';
import { controlValue, POLICY_GROUPS, policyControls, type NumberControl } from '../src/viz/lab/controls.js';
import { fragmentText, parseFragment } from '../src/viz/lab/fragment.js';
import { withMarkers } from '../src/viz/lab/markers.js';
import { thin } from '../src/viz/lab/thin.js';
import { LabRun } from '../src/viz/lab/run.js';
import { applySetup, SETUP_FIELDS, setupValue } from '../src/viz/lab/setup.js';
import { timeseriesChart } from '../src/viz/timeseries.js';

const defaults = policySchema.parse({});

describe('policy controls from the schema', () => {
  const controls = policyControls(defaults, 0);
  const byKey = new Map(controls.map((c) => [c.key, c]));
  const num = (k: string) => byKey.get(k as never) as NumberControl;

  it('has one control for every policy key, each in one of the groups', () => {
    expect(controls.map((c) => c.key).sort()).toEqual([...POLICY_KEYS].sort());
    for (const c of controls) expect(POLICY_GROUPS).toContain(c.group);
    for (const g of ['pricing', 'subsidies', 'curation and ranking', 'trust and leakage', 'supply']) expect(controls.some((c) => c.group === g), g).toBe(true);
  });

  it('keeps every slider within what the schema accepts, the default inside its range', () => {
    for (const c of controls) {
      if (c.kind === 'choice') {
        expect(c.options).toContain(defaults[c.key]);
        continue;
      }
      for (const v of [c.min, c.max, (c.min + c.max) / 2]) {
        const value = controlValue(c, v);
        expect(policySchema.shape[c.key].safeParse(value).success, `${c.key}=${value}`).toBe(true);
      }
      const d = defaults[c.key] as number | null;
      if (d !== null && c.key !== 'houseSupply') expect(d >= c.min && d <= c.max, `${c.key} default ${d} in [${c.min}, ${c.max}]`).toBe(true);
    }
    // takeRate must stay below 1; shares end at 1; whole numbers stay whole.
    expect(num('takeRate').max).toBeLessThan(1);
    expect(num('trust')).toMatchObject({ min: 0, max: 1 });
    expect(num('minRatings')).toMatchObject({ integer: true, min: 1 });
    expect(controlValue(num('minRatings'), 7.6)).toBe(8);
    expect(num('subsidyBudget').nullable).toBe(true);
    expect(byKey.get('ranking')).toMatchObject({ kind: 'choice', options: ['random', 'rating', 'promoted'] });
  });

  it('moves house supply only within the room the scenario makes', () => {
    expect(num('houseSupply')).toMatchObject({ min: 0, max: 0 });
    expect(policyControls({ ...defaults, houseSupply: 3 }, 8).find((c) => c.key === 'houseSupply')).toMatchObject({ min: 0, max: 8 });
  });
});

describe('setup, applied on reset', () => {
  const raw = { platforms: [{ name: 'a' }, { name: 'b' }, { name: 'c' }], schedule: [{ at: 3, platform: 'c', set: { takeRate: 0.2 } }, { at: 4, platform: 1, set: { takeRate: 0.3 } }, { at: 5, set: { takeRate: 0.1 } }] };

  it('reads each field from the scenario, or its default', () => {
    expect(SETUP_FIELDS.map((f) => f.path)).toEqual(['ticks', 'customers.count', 'partners.count', 'network.type', 'network.degree', 'platforms']);
    expect(setupValue(raw, 'platforms')).toBe(3);
    expect(setupValue(raw, 'customers.count')).toBe(10000);
    expect(setupValue({ network: { type: 'scalefree' } }, 'network.type')).toBe('scalefree');
  });

  it('drops the schedule entries of platforms that go, and gives a valid scenario', () => {
    const out = applySetup(raw, { 'customers.count': 2000, 'network.type': 'meanfield', platforms: 2 });
    expect(out.platforms).toEqual([{ name: 'a' }, { name: 'b' }]);
    expect(out.schedule).toEqual([raw.schedule[1], raw.schedule[2]]);
    expect(scenarioFromObject(out).customers.count).toBe(2000);
    expect(raw.platforms).toHaveLength(3);
    expect(applySetup({}, { platforms: 3 }).platforms).toEqual([{}, {}, {}]);
  });
});

describe('the shared link', () => {
  it('round-trips the scenario, the seed, the setup and the changes', () => {
    const link = { scenario: 'cold start', seed: 7, setup: { 'customers.count': 20000, 'network.type': 'meanfield' }, changes: [{ at: 20, platform: 0, set: { takeRate: 0.3, subsidyBudget: null } }, { at: 40, platform: 1, set: { ranking: 'promoted' as const } }] };
    expect(parseFragment(fragmentText(link))).toEqual(link);
  });

  it('leaves out what it cannot read, and names no scenario when there is none', () => {
    expect(parseFragment('')).toBeUndefined();
    expect(parseFragment('seed=3')).toBeUndefined();
    expect(parseFragment('scenario=x&seed=abc&changes=-1:0:takeRate:0.2,5:0:takeRate:0.2,junk')).toEqual({ scenario: 'x', setup: {}, changes: [{ at: 5, platform: 0, set: { takeRate: 0.2 } }] });
  });
});

describe('intervention markers', () => {
  it('sit where the chart puts the tick, labelled, and only inside the plotted ticks', () => {
    const points = Array.from({ length: 11 }, (_, i) => ({ x: i * 10, y: i }));
    const svg = timeseriesChart({ series: [{ label: 'a', points }] }, { width: 800, height: 400 });
    const left = Number(/class="domain" x1="([\d.]+)" x2="([\d.]+)"/.exec(svg.slice(svg.indexOf('axis x')))![1]);
    const right = Number(/class="domain" x1="([\d.]+)" x2="([\d.]+)"/.exec(svg.slice(svg.indexOf('axis x')))![2]);
    const out = withMarkers(svg, [{ tick: 40, label: 'takeRate 0.3' }, { tick: 500, label: 'later' }], [0, 100]);
    const lines = [...out.matchAll(/<g class="marker" data-tick="(\d+)"><line x1="([\d.]+)"/g)];
    expect(lines.map((m) => m[1])).toEqual(['40']);
    expect(Number(lines[0]![2])).toBeCloseTo(left + 0.4 * (right - left), 1);
    expect(out).toContain('1. takeRate 0.3');
    // The x axis's tick at 40 is drawn at the same place.
    expect(out).toMatch(new RegExp(`<line class="grid" x1="${lines[0]![2]}"`));
  });

  it('are drawn on every live chart, and the previous run as a ghost line', () => {
    const run = new LabRun(scenarioFromObject({ ticks: 12, customers: { count: 300 }, partners: { count: 20 }, network: { type: 'meanfield' } }));
    while (run.tick < 6) run.step();
    run.intervene(0, { takeRate: 0.3 });
    while (!run.done) run.step();
    const input = { rows: run.metrics, ghost: run.metrics.filter((r) => r.tick < 8), platforms: ['orchestrator'], customerPool: 300, partnerPool: 20, markers: [{ tick: 6, label: 'takeRate 0.3' }], picked: 'gmv' as const };
    const charts = labCharts(input);
    expect(charts.map((c) => c.id)).toEqual(['adoption', 'liquidity', 'money', 'value', 'picked']);
    for (const c of charts) expect(c.svg, c.id).toContain('data-tick="6"');
    for (const c of charts) expect(c.svg, c.id).toContain('previous run');
    // The adoption chart's ghost: the previous run's customers and partners, faint and dashed.
    expect([...charts[0]!.svg.matchAll(/<path class="series ghost (customers|partners)" data-label="([^"]*)"[^>]*stroke-dasharray/g)].map((m) => m[2])).toEqual(['customers, previous run', 'partners, previous run']);
    expect(labCharts({ ...input, rows: [], ghost: [] })).toEqual([]);
    // Just after a reset: the ghost alone, on every chart.
    expect(labCharts({ ...input, rows: [], markers: [] }).map((c) => c.id)).toEqual(['adoption', 'liquidity', 'money', 'value', 'picked']);
    expect(labCharts(input, {}, new Set(['money'])).map((c) => c.id)).toEqual(['money']);
  });
});

describe('live charts that grow', () => {
  const run = new LabRun(scenarioFromObject({ ticks: 40, seed: 3, customers: { count: 600 }, partners: { count: 40 }, network: { type: 'meanfield' } }));
  while (!run.done) run.step();
  const rows = run.metrics;
  const upTo = (tick: number) => rows.filter((r) => r.tick < tick);
  const base = { ghost: [], platforms: ['orchestrator'], customerPool: 600, partnerPool: 40, markers: [], picked: 'customers' as const, lastTick: 39 };
  const dOf = (svg: string) => [...svg.matchAll(/<path class="series[^"]*"[^>]* d="([^"]*)"/g)].map((m) => m[1]!);
  const grown = (c: LabChart, more: readonly typeof rows[number][]) => {
    const a = appendRows(c, more);
    if ('redraw' in a) throw new Error(`${c.id}: drawn anew`);
    return a;
  };

  it('spans the whole run from the first tick, and the segments appended give the paths a whole drawing gives', () => {
    const input: LabChartInput = { ...base, rows: upTo(5) };
    for (const id of ['adoption', 'liquidity']) {
      const early = labCharts(input, {}, new Set([id]))[0]!;
      expect(early.plot.xDomain, id).toEqual([0, 39]);
      const paths = dOf(early.svg);
      let chart = early;
      for (const tick of [12, 13, 40]) {
        const a = grown(chart, upTo(tick));
        a.chart.lines.forEach((l, i) => (paths[l.path] += a.d[i]));
        chart = a.chart;
      }
      expect(chart.rowCount).toBe(rows.length);
      // A chart drawn whole from every row, on the same axes, has the very same paths.
      const whole = labCharts({ ...input, rows, yDomains: { [id]: { y: early.plot.yDomain } } }, {}, new Set([id]))[0]!;
      expect(whole.plot.yDomain).toEqual(early.plot.yDomain);
      expect(paths, id).toEqual(dOf(whole.svg));
    }
  });

  it('is drawn anew, its y axis grown, when a value is beyond it, and after a reset', () => {
    const early = labCharts({ ...base, rows: upTo(3) }, {}, new Set(['money']))[0]!;
    const top = Math.max(...rows.filter((r) => r.platform === 'all').flatMap((r) => [r.revenue, r.orchestratorProfit]));
    const low = Math.min(...rows.filter((r) => r.platform === 'all').flatMap((r) => [r.revenue, r.orchestratorProfit]));
    expect(top > early.plot.yDomain[1] || low < early.plot.yDomain[0]).toBe(true);
    const a = appendRows(early, rows);
    if (!('redraw' in a)) throw new Error('money: grown beyond its axis');
    const wanted = a.yDomains.y!;
    expect(wanted[0]).toBeLessThanOrEqual(Math.min(low, early.plot.yDomain[0]));
    expect(wanted[1]).toBeGreaterThan(top);
    // Drawn again with that range, it covers the run and grows without being drawn anew.
    const again = labCharts({ ...base, rows, yDomains: { money: { y: wanted } } }, {}, new Set(['money']))[0]!;
    expect(again.plot.yDomain[0]).toBeLessThanOrEqual(early.plot.yDomain[0]);
    expect(again.plot.yDomain[1]).toBeGreaterThanOrEqual(early.plot.yDomain[1]);
    expect(grown(again, rows).d.every((d) => d === '')).toBe(true);
    // Fewer rows than drawn: another run.
    expect('redraw' in appendRows(again, upTo(2))).toBe(true);
  });

  it('draws anew a line that had no path, and markers of the run once it is drawn', () => {
    const ghostOnly = labCharts({ ...base, rows: [], ghost: rows }, {}, new Set(['adoption']))[0]!;
    expect(ghostOnly.lines.map((l) => l.path)).toEqual([-1, -1]);
    expect('redraw' in appendRows(ghostOnly, upTo(1))).toBe(true);
    const both = labCharts({ ...base, rows: upTo(1), ghost: rows }, {}, new Set(['adoption']))[0]!;
    expect(both.lines.map((l) => l.path)).toEqual([2, 3]);
    expect(both.lines.map((l) => l.per)).toEqual([600, 40]);
  });
});

describe('long runs drawn with fewer points', () => {
  it('keeps each bucket\'s lowest and highest value, the first and the last, in tick order', () => {
    const points = Array.from({ length: 10_000 }, (_, i) => ({ x: i, y: i === 4321 ? 99 : i === 777 ? -5 : Math.sin(i / 100) }));
    const few = thin(points, 400);
    expect(few.length).toBeLessThanOrEqual(402);
    expect(few[0]).toBe(points[0]);
    expect(few[few.length - 1]).toBe(points[9_999]);
    expect(few).toContain(points[4321]);
    expect(few).toContain(points[777]);
    for (let i = 1; i < few.length; i++) expect(few[i]!.x).toBeGreaterThan(few[i - 1]!.x);
    expect(thin(points.slice(0, 300), 400)).toEqual(points.slice(0, 300));
  });

  it('draws a run of 20 000 ticks with at most a few thousand points a line', () => {
    const rows = Array.from({ length: 20_000 }, (_, t) => ({ tick: t, platform: 'all', customers: t, partners: t / 2, matchRate: 0.5, leakageRate: 0.1, revenue: t, orchestratorProfit: 1, ecosystemValue: 2, partnerValue: 1, customerValue: 1 }));
    const both = rows.flatMap((r) => [r, { ...r, platform: 'orchestrator' }]) as never[];
    const charts = labCharts({ rows: both, ghost: [], platforms: ['orchestrator'], customerPool: 20_000, partnerPool: 10_000, markers: [], picked: 'revenue' });
    for (const c of charts) {
      const longest = Math.max(...[...c.svg.matchAll(/ d="([^"]*)"/g)].map((m) => m[1]!.split(/[ML]/).length));
      expect(longest, c.id).toBeLessThan(3300);
    }
  });
});
