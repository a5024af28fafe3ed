/// <reference lib="dom" />
import { adoptionChart } from '../adoption.js';
import { comparisonChart } from '../comparison.js';
import { heatmapChart } from '../heatmap.js';
import { moneyflowChart } from '../moneyflow.js';
import { responseChart } from '../response.js';
import { timeseriesChart } from '../timeseries.js';
import type { ChartOptions } from '../theme.js';
import type { PageCharts, ReportData } from './data.js';

// The script of the report page, bundled by esbuild (src/viz/report/bundle.ts) and inlined into the
// page: it draws with the very chart modules "ecosim chart" uses, from chart data the report computed
// in Node with the same loaders, so the page and the PNGs cannot disagree on palette, labels or
// intervals. It only picks what to draw and puts the SVG into the page.

/** The size the page lays charts out at: the SVGs scale to the column width through their viewBox. */
const SIZE: ChartOptions = { width: 1200, height: 600 };

type Data = ReportData & { charts: PageCharts };

function place(id: string, draw: () => string): void {
  const el = document.getElementById(id);
  if (el === null) return;
  try {
    el.innerHTML = draw().replace(/^<\?xml[^>]*\?>\s*/, '');
  } catch (e) {
    // A chart with nothing to draw says so in its place, rather than leaving a hole.
    el.textContent = e instanceof Error ? e.message : String(e);
    el.classList.add('empty');
  }
}

function picker(id: string, draw: (value: string) => void): void {
  const sel = document.getElementById(id) as HTMLSelectElement | null;
  if (sel === null) return;
  sel.addEventListener('change', () => draw(sel.value));
  draw(sel.value);
}

const fmt = (v: number | null | undefined): string => (v === null || v === undefined || !Number.isFinite(v) ? 'n/a' : Math.abs(v) >= 1e4 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(4))));

function pointsTable(data: Extract<Data, { kind: 'sweep' }>, metric: string): void {
  const table = document.getElementById('points-table');
  const d = data.data[metric];
  if (table === null || d === undefined) return;
  const head = ['point', ...data.params, 'n', 'mean', 'sd', 'ci low', 'ci high'];
  const esc = (s: string) => s.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
  const rows = data.points.map((p, i) => [String(p.point), ...p.values.map((v) => (typeof v === 'number' ? fmt(v) : v)), fmt(d.n[i]), fmt(d.mean[i]), fmt(d.sd[i]), fmt(d.ciLow[i]), fmt(d.ciHigh[i])]);
  table.innerHTML = `<thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</tbody>`;
  const caption = document.getElementById('points-caption');
  if (caption !== null) caption.textContent = `Points of the sweep with ${metric} (mean over replications, 95% confidence interval)`;
}

function main(): void {
  const data = JSON.parse(document.getElementById('report-data')!.textContent ?? '{}') as Data;
  const c = data.charts;
  if (c.kind === 'run') {
    picker('metric', (m) => place('timeseries', () => timeseriesChart(c.timeseries[m]!, SIZE)));
    place('adoption', () => adoptionChart(c.adoption, SIZE));
    place('moneyflow', () => moneyflowChart(c.moneyflow, SIZE));
  } else if (c.kind === 'sweep' && data.kind === 'sweep') {
    picker('metric', (m) => {
      place('response', () => responseChart(c.response[m]!, SIZE));
      if (c.heatmap !== undefined) place('heatmap', () => heatmapChart(c.heatmap![m]!, SIZE));
      pointsTable(data, m);
    });
    if (c.timeseries !== undefined) picker('ts-metric', (m) => place('sweep-timeseries', () => timeseriesChart(c.timeseries![m]!, SIZE)));
  } else if (c.kind === 'compare') {
    picker('metric', (m) => place('comparison', () => comparisonChart(c.comparison[m]!, SIZE)));
    if (c.timeseries !== undefined) picker('ts-metric', (m) => place('compare-timeseries', () => timeseriesChart(c.timeseries![m]!, SIZE)));
  }
}

main();
