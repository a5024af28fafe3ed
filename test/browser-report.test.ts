// The report pages in a real browser (headless Chromium through playwright-core), offline, for a run,
// a one-parameter sweep with timeseries.csv, a two-parameter sweep and a comparison without and with
// timeseries.csv: every chart is drawn (an SVG with marks, by the chart code of "ecosim chart"), every
// legend swatch has the colour of the line it names, nothing is fetched, no error is logged, and the
// metric pickers redraw.
// Screenshots go to the test's temporary directory: tests never write tracked files.
// Skipped where /usr/bin/chromium is missing (apt-get install chromium fonts-dejavu-core).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compare, runManifest, scenarioFromObject, simulate, sweep, writeRunOutputs, VERSION } from '../src/index.js';
import { compareOutputFiles, writeResult } from '../src/experiment/sweepOutputs.js';
import { writeReport } from '../src/viz/report/report.js';
import { writeFixture } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);

if (!HAVE_CHROMIUM) console.warn(`browser-report.test.ts skipped: ${CHROMIUM} not found (install it with: apt-get install chromium)`);

const COMPARE_CSV = `metric,scenario,n,mean,sd,ci_low,ci_high,diff,diff_ci_low,diff_ci_high,t,df,p
all.total.ecosystemValue,cold-start-none,3,3252.2,244.6,2644.5,3859.8,,,,,,
all.total.ecosystemValue,cold-start-subsidy,3,1843.7,222.6,1290.6,2396.8,-1408.4,-1940.5,-876.3,-7.37,3.96,0.0018
all.total.ecosystemValue,cold-start-coupons,3,2843.7,222.6,2290.6,3396.8,-408.4,-940.5,123.7,-2.37,3.96,0.08
all.total.leakageRate,cold-start-none,3,0.0667,0.019,0.0195,0.114,,,,,,
all.total.leakageRate,cold-start-subsidy,3,0.0912,0.0163,0.0507,0.1318,0.0245,-0.016,0.065,1.69,3.91,0.167
all.total.leakageRate,cold-start-coupons,3,0.0712,0.0163,0.0307,0.1118,0.0045,-0.036,0.045,1.69,3.91,0.567
`;

describe.skipIf(!HAVE_CHROMIUM)('report pages in Chromium (needs /usr/bin/chromium)', () => {
  let base = '';
  let browser: Browser | undefined;
  const files: Record<string, string> = {};

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-browser-report-'));
    const tiny = { ticks: 20, customers: { count: 400 }, partners: { count: 30 }, network: { type: 'meanfield' } };
    const scenario = scenarioFromObject(tiny);
    writeRunOutputs(path.join(base, 'run'), simulate(scenario), runManifest({ version: VERSION, command: 'run', scenarioFile: 'tiny.yaml', settings: [], replication: 0, scenario }));
    await sweep({ scenario: tiny, file: 'tiny.yaml', params: [{ kind: 'list', path: 'platforms.0.takeRate', values: [0.05, 0.15, 0.3] }], replications: 2, workers: 1, timeseries: true, out: path.join(base, 'sweep') });
    await sweep({
      scenario: tiny,
      file: 'tiny.yaml',
      params: [
        { kind: 'list', path: 'platforms.0.takeRate', values: [0.05, 0.15, 0.3] },
        { kind: 'list', path: 'customers.count', values: [200, 400] },
      ],
      workers: 1,
      out: path.join(base, 'sweep2'),
    });
    writeFixture(path.join(base, 'compare'), { 'compare.csv': COMPARE_CSV }, { command: 'compare', scenarios: [] });
    const compared = await compare({
      arms: [
        { name: 'cheap', scenario: tiny, settings: ['platforms.0.takeRate=0.05'] },
        { name: 'dear', scenario: tiny, settings: ['platforms.0.takeRate=0.3'] },
      ],
      replications: 2,
      workers: 1,
      metrics: ['all.total.revenue', 'all.final.customers'],
      timeseries: true,
    });
    writeResult(path.join(base, 'compare-ts'), compareOutputFiles(compared, VERSION));
    for (const d of ['run', 'sweep', 'sweep2', 'compare', 'compare-ts']) files[d] = writeReport(path.join(base, d));
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (base !== '') fs.rmSync(base, { recursive: true, force: true });
  });

  /** Opens a report with every request but file: blocked, and collects errors. */
  async function open(name: string): Promise<{ page: Page; errors: string[]; blocked: string[]; close: () => Promise<void> }> {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 } });
    const blocked: string[] = [];
    await context.route('**', (route) => {
      const url = route.request().url();
      if (url.startsWith('file:')) return route.continue();
      blocked.push(url);
      return route.abort();
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));
    await page.goto(pathToFileURL(files[name]!).href, { waitUntil: 'load' });
    return { page, errors, blocked, close: () => context.close() };
  }

  /** Every chart place holds an SVG with marks, and no place says it could not draw. */
  async function chartsDrawn(page: Page): Promise<string[]> {
    const charts = await page.$$eval('div.chart', (divs) => divs.map((d) => ({ id: d.id, svg: d.querySelector('svg') !== null, marks: d.querySelectorAll('path[d], rect, circle').length, empty: d.classList.contains('empty') ? d.textContent : '' })));
    for (const c of charts) {
      expect(c.empty, `#${c.id}`).toBe('');
      expect(c.svg, `#${c.id} has an svg`).toBe(true);
      expect(c.marks, `marks in #${c.id}`).toBeGreaterThan(2);
    }
    return charts.map((c) => c.id);
  }

  /** Each legend swatch that names a line has that line's colour; returns how many were matched. */
  async function legendsMatchLines(page: Page): Promise<number> {
    const pairs = await page.$$eval('div.chart svg', (svgs) =>
      svgs.flatMap((svg) => {
        const lines = new Map(Array.from(svg.querySelectorAll('path.series[data-label]')).map((p) => [p.getAttribute('data-label'), p.getAttribute('stroke')]));
        return Array.from(svg.querySelectorAll('.swatch')).filter((s) => lines.has(s.getAttribute('data-label'))).map((s) => ({ label: s.getAttribute('data-label'), swatch: s.getAttribute('data-color'), line: lines.get(s.getAttribute('data-label')) }));
      }),
    );
    for (const p of pairs) expect(p.swatch, `swatch of "${p.label}"`).toBe(p.line);
    return pairs.length;
  }

  async function shot(page: Page, name: string): Promise<void> {
    const file = path.join(base, `${name}.png`);
    await page.screenshot({ path: file, fullPage: true });
    expect(fs.statSync(file).size).toBeGreaterThan(10_000);
  }

  it('run: time series, adoption and money flow drawn; the picker redraws', async () => {
    const { page, errors, blocked, close } = await open('run');
    expect(await chartsDrawn(page)).toEqual(['timeseries', 'adoption', 'moneyflow']);
    expect(await legendsMatchLines(page)).toBeGreaterThan(0);
    const title = () => page.locator('#timeseries svg title').textContent();
    expect(await title()).toBe('customers over time');
    await page.selectOption('#metric', 'revenue');
    expect(await title()).toBe('revenue over time');
    await shot(page, 'run');
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });

  it('sweep with timeseries.csv: response with a legend of the line colour, and curves over time', async () => {
    const { page, errors, blocked, close } = await open('sweep');
    expect(await chartsDrawn(page)).toEqual(['response', 'sweep-timeseries']);
    expect(await legendsMatchLines(page)).toBeGreaterThanOrEqual(4); // the mean line, and one line per point
    expect(await page.locator('#sweep-timeseries path.series').count()).toBe(3);
    expect(await page.locator('#sweep-timeseries path.band').count()).toBe(3);
    await page.selectOption('#ts-metric', 'partners');
    expect(await page.locator('#sweep-timeseries svg title').textContent()).toBe('partners over time');
    expect(await page.locator('#points-table tbody tr').count()).toBe(3);
    await shot(page, 'sweep');
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });

  it('two-parameter sweep: one line per level of the second parameter with its legend, and a heatmap', async () => {
    const { page, errors, blocked, close } = await open('sweep2');
    expect(await chartsDrawn(page)).toEqual(['response', 'heatmap']);
    const lines = await page.locator('#response path.series').count();
    expect(lines).toBeGreaterThan(1);
    expect(await legendsMatchLines(page)).toBe(lines);
    expect(lines).toBe(2);
    expect(await page.locator('#heatmap rect.cell').count()).toBe(6);
    await shot(page, 'sweep2');
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });

  it('comparison: bars and differences, scenario names kept apart', async () => {
    const { page, errors, blocked, close } = await open('compare');
    expect(await chartsDrawn(page)).toEqual(['comparison']);
    const panels = await page.$$eval('#comparison g.panel', (gs) => gs.map((g) => Array.from(g.querySelectorAll('.axis.band text')).map((t) => t.textContent)));
    expect(panels.map((p) => p.length)).toEqual([3, 2]);
    for (const labels of panels) expect(new Set(labels).size).toBe(labels.length);
    await page.selectOption('#metric', 'all.total.leakageRate');
    expect(await page.locator('#comparison svg title').textContent()).toBe('leakage rate, run total by scenario');
    await shot(page, 'compare');
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });

  it('comparison with timeseries.csv: curves over time, a line and a band per scenario; the picker redraws', async () => {
    const { page, errors, blocked, close } = await open('compare-ts');
    expect(await chartsDrawn(page)).toEqual(['comparison', 'compare-timeseries']);
    expect(await page.locator('#compare-timeseries path.series').count()).toBe(2);
    expect(await page.locator('#compare-timeseries path.band').count()).toBe(2);
    expect(await legendsMatchLines(page)).toBeGreaterThanOrEqual(2);
    const title = () => page.locator('#compare-timeseries svg title').textContent();
    expect(await title()).toBe('customers over time');
    await page.selectOption('#ts-metric', 'revenue');
    expect(await title()).toBe('revenue over time');
    await shot(page, 'compare-ts');
    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await close();
  });
});
