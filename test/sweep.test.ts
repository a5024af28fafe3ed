// The sweep library: seeds, batches, the journal, and the files a sweep writes, checked against runs
// done directly with simulate(). Tiny scenarios, so the whole file runs in seconds.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/experiment/analyze.js';
import { RunProgress } from '../src/cli/progress.js';
import { flattenSummary, summaryColumns } from '../src/experiment/flatten.js';
import { JOURNAL_FILE, canonicalJson } from '../src/experiment/journal.js';
import { parseParam } from '../src/experiment/params.js';
import { BATCHES_PER_WORKER, TARGET_BATCH_MS, planBatches } from '../src/experiment/pool.js';
import { commonSeed, deriveSeed, fmix32 } from '../src/experiment/seeds.js';
import { metricRange, summarizeInRange } from '../src/experiment/bounds.js';
import { JournalError, SweepInterruptedError, planSweep, sweep, type SweepOptions } from '../src/experiment/sweep.js';
import type { RunSpec } from '../src/experiment/worker.js';
import { runScenario } from '../src/experiment/worker.js';
import { METRIC_NAMES } from '../src/sim/metrics.js';
import { formatNumber } from '../src/sim/output/csv.js';
import { isScenarioError } from '../src/sim/scenario/errors.js';
import { simulate } from '../src/simulate.js';

const TINY = {
  name: 'tiny',
  ticks: 20,
  seed: 5,
  customers: { count: 500 },
  partners: { count: 25 },
  network: { type: 'meanfield' },
};

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-sweep-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let dirs = 0;
const outDir = () => path.join(base, `o${++dirs}`);
const read = (...parts: string[]) => fs.readFileSync(path.join(...parts), 'utf8');

/** CSV text as rows of fields, checking it ends with a line end. */
function rows(text: string): string[][] {
  expect(text.endsWith('\n')).toBe(true);
  return parseCsv(text);
}

const GRID = [parseParam('platforms.0.takeRate=0.05:0.25:0.1'), parseParam('customers.q=0.2,0.4')];

function options(extra: Partial<SweepOptions> = {}): SweepOptions {
  return { scenario: TINY, file: 'tiny.yaml', params: GRID, replications: 3, seed: 77, out: outDir(), ...extra };
}

/** What a run gives when done directly: its scenario with the point's values and derived seed. */
function direct(values: Record<string, number | string | boolean>, point: number, replication: number, seed = 77) {
  const spec: RunSpec = { run: 0, point, replication, seed: deriveSeed(seed, point, replication), values };
  return simulate(runScenario(TINY, 'tiny.yaml', spec));
}

describe('seeds', () => {
  it('derive a fixed 32-bit value from (base, point, replication)', () => {
    // Pinned (computed by an independent Python transcription of the rule in seeds.ts): a change to the
    // rule changes every sweep's results, and must be deliberate.
    expect([deriveSeed(42, 0, 0), deriveSeed(42, 1, 0), deriveSeed(42, 0, 1), deriveSeed(0, 0, 0)]).toEqual([3654217010, 2414341275, 1503383814, 328412104]);
    expect(fmix32(0)).toBe(0);
    expect(fmix32(1)).toBe(0x514e28b7);
  });

  it('differ for every point and replication of a large design, and between base seeds', () => {
    const seen = new Set<number>();
    for (let p = 0; p < 200; p++) for (let r = 0; r < 50; r++) seen.add(deriveSeed(7, p, r));
    expect(seen.size).toBe(200 * 50);
    expect(deriveSeed(7, 3, 2)).not.toBe(deriveSeed(8, 3, 2));
    // Swapping point and replication gives another seed: the three inputs are not summed.
    expect(deriveSeed(7, 3, 2)).not.toBe(deriveSeed(7, 2, 3));
  });

  it('are valid scenario seeds, and compare uses those of point 0', () => {
    for (const s of [deriveSeed(0xffffffff, 0xffffffff, 0xffffffff), deriveSeed(1, 2, 3)]) {
      expect(Number.isInteger(s) && s >= 0 && s <= 0xffffffff).toBe(true);
    }
    expect(commonSeed(9, 4)).toBe(deriveSeed(9, 0, 4));
    expect(() => deriveSeed(-1, 0, 0)).toThrow(RangeError);
    expect(() => deriveSeed(0, 0.5, 0)).toThrow(RangeError);
  });
});

describe('batches', () => {
  const specs = (n: number): RunSpec[] => Array.from({ length: n }, (_, i) => ({ run: i, point: i, replication: 0, seed: i, values: {} }));

  it('cover every run once, in order', () => {
    const batches = planBatches(specs(103), () => 7, 3);
    expect(batches.flat().map((s) => s.run)).toEqual(specs(103).map((s) => s.run));
  });

  it('hold about TARGET_BATCH_MS of work, one run when a run is longer', () => {
    const cheap = planBatches(specs(1000), () => 1, 2);
    expect(cheap.slice(0, -1).every((b) => b.length === TARGET_BATCH_MS)).toBe(true);
    const dear = planBatches(specs(10), () => 200, 2);
    expect(dear.map((b) => b.length)).toEqual(Array(10).fill(1));
  });

  it('are enough for every worker to get several, when runs allow', () => {
    expect(planBatches(specs(40), () => 0.01, 2)).toHaveLength(2 * BATCHES_PER_WORKER);
    expect(planBatches(specs(40), () => 0.01, 5)).toHaveLength(20);
    expect(planBatches(specs(3), () => 0.01, 8)).toHaveLength(3);
  });
});

describe('a sweep', () => {
  const outs: Record<number, string> = {};
  const results: Record<number, Awaited<ReturnType<typeof sweep>>> = {};
  beforeAll(async () => {
    for (const workers of [1, 2, 3]) {
      const o = options({ workers });
      outs[workers] = o.out;
      results[workers] = await sweep(o);
    }
  });

  it('writes the same bytes with 1, 2 and 3 workers', () => {
    for (const file of ['runs.csv', 'points.csv', 'manifest.json']) {
      expect(read(outs[2]!, file)).toBe(read(outs[1]!, file));
      expect(read(outs[3]!, file)).toBe(read(outs[1]!, file));
    }
    expect(fs.readdirSync(outs[1]!).sort()).toEqual(['manifest.json', 'points.csv', 'runs.csv']);
    expect(results[2]).toMatchObject({ runs: 18, ok: 18, failed: [], resumed: 0, files: ['runs.csv', 'points.csv', 'manifest.json'] });
  });

  it('writes one row per run, in run order, equal to the run done directly', () => {
    const [header, ...body] = rows(read(outs[2]!, 'runs.csv'));
    const columns = summaryColumns(['orchestrator']);
    expect(header).toEqual(['run', 'point', 'replication', 'seed', 'status', 'error', 'platforms.0.takeRate', 'customers.q', ...columns]);
    expect(body).toHaveLength(3 * 2 * 3);
    expect(body.map((r) => r[0])).toEqual(body.map((_, i) => String(i)));
    // Grid order: the first parameter varies slowest.
    expect(body.map((r) => `${r[6]}/${r[7]}`).filter((_, i) => i % 3 === 0)).toEqual(['0.05/0.2', '0.05/0.4', '0.15/0.2', '0.15/0.4', '0.25/0.2', '0.25/0.4']);
    for (const k of [0, 7, 17]) {
      const row = body[k]!;
      const point = Number(row[1]);
      const replication = Number(row[2]);
      expect(Number(row[3])).toBe(deriveSeed(77, point, replication));
      expect(row.slice(4, 6)).toEqual(['ok', '']);
      const flat = flattenSummary(direct({ 'platforms.0.takeRate': Number(row[6]), 'customers.q': Number(row[7]) }, point, replication).summary);
      expect(row.slice(8)).toEqual(columns.map((c) => (flat[c] === null ? '' : formatNumber(flat[c]!)!)));
    }
    // Replications of a point differ (their own seeds), so the statistics below have spread.
    expect(body[0]!.slice(8)).not.toEqual(body[1]!.slice(8));
  });

  it('summarizes each point over its replications in points.csv', () => {
    const runs = rows(read(outs[1]!, 'runs.csv'));
    const [header, ...body] = rows(read(outs[1]!, 'points.csv'));
    expect(header).toEqual(['point', 'platforms.0.takeRate', 'customers.q', 'metric', 'n', 'mean', 'sd', 'ci_low', 'ci_high']);
    const columns = summaryColumns(['orchestrator']);
    expect(body).toHaveLength(6 * columns.length);
    expect(body.slice(0, columns.length).map((r) => r[3])).toEqual(columns);
    const metric = 'all.total.revenue';
    const point = 4;
    expect(runs.slice(1).filter((r) => r[1] === String(point)).map((r) => r.slice(6, 8))).toEqual(Array(3).fill(['0.25', '0.2']));
    // The statistics are of the runs' exact values (runs.csv rounds them to 10 digits).
    const values = [0, 1, 2].map((r) => direct({ 'platforms.0.takeRate': 0.25, 'customers.q': 0.2 }, point, r).summary.all.total.revenue);
    const row = body.find((r) => r[0] === String(point) && r[3] === metric)!;
    expect(row.slice(1, 3)).toEqual(['0.25', '0.2']);
    const s = summarizeInRange(values, metricRange(metric, 500)); // revenue is never negative: the interval stays at or above 0
    expect(row.slice(4)).toEqual(['3', s.mean, s.sd, s.ciLow, s.ciHigh].map((x) => (typeof x === 'number' ? formatNumber(x)! : x)));
    expect(Number(row[6])).toBeGreaterThan(0);
  });

  it('writes a manifest with the design, every point, the seeds and the resolved scenario, and nothing of this machine', () => {
    const text = read(outs[1]!, 'manifest.json');
    const m = JSON.parse(text) as Record<string, unknown> & { design: { kind: string; points: unknown[]; params: unknown[] }; scenario: { seed: number; customers: { count: number; p: number } } };
    expect(Object.keys(m)).toEqual(['tool', 'version', 'command', 'experiment', 'scenarioFile', 'settings', 'design', 'replications', 'seed', 'seedRule', 'runs', 'failedRuns', 'timeseries', 'scenario', 'outputs', 'files']);
    expect(m).toMatchObject({ tool: 'ecosim', command: 'sweep', scenarioFile: 'tiny.yaml', replications: 3, seed: 77, runs: 18, failedRuns: 0, timeseries: false });
    expect(m.design.kind).toBe('grid');
    expect(m.design.points).toHaveLength(6);
    expect(m.design.params).toEqual(GRID);
    expect(m.scenario.seed).toBe(77);
    expect(m.scenario.customers).toMatchObject({ count: 500, p: 0.01 });
    expect(m['outputs']).toEqual(['runs.csv', 'points.csv', 'manifest.json']);
    expect(text).not.toContain(base);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
  });

  it('deletes its journal once the outputs are written', () => {
    expect(fs.existsSync(path.join(outs[3]!, JOURNAL_FILE))).toBe(false);
  });
});

describe('a run that fails', () => {
  it('is recorded with its error while the other runs complete', async () => {
    const out = outDir();
    const result = await sweep(options({ out, params: [parseParam('customers.count=100,-5')], replications: 2, workers: 2 }));
    expect(result.ok).toBe(2);
    expect(result.failed.map((f) => [f.run, f.point, f.replication, f.values['customers.count']])).toEqual([
      [2, 1, 0, -5],
      [3, 1, 1, -5],
    ]);
    expect(result.failed[0]!.error).toContain('customers.count');
    expect(result.failed[0]!.seed).toBe(deriveSeed(77, 1, 0));
    const [header, ...body] = rows(read(out, 'runs.csv'));
    expect(body.map((r) => r[4])).toEqual(['ok', 'ok', 'failed', 'failed']);
    expect(body[2]![5]).toBe(result.failed[0]!.error);
    expect(body[2]!.slice(header.indexOf('all.total.revenue'))).toEqual(Array(header.length - header.indexOf('all.total.revenue')).fill(''));
    expect(Number(body[0]![header.indexOf('all.final.customers')])).toBeGreaterThan(0);
    // The failed point has no ok replications: n = 0 and empty statistics.
    const points = rows(read(out, 'points.csv'));
    expect(points.find((r) => r[0] === '1' && r[2] === 'all.total.revenue')!.slice(3)).toEqual(['0', '', '', '', '']);
    expect(points.find((r) => r[0] === '0' && r[2] === 'all.total.revenue')![3]).toBe('2');
    expect(JSON.parse(read(out, 'manifest.json'))).toMatchObject({ runs: 4, failedRuns: 2 });
  });

  it('is bad input for the whole sweep when a parameter names no scenario key', async () => {
    const out = outDir();
    const e = await sweep(options({ out, params: [parseParam('customers.cont=1,2')] })).catch((x: unknown) => x);
    expect(isScenarioError(e)).toBe(true);
    expect(String(e)).toMatch(/--param: customers\.cont: .*unknown key "cont".*did you mean "count"/);
    expect(fs.existsSync(out)).toBe(false);
    const seed = await sweep(options({ out, params: [parseParam('seed=1,2')] })).catch((x: unknown) => x);
    expect(String(seed)).toContain('--param: seed');
  });
});

describe('timeseries', () => {
  it('are written in long format, one value per run, tick, platform and metric, equal to the run done directly', async () => {
    const out = outDir();
    const scenario = { ...TINY, platforms: [{ name: 'orchestrator' }, { name: 'rival', launchTick: 3 }] };
    const result = await sweep({ scenario, file: 'two.yaml', params: [parseParam('platforms.rival.takeRate=0.1,0.2')], replications: 2, seed: 3, workers: 2, out, timeseries: true });
    expect(result.files).toEqual(['runs.csv', 'points.csv', 'timeseries.csv', 'manifest.json']);
    const [header, ...body] = rows(read(out, 'timeseries.csv'));
    expect(header).toEqual(['run', 'point', 'replication', 'tick', 'platform', 'metric', 'value']);
    expect(body).toHaveLength(4 * 20 * 3 * METRIC_NAMES.length);
    const spec: RunSpec = { run: 3, point: 1, replication: 1, seed: deriveSeed(3, 1, 1), values: { 'platforms.rival.takeRate': 0.2 } };
    const metrics = simulate(runScenario(scenario, 'two.yaml', spec)).metrics;
    const mine = body.filter((r) => r[0] === '3');
    expect(mine).toHaveLength(metrics.length * METRIC_NAMES.length);
    expect(mine.every((r) => r[1] === '1' && r[2] === '1')).toBe(true);
    const expected = metrics.flatMap((row) => METRIC_NAMES.map((m) => [String(row.tick), row.platform, m, formatNumber(row[m]) ?? '']));
    expect(mine.map((r) => r.slice(3))).toEqual(expected);
    expect(new Set(body.map((r) => r[4]))).toEqual(new Set(['orchestrator', 'rival', 'all']));
  });
});

describe('the journal', () => {
  /** A sweep stopped through its signal after at least `after` runs. */
  async function interrupted(o: SweepOptions, after: number): Promise<SweepInterruptedError> {
    const controller = new AbortController();
    const e = await sweep({ ...o, signal: controller.signal, onProgress: (done) => done >= after && controller.abort(new Error('stop')) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SweepInterruptedError);
    return e as SweepInterruptedError;
  }

  const many = () => options({ params: [parseParam('platforms.0.takeRate=0.05:0.3:0.05')], replications: 4 });

  it('keeps the runs of an interrupted sweep, and a resume writes the same files as a sweep never stopped', async () => {
    const whole = many();
    await sweep({ ...whole, workers: 2 });
    for (const workers of [1, 2]) {
      const o = { ...many(), workers };
      const e = await interrupted(o, 6);
      expect(e.done).toBeGreaterThanOrEqual(6);
      expect(e.done).toBeLessThan(24);
      expect(fs.readdirSync(o.out)).toEqual([JOURNAL_FILE]);
      const lines = read(o.out, JOURNAL_FILE).trimEnd().split('\n');
      expect(lines).toHaveLength(1 + e.done);
      // A crash in the middle of a write leaves part of a line: it is ignored.
      fs.appendFileSync(path.join(o.out, JOURNAL_FILE), '{"run":23,"point":5,"repl');
      const result = await sweep({ ...o, resume: true, workers: 3 - workers });
      expect(result.resumed).toBe(e.done);
      for (const file of ['runs.csv', 'points.csv', 'manifest.json']) expect(read(o.out, file)).toBe(read(whole.out, file));
      expect(fs.existsSync(path.join(o.out, JOURNAL_FILE))).toBe(false);
    }
  });

  it('cuts off a half-written last line, so a sweep interrupted twice still resumes', async () => {
    const whole = many();
    await sweep({ ...whole, workers: 1 });
    const o = { ...many(), workers: 1 };
    const first = await interrupted(o, 4);
    const file = path.join(o.out, JOURNAL_FILE);
    fs.appendFileSync(file, '{"run":23,"poi');
    const second = await interrupted({ ...o, resume: true }, first.done + 4);
    expect(second.done).toBeGreaterThan(first.done);
    const lines = read(file).split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(1 + second.done);
    for (const line of lines) expect(() => JSON.parse(line) as unknown).not.toThrow();
    await sweep({ ...o, resume: true });
    for (const f of ['runs.csv', 'points.csv', 'manifest.json']) expect(read(o.out, f)).toBe(read(whole.out, f));
  });

  it('of timeseries gives the same timeseries.csv after a resume', async () => {
    const whole = { ...many(), timeseries: true };
    await sweep({ ...whole, workers: 1 });
    const o = { ...many(), timeseries: true, workers: 2 };
    await interrupted(o, 8);
    await sweep({ ...o, resume: true });
    for (const file of ['runs.csv', 'points.csv', 'timeseries.csv', 'manifest.json']) expect(read(o.out, file)).toBe(read(whole.out, file));
  });

  it('refuses a resume with other settings, and a fresh start over an interrupted sweep, leaving the journal as it was', async () => {
    const o = { ...many(), workers: 2 };
    await interrupted(o, 4);
    const before = read(o.out, JOURNAL_FILE);
    for (const other of [{ replications: 5 }, { seed: 78 }, { settings: ['customers.p=0.02'] }, { params: [parseParam('platforms.0.takeRate=0.05:0.3:0.1')] }, { timeseries: true }]) {
      const e = await sweep({ ...o, ...other, resume: true }).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(JournalError);
      expect(String(e)).toContain('other settings');
    }
    const fresh = await sweep({ ...o, resume: false }).catch((x: unknown) => x);
    expect(fresh).toBeInstanceOf(JournalError);
    expect(String(fresh)).toContain('--resume');
    expect(read(o.out, JOURNAL_FILE)).toBe(before);
    // The same settings (any number of workers) resume.
    await expect(sweep({ ...o, workers: 1, resume: true })).resolves.toMatchObject({ ok: 24 });
  });

  it('hash does not depend on the order of keys in the scenario', async () => {
    const a = await planSweep({ scenario: { ticks: 20, seed: 1, customers: { count: 500, p: 0.02 } }, params: GRID });
    const b = await planSweep({ scenario: { customers: { p: 0.02, count: 500 }, seed: 1, ticks: 20 }, params: GRID });
    const c = await planSweep({ scenario: { customers: { p: 0.03, count: 500 }, seed: 1, ticks: 20 }, params: GRID });
    expect(a.hash).toBe(b.hash);
    expect(a.hash).not.toBe(c.hash);
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
  });
});

describe('progress', () => {
  function capture(isTTY: boolean, enabled = true) {
    const lines: string[] = [];
    let t = 0;
    const p = new RunProgress({ write: (s: string) => lines.push(s), isTTY }, 'sweep', enabled, () => t);
    return { lines, p, advance: (ms: number) => (t += ms) };
  }

  it('in a log: a plain line at every tenth of the runs, with rate and time left', () => {
    const { lines, p, advance } = capture(false);
    for (let done = 0; done <= 100; done++) {
      p.update(done, 100, done > 50 ? 1 : 0);
      advance(100);
    }
    expect(lines).toHaveLength(11);
    expect(lines.every((l) => l.endsWith('\n') && !l.includes('\r'))).toBe(true);
    expect(lines[5]).toBe('sweep: 50/100 runs, 10 runs/s, 5 s left\n');
    expect(lines[10]).toBe('sweep: 100/100 runs, 1 failed, 10 runs/s\n');
  });

  it('on a terminal: one line redrawn at most every 100 ms, erased at the end; runs resumed do not count in the rate', () => {
    const { lines, p, advance } = capture(true);
    p.update(40, 100, 0);
    for (let done = 41; done <= 100; done++) {
      advance(50);
      p.update(done, 100, 0);
    }
    p.finish();
    expect(lines.length).toBeGreaterThan(25);
    expect(lines.length).toBeLessThan(35);
    expect(lines.slice(0, -1).every((l) => l.startsWith('\r') && !l.includes('\n'))).toBe(true);
    expect(lines[lines.length - 2]).toBe('\rsweep: 100/100 runs, 20 runs/s\x1b[K');
    expect(lines[lines.length - 1]).toBe('\r\x1b[K');
  });

  it('prints nothing when quiet', () => {
    const { lines, p } = capture(true, false);
    p.update(1, 2, 0);
    p.update(2, 2, 1);
    p.finish();
    expect(lines).toEqual([]);
  });
});
