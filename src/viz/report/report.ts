import nodePath from 'node:path';
import { stringify as yamlStringify } from 'yaml';
import { writeFileAtomic } from '../../sim/output/atomic.js';
import { withOutputLockSync } from '../../sim/output/dirLock.js';
import { writeDerivedFile } from '../../sim/output/resultDir.js';
import { VERSION } from '../../version.js';
import { escapeHtml } from '../escapeHtml.js';
import { pageScript } from './bundle.js';
import { readPageCharts, readReportData, type KeyFigures, type PageCharts, type ReportData, type RunReportData } from './data.js';
import { experimentsSection, segmentsSection } from './marketSections.js';
import { REPORT_CSS } from './style.js';
import { metricLabel } from '../labels.js';

export { readReportData, resultKind, type ReportData, type ResultKind } from './data.js';

// The HTML report of a result directory (DESIGN.md: "an offline HTML report that opens from a USB
// stick"): one self-contained file with the data and the script inlined; no external URL, so it
// works without a network. The script is the chart modules of "ecosim chart" bundled (bundle.ts):
// the page draws the same charts, from chart data made here by the same loaders.

/** The report's file name inside a result directory. */
export const REPORT_FILE = 'report.html';


/** JSON safe inside a <script> element: no "<" (so no "</script>" or "<!--"), no line separators. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}

function formatNumber(v: number | null, style: 'count' | 'money' | 'share' = 'count'): string {
  if (v === null) return 'n/a';
  if (style === 'share') return `${(v * 100).toFixed(1)}%`;
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toFixed(2)} B`;
  if (a >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
  if (style === 'money' || !Number.isInteger(v)) return v.toLocaleString('en-US', { maximumFractionDigits: a >= 100 ? 0 : 2 });
  return v.toLocaleString('en-US');
}

/** A value of any unit: four significant digits, thousands separated. */
function formatValue(v: number | null): string {
  if (v === null) return 'n/a';
  if (Math.abs(v) >= 1e4) return formatNumber(Math.round(v));
  return String(Number(v.toPrecision(4)));
}

function card(label: string, value: string, tone = ''): string {
  return `<div class="card${tone === '' ? '' : ` ${tone}`}"><div class="label">${escapeHtml(label)}</div><div class="value">${escapeHtml(value)}</div></div>`;
}

const tick = (t: number | null): string => (t === null ? 'never' : `week ${t}`);

function figureCards(f: KeyFigures): string {
  return [
    card('customers (final)', formatNumber(f.customers)),
    card('partners (final)', formatNumber(f.partners)),
    card('match rate', formatNumber(f.matchRate, 'share')),
    card('leakage', formatNumber(f.leakageRate, 'share'), f.leakageRate !== null && f.leakageRate > 0.2 ? 'warn' : ''),
    card('revenue (money, run total)', formatNumber(f.revenue, 'money')),
    card('orchestrator profit (money, run total)', formatNumber(f.orchestratorProfit, 'money'), f.orchestratorProfit !== null && f.orchestratorProfit < 0 ? 'warn' : 'good'),
    card('ecosystem value (money, run total)', formatNumber(f.ecosystemValue, 'money')),
    card('tipped at', tick(f.tippedAt), f.tippedAt === null ? '' : 'good'),
    card('failed at', tick(f.failedAt), f.failedAt === null ? '' : 'warn'),
  ].join('\n');
}

function platformTable(figures: readonly KeyFigures[]): string {
  const head = ['platform', 'customers', 'partners', 'match rate', 'leakage', 'revenue', 'orchestrator profit', 'ecosystem value', 'tipped at', 'failed at'];
  const rows = figures.map((f) =>
    [f.name, formatNumber(f.customers), formatNumber(f.partners), formatNumber(f.matchRate, 'share'), formatNumber(f.leakageRate, 'share'), formatNumber(f.revenue, 'money'), formatNumber(f.orchestratorProfit, 'money'), formatNumber(f.ecosystemValue, 'money'), tick(f.tippedAt), tick(f.failedAt)]
      .map((c) => `<td>${escapeHtml(c)}</td>`)
      .join(''),
  );
  return `<table class="data"><thead><tr>${head.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.map((r) => `<tr>${r}</tr>`).join('')}</tbody></table>`;
}

function picker(options: readonly { value: string; label: string }[], selected: string, label: string, id = 'metric'): string {
  const opts = options.map((o) => `<option value="${escapeHtml(o.value)}"${o.value === selected ? ' selected' : ''}>${escapeHtml(o.label)}</option>`).join('');
  return `<div class="controls"><label for="${id}">${escapeHtml(label)}</label><select id="${id}">${opts}</select></div>`;
}

/** The place of one chart; the page script puts the SVG in it. */
function chartBox(id: string, label: string): string {
  return `<div class="chart" id="${id}" role="figure" aria-label="${escapeHtml(label)}"></div>`;
}

/** A section of curves over time, with its own picker, when the result has them. */
function timeseriesSection(charts: Readonly<Record<string, unknown>> | undefined, id: string, what: string): string {
  if (charts === undefined) return '';
  const metrics = Object.keys(charts);
  return `<section><h2>Over time</h2>
<p class="subtitle">${escapeHtml(what)}</p>
${picker(metrics.map((m) => ({ value: m, label: metricLabel(m) })), metrics[0] ?? '', 'Metric over time', 'ts-metric')}
${chartBox(id, 'the chosen metric over time')}
</section>`;
}

function scenarioDetails(scenario: unknown, label = 'Scenario used (fully resolved)'): string {
  if (scenario === null || scenario === undefined) return '';
  let text: string;
  try {
    text = yamlStringify(scenario, { lineWidth: 0 });
  } catch {
    text = JSON.stringify(scenario, null, 2);
  }
  return `<section><details id="scenario"><summary>${escapeHtml(label)}</summary><pre class="scenario">${escapeHtml(text)}</pre></details></section>`;
}

function runBody(d: RunReportData): string {
  const all = d.figures[0];
  const platforms = d.figures.filter((f) => f.name !== 'all');
  const defaultMetric = d.metrics.some((m) => m.name === 'customers') ? 'customers' : (d.metrics[0]?.name ?? '');
  return `
<section><h2>Key figures${all === undefined ? '' : ` (${escapeHtml(all.name)})`}</h2>
<div class="cards">${all === undefined ? '' : figureCards(all)}</div>
${platforms.length > 1 ? platformTable(d.figures) : ''}
<p class="subtitle">Revenue, profit and value are totals over the run; match rate and leakage are rates of the whole run; customers and partners are at the last tick.</p>
</section>
<section><h2>Metrics over time</h2>
${picker(d.metrics.map((m) => ({ value: m.name, label: `${metricLabel(m.name)} (${m.name})` })), defaultMetric, 'Metric')}
${chartBox('timeseries', 'time series of the chosen metric per platform')}
</section>
<section><h2>Adoption</h2>
${chartBox('adoption', 'adoption S-curve: customer and partner shares')}
</section>
<section><h2>Money flow</h2>
${chartBox('moneyflow', 'money flow of the run')}
</section>
${segmentsSection(d.segments)}${experimentsSection(d.experiments)}
${scenarioDetails(d.scenario)}`;
}

function body(d: ReportData, charts: PageCharts): { subtitle: string; html: string } {
  if (d.kind === 'run') {
    const ticks = d.series[0]?.ticks.length ?? 0;
    return { subtitle: `Run report: ${ticks} ticks, platforms ${d.figures.filter((f) => f.name !== 'all').map((f) => f.name).join(', ') || 'all'}`, html: runBody(d) };
  }
  if (d.kind === 'sweep') {
    const html = `
<section><h2>Response</h2>
${picker(d.metricNames.map((m) => ({ value: m, label: `${metricLabel(m)} (${m})` })), d.defaultMetric, 'Metric')}
${chartBox('response', 'the chosen metric against the first parameter')}
</section>
${charts.kind === 'sweep' && charts.heatmap !== undefined ? `<section><h2>Two parameters</h2>\n${chartBox('heatmap', 'the chosen metric over the first two parameters')}\n</section>` : ''}
${timeseriesSection(charts.kind === 'sweep' ? charts.timeseries : undefined, 'sweep-timeseries', 'Mean of each point over its replications, with the 95% interval of the mean, from timeseries.csv.')}
<section><h2>Points</h2><p id="points-caption"></p>
<div class="table-wrap"><table class="data" id="points-table"></table></div>
</section>
${scenarioDetails(d.scenario, 'Base scenario (fully resolved, before the parameters are set)')}`;
    return { subtitle: `Sweep report: ${d.design} design, ${d.points.length} points over ${d.params.join(', ') || 'no parameter'}`, html };
  }
  const table = d.metricNames
    .flatMap((m) =>
      (d.rows[m] ?? []).map((r) =>
        [m, r.scenario, formatNumber(r.n), `${formatValue(r.mean)} [${formatValue(r.ciLow)}, ${formatValue(r.ciHigh)}]`, r.diff === null ? '' : `${formatValue(r.diff)} [${formatValue(r.diffLow)}, ${formatValue(r.diffHigh)}]`, r.p === null ? '' : r.p.toPrecision(3)]
          .map((c) => `<td>${escapeHtml(c)}</td>`)
          .join(''),
      ),
    )
    .map((r) => `<tr>${r}</tr>`)
    .join('');
  const html = `
<section><h2>Scenarios compared</h2>
${picker(d.metricNames.map((m) => ({ value: m, label: `${metricLabel(m)} (${m})` })), d.metricNames[0] ?? '', 'Metric')}
${chartBox('comparison', 'mean per scenario and difference to the first, with confidence intervals')}
</section>
${timeseriesSection(charts.kind === 'compare' ? charts.timeseries : undefined, 'compare-timeseries', 'Mean of each scenario over its replications, with the 95% interval of the mean.')}
<section><h2>All metrics</h2>
<div class="table-wrap"><table class="data"><thead><tr><th>metric</th><th>scenario</th><th>n</th><th>mean [95% CI]</th><th>difference to ${escapeHtml(d.scenarios[0] ?? '')} [95% CI]</th><th>p</th></tr></thead><tbody>${table}</tbody></table></div>
</section>
${scenarioDetails(d.scenario, 'Scenarios used (fully resolved)')}`;
  return { subtitle: `Comparison report: ${d.scenarios.length} scenarios, ${d.metricNames.length} metrics`, html };
}

/** The report page of data already read (see readReportData). */
export function renderReportData(data: ReportData, charts: PageCharts, source = ''): string {
  const { subtitle, html } = body(data, charts);
  const title = `ecosim: ${data.title}`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="ecosim ${escapeHtml(VERSION)}">
<title>${escapeHtml(title)}</title>
<style>${REPORT_CSS}</style>
</head>
<body>
<header><h1>${escapeHtml(title)}</h1><p class="subtitle">${escapeHtml(subtitle)}${source === '' ? '' : ` · from ${escapeHtml(source)}`}</p></header>
<main>${html}
</main>
<footer>Written by ecosim ${escapeHtml(VERSION)}. This page works offline: its data and its charts (the code of "ecosim chart") are inside the file.</footer>
<script type="application/json" id="report-data">${scriptJson({ ...data, charts })}</script>
<script>${pageScript()}</script>
</body>
</html>
`;
}

/**
 * The HTML report of a result directory written by `ecosim run`, `ecosim sweep` or
 * `ecosim compare --out`: one self-contained page. Throws an InputError when `dir` is none of these.
 */
export function renderReport(dir: string): string {
  const data = readReportData(dir);
  return renderReportData(data, readPageCharts(dir, data), nodePath.basename(nodePath.resolve(dir)));
}

/**
 * Writes the report of `dir` atomically to `out` and returns its path. By default it goes to
 * `<dir>/report.html`, listed in the result's manifest as made from it (so that a later result
 * written there replaces it, and nothing takes it for another result's report).
 */
export function writeReport(dir: string, out?: string): string {
  const inside = out === undefined || nodePath.resolve(out) === nodePath.resolve(dir, REPORT_FILE);
  if (!inside) {
    writeFileAtomic(out, renderReport(dir));
    return out;
  }
  const file = out ?? nodePath.join(dir, REPORT_FILE);
  withOutputLockSync(dir, 'report', () => writeDerivedFile(dir, REPORT_FILE, renderReport(dir)));
  return file;
}
