import { scaleBand, scaleLinear } from 'd3-scale';
import { bandAxis, clampFinite, extentOf, tickFormatter, yAxisLinear } from './axes.js';
import { chartSize, ChartError, frame, num, PALETTE, svgDocument, text, THEME, type ChartOptions } from './theme.js';

// Where the value went in a run, as a waterfall: partner value + customer value + orchestrator
// revenue - orchestration costs = ecosystem value (docs/model.md section 7).

export interface MoneyFlowData {
  readonly partnerValue: number | null;
  readonly customerValue: number | null;
  readonly revenue: number | null;
  readonly orchestrationCost: number | null;
  /** The total; computed from the other four when absent. */
  readonly ecosystemValue?: number | null;
  /** Currency or unit of money for the axis, default "money". */
  readonly unit?: string;
  /** What run or platform this is, for the title. */
  readonly name?: string;
}

/** A waterfall of the value created and spent in a run, ending in the ecosystem value. */
export function moneyflowChart(data: MoneyFlowData, options: ChartOptions = {}): string {
  const chart = 'moneyflow';
  const size = chartSize(options, chart);
  const { width, height } = size;
  const steps = [
    { label: 'partner value', v: clampFinite(data.partnerValue) },
    { label: 'customer value', v: clampFinite(data.customerValue) },
    { label: 'orchestrator revenue', v: clampFinite(data.revenue) },
    { label: 'orchestration costs', v: clampFinite(data.orchestrationCost) === undefined ? undefined : -clampFinite(data.orchestrationCost)! },
  ];
  if (steps.every((s) => s.v === undefined) && clampFinite(data.ecosystemValue) === undefined) throw new ChartError(`${chart}: no money values to draw`);
  const total = clampFinite(data.ecosystemValue) ?? steps.reduce((a, s) => a + (s.v ?? 0), 0);

  let run = 0;
  const bars = steps.map((s) => {
    const from = run;
    run += s.v ?? 0;
    return { label: s.label, from, to: run, v: s.v, total: false };
  });
  bars.push({ label: 'ecosystem value', from: 0, to: total, v: total, total: true });

  const title = options.title ?? `Where the value went${data.name ? `: ${data.name}` : ''}`;
  const f = frame(width, height, {}, title !== '');
  const unit = data.unit ?? 'money';
  const y = scaleLinear().domain(extentOf(bars.flatMap((b) => [b.from, b.to]), { zero: true })).nice().range([f.bottom, f.top]);
  const x = scaleBand<string>().domain(bars.map((b) => b.label)).range([f.left, f.right]).padding(0.25);
  const fmt = tickFormatter(y, 6);
  const parts: string[] = [yAxisLinear(y, f, { title: `value over the run (${unit})` }), bandAxis(x, f)];
  bars.forEach((b, i) => {
    const x0 = x(b.label) ?? f.left;
    const top = y(Math.max(b.from, b.to));
    const bottom = y(Math.min(b.from, b.to));
    const color = b.total ? PALETTE[3]! : b.v === undefined ? '#cccccc' : b.v >= 0 ? PALETTE[2]! : PALETTE[4]!;
    parts.push(`<rect class="bar" x="${num(x0)}" y="${num(top)}" width="${num(x.bandwidth())}" height="${num(Math.max(bottom - top, 1))}" fill="${color}"/>`);
    const label = b.v === undefined ? 'n/a' : `${b.v >= 0 && !b.total ? '+' : ''}${fmt(b.v)}`;
    parts.push(text(x0 + x.bandwidth() / 2, Math.max(top - 8, f.top + 12), label, { 'text-anchor': 'middle', 'font-size': THEME.tickSize, 'font-weight': 'bold', fill: THEME.text, class: 'bar-label' }));
    const next = bars[i + 1];
    if (next !== undefined && !next.total) {
      const yy = y(b.to);
      parts.push(`<line class="connector" x1="${num(x0 + x.bandwidth())}" x2="${num((x(next.label) ?? x0))}" y1="${num(yy)}" y2="${num(yy)}" stroke="${THEME.muted}" stroke-dasharray="4 3"/>`);
    }
  });
  parts.push(`<line class="zero" x1="${num(f.left)}" x2="${num(f.right)}" y1="${num(y(0))}" y2="${num(y(0))}" stroke="${THEME.axis}"/>`);
  return svgDocument(size, parts.join(''), title);
}
