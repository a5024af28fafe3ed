// The lab's speed in headless Chromium (part of `npm run bench`): ticks per second of the baseline
// market (mean field, partners one twentieth of the customers, 260 ticks) played "as fast as it
// goes" with the charts updating, at 10 000 and 100 000 customers, and how long the page takes to
// answer a click while it runs (from the click to the next frame drawn: the worst and the median of
// a click every 250 ms). It measures the built package (dist/), as `npm run bench` builds it first.
// Beside it, the same run by `ecosim run` (the whole process) measured just after, for scale.
// Options: --sizes 10000,100000   --ticks N (default 260)   --json FILE
// Without /usr/bin/chromium it says so and measures nothing.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const CHROMIUM = '/usr/bin/chromium';
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const arg = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 && process.argv[i + 1] ? process.argv[i + 1] : fallback;
};
const sizes = arg('sizes', '10000,100000').split(',').map(Number);
const ticks = Number(arg('ticks', '260'));
const jsonFile = arg('json', undefined);

if (!fs.existsSync(CHROMIUM)) {
  console.log(`lab in the browser: skipped, ${CHROMIUM} not found (apt-get install chromium fonts-dejavu-core)`);
  process.exit(0);
}
const { chromium } = await import('playwright-core');

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-bench-lab-'));
const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'] });
const results = [];
try {
  for (const n of sizes) {
    const file = path.join(tmp, `market-${n}.yaml`);
    fs.writeFileSync(file, `name: market-${n}\nticks: ${ticks}\ncustomers: { count: ${n} }\npartners: { count: ${Math.round(n / 20)} }\nnetwork: { type: meanfield }\n`);
    const html = path.join(tmp, `lab-${n}.html`);
    execFileSync(process.execPath, [path.join(root, 'dist', 'cli', 'main.js'), 'lab', file, '--out', html, '--quiet']);
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(pathToFileURL(html).href);
    await page.waitForFunction(() => document.getElementById('tick')?.textContent?.startsWith('tick 0 /'));
    // Click latency: from the click's time stamp to the next frame after its handler ran.
    await page.evaluate(() => {
      window.__latency = [];
      document.getElementById('metric').addEventListener('click', (e) => {
        const t = e.timeStamp;
        requestAnimationFrame(() => window.__latency.push(performance.now() - t));
      });
    });
    await page.selectOption('#speed', 'max');
    // Timed in the page, from the click on play to the moment the page shows the run ended.
    const timed = page.evaluate(() => new Promise((resolve) => {
      const rate = document.getElementById('rate');
      const t0 = performance.now();
      const seen = new MutationObserver(() => {
        if (rate.textContent !== 'ended') return;
        seen.disconnect();
        resolve(performance.now() - t0);
      });
      seen.observe(rate, { childList: true, characterData: true, subtree: true });
      document.getElementById('play').click();
    }));
    let ms;
    timed.then((v) => (ms = v));
    while (ms === undefined) {
      await page.click('#metric', { delay: 0 });
      await page.keyboard.press('Escape');
      await page.waitForTimeout(250);
    }
    const seconds = ms / 1000;
    const latency = (await page.evaluate(() => window.__latency)).sort((a, b) => a - b);
    // The same run by the command line, measured now, so that a busy machine shows in both figures.
    const t0 = performance.now();
    execFileSync(process.execPath, [path.join(root, 'dist', 'cli', 'main.js'), 'run', file, '--out', path.join(tmp, `run-${n}`), '--quiet']);
    const cliSeconds = (performance.now() - t0) / 1000;
    const r = { customers: n, ticks, seconds, ticksPerSecond: ticks / seconds, cliSeconds, cliTicksPerSecond: ticks / cliSeconds, clickWorstMs: latency[latency.length - 1] ?? null, clickMedianMs: latency[Math.floor(latency.length / 2)] ?? null, clicks: latency.length };
    results.push(r);
    console.log(`lab in Chromium, ${n.toLocaleString('en-US')} customers: ${r.ticksPerSecond.toFixed(0)} ticks/s with the charts updating (${ticks} ticks in ${seconds.toFixed(1)} s; ecosim run, whole process, just after: ${r.cliTicksPerSecond.toFixed(0)} ticks/s); a click answered in ${r.clickMedianMs?.toFixed(0)} ms (median), ${r.clickWorstMs?.toFixed(0)} ms (worst of ${r.clicks})`);
    await page.close();
  }
} finally {
  await browser.close();
  fs.rmSync(tmp, { recursive: true, force: true });
}
if (jsonFile) fs.writeFileSync(jsonFile, `${JSON.stringify({ lab: results }, null, 2)}\n`);
