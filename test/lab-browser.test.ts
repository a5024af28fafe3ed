// The lab in a real browser (headless Chromium through playwright-core), from the --out file and
// from the server on 127.0.0.1: it plays and every chart grows; a take-rate change at tick 20 shows
// its marker on every chart and in the timeline, and moves the metrics from tick 20 on and not
// before; the session saved as a scenario and run by `ecosim run` gives the lab's CSV byte for byte;
// a reset with the same seed gives the same rows again, with the previous run as a ghost; the
// charts grow by their new points, their SVG elements kept, rather than being drawn anew; a bad
// file gets the messages of `ecosim validate` in the page; no console error; from the file, no
// request at all. Downloads go to the test's temporary directory: tests never write tracked files.
// Skipped where /usr/bin/chromium is missing; CI installs it (.ci/run).

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labLibrary } from '../src/cli/lab.js';
import { labBundles } from '../src/viz/lab/bundle.js';
import { labHtml } from '../src/viz/lab/html.js';
import { serveLab, type LabServer } from '../src/viz/lab/server.js';

const CHROMIUM = '/usr/bin/chromium';
const HAVE_CHROMIUM = fs.existsSync(CHROMIUM);
if (!HAVE_CHROMIUM) console.warn(`lab-browser.test.ts skipped: ${CHROMIUM} not found (install it with: apt-get install chromium fonts-dejavu-core)`);

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const LESSON = `# a small market for the browser test
name: lesson
ticks: 60
seed: 5
customers: { count: 2000 }
partners: { count: 100 }
network: { type: meanfield }
`;

/** How long a condition on the page may take to hold: the machine may be busy. */
const WAIT = { timeout: 15_000 };

const ecosim = (args: string[], cwd: string) => spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, encoding: 'utf8', timeout: 120_000 });

interface Watch { errors: string[]; requests: string[] }

async function open(context: BrowserContext, url: string): Promise<{ page: Page; watch: Watch }> {
  const page = await context.newPage();
  const watch: Watch = { errors: [], requests: [] };
  page.on('console', (m) => {
    if (m.type() === 'error') watch.errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => watch.errors.push(`page: ${e.message}`));
  page.on('request', (r) => watch.requests.push(r.url()));
  await page.goto(url, { waitUntil: 'load' });
  await expect.poll(() => page.textContent('#tick'), WAIT).toBe('tick 0 / 60');
  return { page, watch };
}

async function download(page: Page, button: string, dir: string): Promise<string> {
  const [d] = await Promise.all([page.waitForEvent('download'), page.click(button)]);
  const file = path.join(dir, d.suggestedFilename());
  await d.saveAs(file);
  return fs.readFileSync(file, 'utf8');
}

async function playToEnd(page: Page): Promise<void> {
  await page.selectOption('#speed', 'max');
  await page.click('#play');
  await expect.poll(() => page.textContent('#rate'), { timeout: 60_000 }).toBe('ended');
  await expect.poll(() => page.textContent('#tick'), WAIT).toBe('tick 60 / 60');
}

/** Steps one tick at a time up to `tick`. */
async function stepTo(page: Page, tick: number): Promise<void> {
  const now = Number(/tick (\d+)/.exec((await page.textContent('#tick')) ?? '')![1]);
  for (let t = now; t < tick; t++) {
    await page.click('#step');
    await expect.poll(() => page.textContent('#tick'), WAIT).toBe(`tick ${t + 1} / 60`);
  }
}

/** Charts out of view are redrawn when they come into view: each one, scrolled to, shows the marker. */
async function expectMarkerOnEveryChart(page: Page, tick: number): Promise<void> {
  const figures = page.locator('#charts figure');
  expect(await figures.count()).toBe(5);
  for (let i = 0; i < 5; i++) {
    await figures.nth(i).scrollIntoViewIfNeeded();
    await expect.poll(() => figures.nth(i).locator(`g.marker[data-tick="${tick}"]`).count(), WAIT).toBe(1);
  }
}

const seriesLength = (page: Page) => page.$$eval('#charts figure', (fs) => fs.map((f) => Math.max(0, ...Array.from(f.querySelectorAll('path.series, path.customers')).map((p) => ((p as { getAttribute(name: string): string | null }).getAttribute('d') ?? '').length))));
const rowsOf = (csv: string) => csv.trim().split('\n').slice(1);
const tickOf = (row: string) => Number(row.split(',')[0]);

describe.skipIf(!HAVE_CHROMIUM)('the lab in Chromium (needs /usr/bin/chromium)', () => {
  let base = '';
  let file = '';
  let browser: Browser | undefined;
  let server: LabServer | undefined;

  beforeAll(async () => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-lab-browser-'));
    fs.writeFileSync(path.join(base, 'lesson.yaml'), LESSON);
    const html = labHtml(await labLibrary(path.join(base, 'lesson.yaml')), await labBundles());
    file = path.join(base, 'lab.html');
    fs.writeFileSync(file, html);
    server = await serveLab(html, '127.0.0.1', 0);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (base !== '') fs.rmSync(base, { recursive: true, force: true });
  });

  it('from the file: plays, marks a change, replays by the CLI byte for byte, resets to the same rows, offline', async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1600 }, acceptDownloads: true });
    const { page, watch } = await open(context, pathToFileURL(file).href);
    expect(await page.inputValue('#seed')).toBe('5');

    // Step to tick 20: the charts are there and grow as ticks come (all in view in this tall window).
    await stepTo(page, 10);
    await expect.poll(() => page.locator('#charts figure').count(), WAIT).toBe(5);
    const early = await seriesLength(page);
    await stepTo(page, 20);
    await expect.poll(async () => (await seriesLength(page)).every((n, i) => n > early[i]!), WAIT).toBe(true);

    // The take-rate slider at tick 20: a timeline entry, then a marker on every chart.
    await page.locator('#policy-takeRate').fill('0.3');
    await expect.poll(() => page.locator('#timeline li').allTextContents(), WAIT).toEqual(['1. tick 20: takeRate 0.3']);
    await playToEnd(page);
    await expectMarkerOnEveryChart(page, 20);
    const changed = await download(page, '#save-csv', base);
    const yaml = await download(page, '#save-scenario', base);
    expect(yaml).toContain('takeRate: 0.3');

    // `ecosim run` on the saved session gives the lab's CSV byte for byte.
    fs.writeFileSync(path.join(base, 'session.yaml'), yaml);
    const run = ecosim(['run', 'session.yaml', '--out', 'replay', '--quiet'], base);
    expect(run.stderr).toBe('');
    expect(fs.readFileSync(path.join(base, 'replay', 'metrics.csv'), 'utf8')).toBe(changed);

    // Reset with the same seed and no change: the same rows before tick 20, others from tick 20 on.
    await page.click('#reset');
    await expect.poll(() => page.textContent('#tick'), WAIT).toBe('tick 0 / 60');
    await expect.poll(() => page.locator('#timeline li').count(), WAIT).toBe(0);
    await playToEnd(page);
    const plain = await download(page, '#save-csv', base);
    const [a, b] = [rowsOf(changed), rowsOf(plain)];
    expect(a.length).toBe(b.length);
    expect(a.filter((r) => tickOf(r) < 20)).toEqual(b.filter((r) => tickOf(r) < 20));
    expect(a.filter((r) => tickOf(r) >= 20)).not.toEqual(b.filter((r) => tickOf(r) >= 20));
    // The previous run is drawn as a ghost.
    await expect.poll(() => page.locator('#charts figure path.series[data-label$="previous run"]').count(), WAIT).toBeGreaterThan(0);

    // Reset again: the same rows again.
    await page.click('#reset');
    await expect.poll(() => page.textContent('#tick'), WAIT).toBe('tick 0 / 60');
    await playToEnd(page);
    expect(await download(page, '#save-csv', base)).toBe(plain);

    // Reset while it plays: rows of the run stopped half way do not leak into the next one.
    await page.click('#reset');
    await expect.poll(() => page.textContent('#tick'), WAIT).toBe('tick 0 / 60');
    await page.selectOption('#speed', '30');
    await page.click('#play');
    await expect.poll(() => page.textContent('#tick').then((t) => Number(/tick (\d+)/.exec(t ?? '')![1])), WAIT).toBeGreaterThanOrEqual(5);
    await page.click('#reset');
    await expect.poll(() => page.textContent('#tick'), WAIT).toBe('tick 0 / 60');
    await playToEnd(page);
    expect(await download(page, '#save-csv', base)).toBe(plain);

    // A bad file: the messages of `ecosim validate`, and the lab goes on.
    const bad = 'customers:\n  count: -3\n  cuont: 4\n';
    fs.writeFileSync(path.join(base, 'bad.yaml'), bad);
    const validate = ecosim(['validate', 'bad.yaml'], base);
    expect(validate.status).toBe(2);
    await page.setInputFiles('#file', { name: 'bad.yaml', mimeType: 'text/yaml', buffer: Buffer.from(bad) });
    await expect.poll(() => page.textContent('#message'), WAIT).toBe(validate.stderr.trimEnd());
    expect(await page.textContent('#tick')).toBe('tick 60 / 60');

    // Each chart exports as SVG and as PNG.
    const svg = await download(page, '#charts figure[data-chart="adoption"] .export-svg', base);
    expect(svg).toMatch(/^<\?xml[^]*<svg[^]*<\/svg>\s*$/);
    const [png] = await Promise.all([page.waitForEvent('download'), page.click('#charts figure[data-chart="money"] .export-png')]);
    const pngFile = path.join(base, png.suggestedFilename());
    await png.saveAs(pngFile);
    expect(png.suggestedFilename()).toBe('lesson-money.png');
    expect(fs.readFileSync(pngFile).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(fs.statSync(pngFile).size).toBeGreaterThan(10_000);

    expect(watch.errors).toEqual([]);
    expect(watch.requests.filter((u) => u !== pathToFileURL(file).href && !u.startsWith('blob:'))).toEqual([]);
    await context.close();
  });

  it('grows the charts by their points without drawing them anew, marks a change on them, and keeps the previous run as a ghost on the adoption chart', async () => {
    const context = await browser!.newContext({ viewport: { width: 1400, height: 1600 } });
    const { page, watch } = await open(context, server!.url);
    const tickNow = () => page.textContent('#tick').then((t) => Number(/tick (\d+)/.exec(t ?? '')![1]));
    await page.selectOption('#speed', '10');
    await page.click('#play');
    await expect.poll(() => page.locator('#charts figure').count(), WAIT).toBe(5);
    await expect.poll(tickNow, WAIT).toBeGreaterThanOrEqual(3);
    // The charts of shares (adoption, match rate and leakage) never need a taller axis: from now on
    // their SVG elements stay the same, and only their lines' paths change.
    const ids = ['adoption', 'liquidity'];
    await page.evaluate((ids) => {
      const w = window as unknown as { probe: { svgs: Element[]; replaced: number; grown: number } };
      w.probe = { svgs: ids.map((id) => document.querySelector(`#charts figure[data-chart="${id}"] svg`)!), replaced: 0, grown: 0 };
      const seen = new MutationObserver((records) => {
        for (const r of records) {
          if (r.type === 'childList') w.probe.replaced++;
          else if (r.attributeName === 'd') w.probe.grown++;
        }
      });
      for (const id of ids) {
        const body = document.querySelector(`#charts figure[data-chart="${id}"] .svg`)!;
        seen.observe(body, { childList: true });
        for (const p of Array.from(body.querySelectorAll('path.series'))) seen.observe(p, { attributes: true, attributeFilter: ['d'] });
      }
    }, ids);
    const probe = () => page.evaluate((ids) => {
      const w = window as unknown as { probe: { svgs: Element[]; replaced: number; grown: number } };
      return {
        same: ids.map((id, i) => document.querySelector(`#charts figure[data-chart="${id}"] svg`) === w.probe.svgs[i]),
        replaced: w.probe.replaced,
        grown: w.probe.grown,
        lengths: ids.map((id) => Array.from(document.querySelectorAll(`#charts figure[data-chart="${id}"] path.series`)).map((p) => p.getAttribute('d')!.length)),
      };
    }, ids);
    const start = await probe();
    const samples = [];
    while ((await tickNow()) < 20) {
      samples.push(await probe());
      await page.waitForTimeout(200);
    }
    const later = await probe();
    for (const p of [...samples, later]) {
      expect(p.same).toEqual([true, true]);
      expect(p.replaced).toBe(0);
    }
    expect(later.grown).toBeGreaterThan(0);
    later.lengths.forEach((ls, c) => ls.forEach((n, i) => expect(n, `${ids[c]} line ${i}`).toBeGreaterThan(start.lengths[c]![i]!)));

    // A change while it plays: its marker is added to the charts in place.
    await page.locator('#policy-takeRate').fill('0.3');
    await expect.poll(() => page.locator('#timeline li').count(), WAIT).toBe(1);
    const at = Number(await page.locator('#timeline li').first().getAttribute('data-tick'));
    for (const id of ids) await expect.poll(() => page.locator(`#charts figure[data-chart="${id}"] g.marker[data-tick="${at}"]`).count(), WAIT).toBe(1);
    expect(await probe()).toMatchObject({ same: [true, true], replaced: 0 });

    // After a reset the adoption chart shows the previous run's customers and partners, faint and dashed.
    await page.selectOption('#speed', 'max');
    await expect.poll(() => page.textContent('#rate'), { timeout: 60_000 }).toBe('ended');
    await page.click('#reset');
    await expect.poll(() => page.textContent('#tick'), WAIT).toBe('tick 0 / 60');
    const ghosts = '#charts figure[data-chart="adoption"] path.series.ghost';
    await expect.poll(() => page.locator(ghosts).evaluateAll((ps) => ps.map((p) => p.getAttribute('data-label'))), WAIT).toEqual(['customers, previous run', 'partners, previous run']);
    expect(await page.locator(ghosts).first().getAttribute('stroke-dasharray')).not.toBeNull();
    await page.click('#step');
    await expect.poll(() => page.locator('#charts figure[data-chart="adoption"] path.series:not(.ghost)').count(), WAIT).toBe(2);
    expect(await page.locator(ghosts).count()).toBe(2);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('from the server: plays, takes a slider at the next tick, marks it, shares it by link, with no error and nothing fetched but the page', async () => {
    const context = await browser!.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
    const { page, watch } = await open(context, server!.url);
    await page.selectOption('#speed', '5');
    await page.click('#play');
    await expect.poll(() => page.textContent('#tick').then((t) => Number(/tick (\d+)/.exec(t ?? '')![1])), { timeout: 20_000 }).toBeGreaterThanOrEqual(8);
    await page.locator('#policy-takeRate').fill('0.25');
    await expect.poll(() => page.locator('#timeline li').count(), { timeout: 10_000 }).toBe(1);
    const at = Number(await page.locator('#timeline li').first().getAttribute('data-tick'));
    expect(at).toBeGreaterThanOrEqual(8);
    // Pause answers at once, and the run stays where it was.
    await expect.poll(() => page.locator(`#charts figure g.marker[data-tick="${at}"]`).count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.click('#play');
    await expect.poll(() => page.textContent('#rate'), { timeout: 5_000 }).toBe('paused');
    const paused = await page.textContent('#tick');
    await page.waitForTimeout(300);
    expect(await page.textContent('#tick')).toBe(paused);
    await expectMarkerOnEveryChart(page, at);
    // The link holds the session; opened elsewhere, it makes the same change at the same tick.
    const link = page.url();
    expect(decodeURIComponent(new URL(link).hash)).toContain(`changes=${at}:0:takeRate:0.25`);
    const other = await context.newPage();
    other.on('pageerror', (e) => watch.errors.push(`linked page: ${e.message}`));
    await other.goto(link, { waitUntil: 'load' });
    await expect.poll(() => other.textContent('#tick'), WAIT).toBe('tick 0 / 60');
    await playToEnd(other);
    expect(await other.locator('#timeline li').allTextContents()).toEqual([`1. tick ${at}: takeRate 0.25`]);
    expect(watch.errors).toEqual([]);
    expect(watch.requests.filter((u) => u !== server!.url && !u.startsWith('blob:'))).toEqual([]);
    await context.close();
  });
});
