// The report page in a real browser (headless Chromium through playwright-core), offline: every
// chart is drawn, nothing is fetched, no error is logged, the tooltip follows the mouse and the
// metric picker redraws the chart. Saves a screenshot (1280×800) in the test's temporary directory:
// tests never write tracked files.
// Skipped where /usr/bin/chromium is missing; CI installs it (.ci/run).

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runManifest, scenarioFromObject, simulate, writeRunOutputs, VERSION } from '../src/index.js';
import { writeReport } from '../src/viz/report/report.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);

if (!HAVE_CHROMIUM) console.warn(`browser-report.test.ts skipped: ${CHROMIUM} not found (install it with: apt-get install chromium)`);

describe.skipIf(!HAVE_CHROMIUM)('report page in Chromium (needs /usr/bin/chromium)', () => {
  let base = '';
  let browser: Browser | undefined;
  let file = '';

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-browser-report-'));
    const dir = path.join(base, 'run');
    const scenario = scenarioFromObject({ ticks: 30, customers: { count: 1000 }, partners: { count: 50 }, network: { type: 'meanfield' } });
    writeRunOutputs(dir, simulate(scenario), runManifest({ version: VERSION, command: 'run', scenarioFile: 'tiny.yaml', settings: [], replication: 0, scenario }));
    file = writeReport(dir);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    if (base !== '') fs.rmSync(base, { recursive: true, force: true });
  });

  it('draws every chart offline, with tooltips, a working metric picker and no errors', async () => {
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
      if (m.type() === 'error') errors.push(`console: ${m.text()}`);
    });
    page.on('pageerror', (e) => errors.push(`page: ${e.message}`));

    await page.goto(pathToFileURL(file).href, { waitUntil: 'load' });

    // Every chart has drawn marks.
    const charts = await page.$$eval('svg.chart', (svgs) => svgs.map((s) => ({ id: s.id, marks: s.querySelectorAll('path[d], rect').length })));
    expect(charts.map((c) => c.id)).toEqual(['timeseries', 'adoption', 'moneyflow']);
    for (const c of charts) expect(c.marks, `marks in #${c.id}`).toBeGreaterThan(2);
    const series = await page.$$eval('#timeseries path.series', (ps) => ps.map((p) => p.getAttribute('d') ?? ''));
    expect(series.length).toBeGreaterThan(0);
    for (const d of series) expect(d.length).toBeGreaterThan(20);

    // Hover: the tooltip shows the tick and a value.
    const tooltip = page.locator('div.tooltip');
    await expect.poll(() => tooltip.isVisible()).toBe(false);
    const overlay = page.locator('#timeseries rect.overlay');
    const box = (await overlay.boundingBox())!;
    await overlay.hover({ position: { x: box.width * 0.6, y: box.height * 0.5 } });
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    const tip = (await tooltip.textContent()) ?? '';
    expect(tip).toMatch(/tick \d+/);
    expect(tip).toMatch(/orchestrator: -?[\d,.]+/);
    await page.mouse.move(0, 0);
    await expect.poll(() => tooltip.isVisible()).toBe(false);

    // The picker redraws the chart.
    const title = () => page.locator('#timeseries .chart-title').textContent();
    const before = { title: await title(), d: await page.locator('#timeseries path.series').first().getAttribute('d') };
    expect(before.title).toContain('customers');
    await page.selectOption('#metric', 'revenue');
    const after = { title: await title(), d: await page.locator('#timeseries path.series').first().getAttribute('d') };
    expect(after.title).toContain('revenue');
    expect(after.d).not.toBe(before.d);
    await page.selectOption('#metric', 'customers');

    // The scenario is there, collapsed until asked.
    await page.locator('details#scenario summary').click();
    await expect.poll(() => page.locator('details#scenario pre').isVisible()).toBe(true);
    await page.locator('details#scenario summary').click();

    // The screenshot for the docs: the time series with its picker and a tooltip, at 1280×800.
    await page.locator('#metric').evaluate((el) => el.closest('section')?.scrollIntoView());
    await overlay.hover({ position: { x: box.width * 0.55, y: box.height * 0.4 } });
    await expect.poll(() => tooltip.isVisible()).toBe(true);
    const screenshot = path.join(base, 'report-screenshot.png');
    await page.screenshot({ path: screenshot });
    expect(fs.statSync(screenshot).size).toBeGreaterThan(10_000);

    expect(blocked).toEqual([]);
    expect(errors).toEqual([]);
    await context.close();
  });
});
