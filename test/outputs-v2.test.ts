import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { metricsCsv, renderReport, runManifest, simulate, writeRunOutputs } from '../src/index.js';
import { scenario } from './helpers.js';

// The metrics that model version 2 adds (docs/model.md section 7) reach every output: metrics.csv,
// the summary's totals and the report's metric picker.
describe('version 2 metrics in the outputs', () => {
  const s = scenario({ ticks: 30, customers: { count: 2000, riskAversion: 2 }, partners: { count: 100 }, network: { type: 'meanfield' } });
  const result = simulate(s);

  it('metrics.csv has declined, conversion and membershipValue, consistent with the other columns', () => {
    const [header, ...lines] = metricsCsv(result.metrics).trim().split('\n');
    const cols = header!.split(',');
    for (const m of ['declined', 'conversion', 'membershipValue']) expect(cols).toContain(m);
    const last = lines[lines.length - 1]!.split(',').map(Number);
    const at = (m: string) => last[cols.indexOf(m)]!;
    expect(at('declined')).toBeGreaterThan(0);
    expect(at('conversion')).toBeCloseTo(at('matches') / (at('matches') + at('declined') + at('unmet')), 6);
    expect(at('membershipValue')).toBeGreaterThan(0);
  });

  it('the summary recomputes conversion from the run totals', () => {
    const t = result.summary.all.total;
    expect(t.conversion).toBeCloseTo(t.matches / (t.matches + t.declined + t.unmet), 12);
    expect(t.conversion).toBeLessThan(t.matchRate);
  });

  it("the report's metric picker offers the new metrics", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-v2-'));
    try {
      writeRunOutputs(dir, result, runManifest({ version: 'test', command: 'run', scenarioFile: 'test.yaml', settings: [], replication: 0, scenario: s }));
      const html = renderReport(dir);
      for (const m of ['declined', 'conversion', 'membershipValue']) expect(html).toContain(`"${m}"`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
