import { comparisonChart } from '../comparison.js';
import { escapeHtml as esc } from '../escapeHtml.js';
import { isRecord, numOrNull } from '../resultFiles.js';

// The report's sections for customer segments and the platform's own A/B tests (docs/model.md
// sections 11 and 12), read from the run summary: a table of the segments, and per experiment the
// estimate the platform saw, with its interval, against the true effect, drawn by the same
// comparison chart as `ecosim chart --kind comparison`.

export interface SegmentFigures {
  readonly platform: string;
  readonly segment: string;
  readonly customers: number | null;
  readonly matches: number | null;
  readonly declined: number | null;
  readonly revenue: number | null;
  readonly customerValue: number | null;
}

export interface ExperimentFigures {
  readonly name: string;
  readonly platform: string;
  readonly unit: string;
  readonly metric: string;
  readonly segment: string | null;
  readonly start: number;
  readonly duration: number;
  readonly treated: number;
  readonly control: number;
  readonly estimate: number | null;
  readonly ciLow: number | null;
  readonly ciHigh: number | null;
  readonly pValue: number | null;
  readonly trueEffect: number | null;
  readonly bias: number | null;
  readonly decision: string;
  readonly adopted: boolean;
}

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const fmt = (v: number | null, digits = 4): string => (v === null ? 'n/a' : Math.abs(v) >= 1e4 ? Math.round(v).toLocaleString('en-US') : String(Number(v.toPrecision(digits))));

/** The segments block of a run summary (absent without segments). */
export function segmentFigures(summary: Record<string, unknown>): SegmentFigures[] {
  const raw = summary['segments'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((s) => ({
    platform: str(s['platform'], '?'),
    segment: str(s['segment'], '?'),
    customers: numOrNull(s['customers']),
    matches: numOrNull(s['matches']),
    declined: numOrNull(s['declined']),
    revenue: numOrNull(s['revenue']),
    customerValue: numOrNull(s['customerValue']),
  }));
}

/** The experiments block of a run summary (absent without experiments). */
export function experimentFigures(summary: Record<string, unknown>): ExperimentFigures[] {
  const raw = summary['experiments'];
  if (!Array.isArray(raw)) return [];
  return raw.filter(isRecord).map((e) => ({
    name: str(e['name'], '?'),
    platform: str(e['platform'], '?'),
    unit: str(e['unit'], 'customers'),
    metric: str(e['metric'], '?'),
    segment: typeof e['segment'] === 'string' ? e['segment'] : null,
    start: numOrNull(e['start']) ?? 0,
    duration: numOrNull(e['duration']) ?? 0,
    treated: numOrNull(e['treated']) ?? 0,
    control: numOrNull(e['control']) ?? 0,
    estimate: numOrNull(e['estimate']),
    ciLow: numOrNull(e['ciLow']),
    ciHigh: numOrNull(e['ciHigh']),
    pValue: numOrNull(e['pValue']),
    trueEffect: numOrNull(e['trueEffect']),
    bias: numOrNull(e['bias']),
    decision: str(e['decision'], 'none'),
    adopted: e['adopted'] === true,
  }));
}

function table(head: readonly string[], rows: readonly (readonly string[])[], id: string): string {
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('');
  return `<div class="table-wrap"><table class="data" id="${id}"><thead><tr>${head.map((h) => `<th>${esc(h)}</th>`).join('')}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** The segments section: who each segment is on each platform, what it buys and what it pays. */
export function segmentsSection(segments: readonly SegmentFigures[]): string {
  if (segments.length === 0) return '';
  const rows = segments.map((s) => [s.platform, s.segment, fmt(s.customers), fmt(s.matches), fmt(s.declined), fmt(s.revenue), fmt(s.customerValue)]);
  return `
<section><h2>Customer segments</h2>
${table(['platform', 'segment', 'customers (final)', 'matches (total)', 'declined (total)', 'revenue (total)', 'customer value (total)'], rows, 'segments-table')}
<p class="subtitle">Per tick and segment in segments.csv; summed over segments they give each platform's metrics.</p>
</section>`;
}

/** One experiment: what the platform estimated, with its 95% interval, against the true global effect. */
export function experimentChart(e: ExperimentFigures, options: { width?: number; height?: number } = {}): string {
  return comparisonChart(
    {
      metric: `${e.metric} per ${e.unit === 'partners' ? 'partner' : 'customer'}`,
      rows: [
        { scenario: 'A/B estimate', mean: e.estimate, low: e.ciLow, high: e.ciHigh },
        { scenario: 'true effect', mean: e.trueEffect },
      ],
    },
    { width: options.width ?? 720, height: options.height ?? 360, title: `${e.name}: estimate against the true effect` },
  );
}

/** The experiments section: a table of every test, and a chart of each estimate against the truth. */
export function experimentsSection(experiments: readonly ExperimentFigures[]): string {
  if (experiments.length === 0) return '';
  const rows = experiments.map((e) => [
    e.name,
    e.platform,
    `${e.unit}${e.segment === null ? '' : ` (${e.segment})`}`,
    `${e.start}–${e.start + e.duration - 1}`,
    `${e.treated} / ${e.control}`,
    `${fmt(e.estimate)} [${fmt(e.ciLow)}, ${fmt(e.ciHigh)}]`,
    e.pValue === null ? 'n/a' : e.pValue.toPrecision(3),
    fmt(e.trueEffect),
    fmt(e.bias),
    `${e.decision}${e.decision === 'none' ? '' : e.adopted ? ': adopted' : ': rolled back'}`,
  ]);
  const charts = experiments.map((e) => `<figure class="experiment">${experimentChart(e)}</figure>`).join('\n');
  return `
<section><h2>In-market experiments</h2>
${table(['experiment', 'platform', 'unit', 'ticks', 'treated / control', 'estimate [95% CI]', 'p', 'true effect', 'bias', 'decision'], rows, 'experiments-table')}
<p class="subtitle">The estimate is what the platform sees: treated against control units during the test, with Welch's interval. The true effect compares two copies of the market, the change applied to everyone and to no one; the bias is their difference, the interference between treated and control units.</p>
${charts}
</section>`;
}
