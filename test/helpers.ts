import net from 'node:net';
import { writeResultDir } from '../src/sim/output/resultDir.js';
import { scenarioFromObject } from '../src/sim/scenario/load.js';
import type { MetricRow } from '../src/sim/metrics.js';
import type { SimulationResult } from '../src/sim/result.js';

/** A resolved scenario from a plain object: defaults for every key not given. */
export const scenario = (raw: Record<string, unknown> = {}) => scenarioFromObject(raw);

export function rowsOf(r: SimulationResult, platform = 'orchestrator'): MetricRow[] {
  return r.metrics.filter((x) => x.platform === platform);
}

export function sum(rows: readonly MetricRow[], key: keyof MetricRow, from = 0): number {
  let s = 0;
  for (const r of rows) if (r.tick >= from) s += r[key] as number;
  return s;
}

export function mean(rows: readonly MetricRow[], key: keyof MetricRow, from = 0): number {
  const sel = rows.filter((r) => r.tick >= from);
  return sel.length ? sel.reduce((a, r) => a + (r[key] as number), 0) / sel.length : NaN;
}

/** Totals of leaked and matched transactions give the run's leakage rate. */
export function leakage(rows: readonly MetricRow[], from = 0): number {
  const leaked = sum(rows, 'leaked', from);
  return leaked / (leaked + sum(rows, 'matches', from));
}

/** Writes a hand-made result directory: the files, then a manifest (tool "ecosim" added) listing their digests. */
export function writeFixture(dir: string, files: Readonly<Record<string, string>>, manifest: Readonly<Record<string, unknown>> = {}): void {
  writeResultDir(dir, Object.entries(files).map(([name, content]) => ({ name, content })), { tool: 'ecosim', ...manifest });
}

/** A free port on loopback, found by binding and releasing it. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}
