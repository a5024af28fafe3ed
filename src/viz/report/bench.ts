import fs from 'node:fs';
import os from 'node:os';
import nodePath from 'node:path';
import { writeResultDir } from '../../sim/output/resultDir.js';
import { METRIC_NAMES, TOTAL_METRICS } from '../../sim/metrics.js';
import { renderReport } from './report.js';

// A benchmark of the report: the time to render the report of a sweep of `points` points, each with
// every summary metric of two platforms (about 200 metrics), from a synthetic sweep directory.

/** The summary columns a sweep writes for `platforms` (final, total and mean of every metric). */
function summaryMetrics(platforms: readonly string[]): string[] {
  return platforms.flatMap((p) => [...METRIC_NAMES.map((m) => `${p}.final.${m}`), ...TOTAL_METRICS.map((m) => `${p}.total.${m}`), ...METRIC_NAMES.map((m) => `${p}.mean.${m}`)]);
}

/**
 * Writes a synthetic sweep directory (points.csv and manifest.json, as `ecosim sweep` writes them)
 * with `points` points over two parameters and about 200 metrics; returns the number of metrics.
 */
export function writeFakeSweep(dir: string, points = 200): number {
  const params = ['platforms.0.takeRate', 'customers.q'];
  const metrics = summaryMetrics(['all', 'orchestrator']);
  let state = 12345;
  const random = () => ((state = (Math.imul(state, 1103515245) + 12345) >>> 0) / 2 ** 32);
  const lines = [`point,${params.join(',')},metric,n,mean,sd,ci_low,ci_high`];
  const values: { index: number; values: Record<string, number> }[] = [];
  for (let p = 0; p < points; p++) {
    const takeRate = Number((0.05 + (0.3 * p) / Math.max(1, points - 1)).toPrecision(6));
    const q = Number((0.1 + 0.4 * random()).toPrecision(6));
    values.push({ index: p, values: { [params[0]!]: takeRate, [params[1]!]: q } });
    for (const [k, m] of metrics.entries()) {
      const mean = (k + 1) * 100 * (1 + takeRate) + random() * 50;
      const sd = 10 + random() * 20;
      const half = 2.776 * (sd / Math.sqrt(5));
      lines.push(`${p},${takeRate},${q},${m},5,${mean.toPrecision(10)},${sd.toPrecision(10)},${(mean - half).toPrecision(10)},${(mean + half).toPrecision(10)}`);
    }
  }
  const manifest = {
    tool: 'ecosim',
    command: 'sweep',
    design: { kind: 'lhs', params: params.map((path) => ({ kind: 'range', path, from: 0, to: 1 })), points: values },
    replications: 5,
    scenario: { name: 'benchmark sweep', ticks: 52, customers: { count: 10000 }, partners: { count: 500 } },
  };
  writeResultDir(dir, [{ name: 'points.csv', content: `${lines.join('\n')}\n` }], manifest);
  return metrics.length;
}

/** Milliseconds to render the report of a synthetic `points`-point sweep (the file writing is not timed). */
export async function benchReport(points = 200): Promise<number> {
  const dir = fs.mkdtempSync(nodePath.join(os.tmpdir(), 'ecosim-report-bench-'));
  try {
    writeFakeSweep(dir, points);
    const started = performance.now();
    const html = renderReport(dir);
    const ms = performance.now() - started;
    if (html.length === 0) throw new Error('empty report');
    return ms;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
