import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { renderReport, runManifest, simulate, writeRunOutputs } from '../src/index.js';
import { experimentFigures } from '../src/viz/report/marketSections.js';
import { scenario } from './helpers.js';

// The report of a run with customer segments and in-market experiments shows each segment and, per
// experiment, the estimate the platform saw against the true effect (issue: segments and A/B tests).
const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-report-market-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function reportOf(raw: Record<string, unknown>): { html: string; summary: Record<string, unknown> } {
  const s = scenario(raw);
  const result = simulate(s);
  const dir = path.join(base, String(fs.readdirSync(base).length));
  writeRunOutputs(dir, result, runManifest({ version: 'test', command: 'run', scenarioFile: 'test.yaml', settings: [], replication: 0, scenario: s }));
  return { html: renderReport(dir), summary: result.summary as unknown as Record<string, unknown> };
}

const SMALL = { ticks: 40, customers: { count: 3000 }, partners: { count: 150 }, network: { type: 'meanfield' } };

describe('the report of segments and experiments', () => {
  it('has a row per platform and segment, with the summary\'s figures', () => {
    const { html, summary } = reportOf({
      ...SMALL,
      customers: { count: 3000, segments: [{ name: 'consumers', share: 0.7 }, { name: 'business', share: 0.3, valueMean: 4 }] },
      platforms: [{ segmentPolicies: { business: { subscription: 0.2 } } }],
    });
    const table = html.slice(html.indexOf('id="segments-table"'), html.indexOf('</table>', html.indexOf('id="segments-table"')));
    expect(table.match(/<tr>/g)).toHaveLength(3);
    const business = (summary['segments'] as { segment: string; customers: number }[]).find((x) => x.segment === 'business')!;
    // Fewer than 10 000 customers: shown to four significant digits.
    expect(business.customers).toBeLessThan(1e4);
    expect(table).toContain(`<td>business</td><td>${Number(business.customers.toPrecision(4))}</td>`);
  });

  it('draws each experiment: its estimate with the interval, and the true effect', () => {
    const { html, summary } = reportOf({
      ...SMALL,
      platforms: [{ subsidyBudget: null }],
      experiments: [
        { name: 'coupon', start: 20, duration: 10, set: { couponValue: 0.3 }, metric: 'matches', decision: 'adoptIfBetter' },
        { name: 'listing', start: 20, duration: 10, unit: 'partners', set: { listingFee: 0.3 }, metric: 'partnerValue' },
      ],
    });
    const experiments = experimentFigures(summary);
    expect(experiments).toHaveLength(2);
    expect(html.match(/<figure class="experiment">/g)).toHaveLength(2);
    expect(html).toContain('coupon: estimate against the true effect');
    const coupon = experiments[0]!;
    expect(coupon.estimate).not.toBeNull();
    expect(html).toContain(`${Number(coupon.estimate!.toPrecision(4))} [${Number(coupon.ciLow!.toPrecision(4))}, ${Number(coupon.ciHigh!.toPrecision(4))}]`);
    expect(html).toContain(String(Number(coupon.trueEffect!.toPrecision(4))));
    expect(html).toContain(coupon.adopted ? 'adoptIfBetter: adopted' : 'adoptIfBetter: rolled back');
  });

  it('has neither section for a run without segments or experiments', () => {
    const { html } = reportOf(SMALL);
    expect(html).not.toContain('segments-table');
    expect(html).not.toContain('experiments-table');
  });
});
