// Sharded sweeps (sweep with a shard, then mergeParts), checked against the same sweep run in one
// process: the slices, the parts, the merged files byte for byte, and every way parts can fail to
// make one whole sweep. Tiny scenarios, so the whole file runs in seconds.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../src/experiment/analyze.js';
import { JOURNAL_FILE } from '../src/experiment/journal.js';
import { MergeError, mergeParts } from '../src/experiment/merge.js';
import { parseParam } from '../src/experiment/params.js';
import { parseShard, shardSlice } from '../src/experiment/shard.js';
import { JournalError, SweepInterruptedError, sweep, type SweepOptions } from '../src/experiment/sweep.js';
import { RECORDS_FILE } from '../src/experiment/sweepPart.js';
import { isScenarioError } from '../src/sim/scenario/errors.js';

const TINY = { name: 'tiny', ticks: 15, seed: 5, customers: { count: 300 }, partners: { count: 20 }, network: { type: 'meanfield' } };

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-shards-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let dirs = 0;
const outDir = () => path.join(base, `o${++dirs}`);
const read = (...parts: string[]) => fs.readFileSync(path.join(...parts), 'utf8');
const SWEEP_FILES = ['runs.csv', 'points.csv', 'manifest.json'];
const WITH_TIMESERIES = ['runs.csv', 'points.csv', 'timeseries.csv', 'manifest.json'];

/** 3 points × 3 replications = 9 runs. */
const GRID = [parseParam('platforms.0.takeRate=0.1:0.3:0.1')];

function options(extra: Partial<SweepOptions> = {}): SweepOptions {
  return { scenario: TINY, file: 'tiny.yaml', params: GRID, replications: 3, seed: 77, workers: 1, out: outDir(), ...extra };
}

/** Runs shard 1/n … n/n of a sweep, each into a part directory of its own; returns the part directories. */
async function shards(o: SweepOptions, n: number): Promise<string[]> {
  const root = outDir();
  const parts: string[] = [];
  for (let i = 1; i <= n; i++) {
    const out = path.join(root, `part-${i}`);
    await sweep({ ...o, out, shard: { index: i, count: n } });
    parts.push(out);
  }
  return parts;
}

/** The error a merge throws, as a MergeError. */
function mergeError(parts: readonly string[], out = outDir()): MergeError {
  let caught: unknown;
  try {
    mergeParts({ parts, out });
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(MergeError);
  expect(fs.existsSync(out)).toBe(false);
  return caught as MergeError;
}

describe('the slices', () => {
  it('are n contiguous blocks in run order covering every run once, sizes differing by at most one, the first ones longer', () => {
    expect([1, 2, 3].map((index) => shardSlice(7, { index, count: 3 }))).toEqual([
      { index: 1, count: 3, first: 0, runs: 3, total: 7 },
      { index: 2, count: 3, first: 3, runs: 2, total: 7 },
      { index: 3, count: 3, first: 5, runs: 2, total: 7 },
    ]);
    expect([1, 2, 3, 4, 5].map((index) => shardSlice(2, { index, count: 5 }).runs)).toEqual([1, 1, 0, 0, 0]);
    for (let total = 0; total <= 40; total++) {
      for (let count = 1; count <= 12; count++) {
        let next = 0;
        const sizes: number[] = [];
        for (let index = 1; index <= count; index++) {
          const s = shardSlice(total, { index, count });
          expect(s.first).toBe(next);
          next += s.runs;
          sizes.push(s.runs);
        }
        expect(next).toBe(total);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
        expect([...sizes].sort((a, b) => b - a)).toEqual(sizes);
      }
    }
  });

  it('are named i/n with 1 <= i <= n; anything else is bad input naming --shard', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard(' 8 / 8 ')).toEqual({ index: 8, count: 8 });
    for (const bad of ['0/3', '4/3', 'a/b', '1/0', '3', '-1/3', '1.5/3', '']) {
      let e: unknown;
      try {
        parseShard(bad);
      } catch (x) {
        e = x;
      }
      expect(isScenarioError(e), bad).toBe(true);
      expect(String(e)).toContain('options: shard: expected i/n');
    }
  });

  it('given to the library out of range are bad input before anything runs', async () => {
    for (const shard of [{ index: 0, count: 3 }, { index: 4, count: 3 }, { index: 1, count: 0 }, { index: 1.5, count: 3 }]) {
      const o = options({ shard });
      const e = await sweep(o).catch((x: unknown) => x);
      expect(isScenarioError(e)).toBe(true);
      expect(String(e)).toContain('options: shard: expected i/n, whole numbers with 1 <= i <= n');
      expect(fs.existsSync(o.out)).toBe(false);
    }
  });
});

describe('shards 1/3, 2/3, 3/3 then merge', () => {
  it('give runs.csv, points.csv, timeseries.csv and manifest.json byte-identical to one sweep, whatever the order of the parts', async () => {
    const o = options({ timeseries: true });
    const whole = await sweep({ ...o, workers: 2 });
    const parts = await shards(o, 3);
    for (const order of [parts, [...parts].reverse(), [parts[1]!, parts[2]!, parts[0]!]]) {
      const out = outDir();
      const merged = mergeParts({ parts: order, out });
      expect(merged).toMatchObject({ files: WITH_TIMESERIES, runs: 9, ok: 9, failed: [], parts: 3, replications: 3 });
      expect(fs.readdirSync(out).sort()).toEqual([...WITH_TIMESERIES].sort());
      for (const f of WITH_TIMESERIES) expect(read(out, f), f).toBe(read(whole.out, f));
    }
  });

  it('write parts that are results of their own: runs.csv of their runs, records.jsonl, and a manifest with the sweep and the shard', async () => {
    const o = options();
    const whole = await sweep(o);
    const parts = await shards(o, 3);
    const wholeRuns = read(whole.out, 'runs.csv').split('\n');
    for (const [i, dir] of parts.entries()) {
      expect(fs.readdirSync(dir).sort()).toEqual(['manifest.json', RECORDS_FILE, 'runs.csv']);
      const m = JSON.parse(read(dir, 'manifest.json')) as Record<string, unknown>;
      expect(m).toMatchObject({
        tool: 'ecosim',
        command: 'sweep',
        format: 'ecosim-sweep-part',
        sweep: JSON.parse(read(parts[0]!, 'manifest.json')).sweep,
        shard: { index: i + 1, count: 3 },
        runs: { first: 3 * i, count: 3, total: 9 },
        failedRuns: 0,
        plan: { scenarioFile: 'tiny.yaml', settings: [], replications: 3, seed: 77, timeseries: false },
        outputs: ['runs.csv', RECORDS_FILE, 'manifest.json'],
      });
      expect(Object.keys(m['files'] as object)).toEqual(['runs.csv', RECORDS_FILE]);
      // The part's runs.csv is the whole sweep's header and its runs' rows.
      expect(read(dir, 'runs.csv')).toBe(`${[wholeRuns[0], ...wholeRuns.slice(1 + 3 * i, 4 + 3 * i)].join('\n')}\n`);
      const records = read(dir, RECORDS_FILE).trimEnd().split('\n').map((l) => JSON.parse(l) as { run: number });
      expect(records.map((r) => r.run)).toEqual([3 * i, 3 * i + 1, 3 * i + 2]);
    }
  });

  it('merge uneven slices (7 runs in 3 shards) and empty shards (2 runs in 4 shards)', async () => {
    for (const [param, replications, n] of [['platforms.0.takeRate=0.1:0.7:0.1', 1, 3], ['customers.q=0.2', 2, 4]] as const) {
      const o = options({ params: [parseParam(param)], replications });
      const whole = await sweep(o);
      const parts = await shards(o, n);
      const counts = parts.map((p) => (JSON.parse(read(p, 'manifest.json')) as { runs: { count: number } }).runs.count);
      expect(counts).toEqual(n === 3 ? [3, 2, 2] : [1, 1, 0, 0]);
      const out = outDir();
      mergeParts({ parts, out });
      for (const f of SWEEP_FILES) expect(read(out, f), `${param} ${f}`).toBe(read(whole.out, f));
    }
  });

  it('record failed runs as a sweep does: the merge lists them, with files identical to one sweep', async () => {
    const o = options({ params: [parseParam('customers.count=100,-5,200')], replications: 2 });
    const whole = await sweep(o);
    const parts = await shards(o, 2);
    expect((JSON.parse(read(parts[0]!, 'manifest.json')) as { failedRuns: number }).failedRuns).toBe(1);
    const out = outDir();
    const merged = mergeParts({ parts, out });
    expect(merged.failed.map((f) => f.run)).toEqual([2, 3]);
    expect(merged.failed).toEqual(whole.failed);
    expect(merged.ok).toBe(4);
    for (const f of SWEEP_FILES) expect(read(out, f)).toBe(read(whole.out, f));
  });
});

describe('a shard', () => {
  it('interrupted keeps its journal, resumes as itself only, and merges as if never stopped', async () => {
    const o = options({ params: [parseParam('platforms.0.takeRate=0.05:0.3:0.05')], replications: 4, timeseries: true });
    const whole = await sweep(o);
    const root = outDir();
    const parts = [1, 2].map((i) => path.join(root, `part-${i}`));
    await sweep({ ...o, out: parts[0]!, shard: { index: 1, count: 2 } });
    const second = { ...o, out: parts[1]!, shard: { index: 2, count: 2 } };
    const controller = new AbortController();
    const e = await sweep({ ...second, signal: controller.signal, onProgress: (done) => done >= 3 && controller.abort(new Error('stop')) }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(SweepInterruptedError);
    expect((e as SweepInterruptedError).total).toBe(12);
    expect(fs.readdirSync(parts[1]!)).toEqual([JOURNAL_FILE]);

    // Not finished: merge says so, naming it.
    expect(mergeError(parts).message).toMatch(/part-2: not a finished sweep part: it holds the journal of a sweep or shard that has not finished \(\d+ runs recorded\)/);
    // Its journal is of shard 2/2: another shard, or the whole sweep, does not resume it.
    for (const other of [{ ...second, shard: { index: 1, count: 2 } }, { ...o, out: parts[1]! }]) {
      const refused = await sweep({ ...other, resume: true }).catch((x: unknown) => x);
      expect(refused).toBeInstanceOf(JournalError);
      expect(String(refused)).toContain('--shard differ');
    }
    const resumed = await sweep({ ...second, resume: true, workers: 2 });
    expect(resumed.resumed).toBe((e as SweepInterruptedError).done);
    expect(resumed.shard).toEqual({ index: 2, count: 2, first: 12, runs: 12, total: 24 });
    const out = outDir();
    mergeParts({ parts, out });
    for (const f of WITH_TIMESERIES) expect(read(out, f)).toBe(read(whole.out, f));
  });
});

describe('merge refuses', () => {
  const parted = (async () => {
    const o = options();
    return { o, parts: await shards(o, 3) };
  })();

  it('overlapping parts: the same shard twice, or one directory twice, naming them', async () => {
    const { parts } = await parted;
    const copy = path.join(outDir(), 'copy-of-2');
    fs.cpSync(parts[1]!, copy, { recursive: true });
    const e = mergeError([...parts, copy]);
    expect(e.problems).toEqual([`overlapping parts: ${parts[1]} and ${copy} both hold shard 2/3 (runs 3–5): give each shard once`]);
    expect(mergeError([parts[0]!, ...parts]).problems).toEqual([`overlapping parts: ${parts[0]} is given twice`]);
  });

  it('missing shards, naming them and their runs', async () => {
    const { parts } = await parted;
    expect(mergeError([parts[2]!]).problems).toEqual([
      `missing shards 1/3 (runs 0–2), 2/3 (runs 3–5) of the sweep of ${parts[2]}: run them (ecosim sweep … --shard i/3) and merge all 3 parts`,
    ]);
    expect(mergeError([parts[0]!, parts[2]!]).message).toContain('missing shard 2/3 (runs 3–5)');
  });

  it('a part of another sweep, naming it and saying why', async () => {
    const { o, parts } = await parted;
    const other = path.join(outDir(), 'seed-8');
    await sweep({ ...o, seed: 8, out: other, shard: { index: 2, count: 3 } });
    const e = mergeError([parts[0]!, other, parts[2]!]);
    expect(e.problems).toEqual([
      `${other} (shard 2/3) is a part of another sweep than ${parts[0]}: seed 8, not 77`,
      `missing shard 2/3 (runs 3–5) of the sweep of ${parts[0]}: run it (ecosim sweep … --shard i/3) and merge all 3 parts`,
    ]);
    const four = path.join(outDir(), 'of-4');
    await sweep({ ...o, out: four, shard: { index: 2, count: 4 } });
    expect(mergeError([...parts, four]).problems).toEqual([`${four} is shard 2/4, but ${parts[0]} is a shard of 3 (…/3): run every shard of a sweep with the same n`]);
    const timeseries = path.join(outDir(), 'ts');
    await sweep({ ...o, timeseries: true, out: timeseries, shard: { index: 3, count: 3 } });
    expect(mergeError([parts[0]!, parts[1]!, timeseries]).problems[0]).toBe(
      `${timeseries} (shard 3/3) is a part of another sweep than ${parts[0]}: with --timeseries, the others without`,
    );
  });

  it('a directory that is not a part: a whole sweep, another directory, nothing', async () => {
    const { o, parts } = await parted;
    const whole = outDir();
    await sweep({ ...o, out: whole });
    const empty = outDir();
    fs.mkdirSync(empty);
    const none = path.join(base, 'no-such-dir');
    expect(mergeError([...parts, whole, empty, none]).problems).toEqual([
      `${whole}: not a sweep part: it holds the result of "ecosim sweep" (a whole sweep, not one of its shards); expected the output directory of "ecosim sweep … --shard i/n"`,
      `${empty}: not a sweep part (it has no manifest.json): expected the output directory of "ecosim sweep … --shard i/n"`,
      `${none}: no such directory: expected the output directory of "ecosim sweep … --shard i/n"`,
    ]);
  });

  it('a part changed after it was written, and an --out that is one of the parts', async () => {
    const { parts } = await parted;
    const damaged = path.join(outDir(), 'damaged');
    fs.cpSync(parts[1]!, damaged, { recursive: true });
    const file = path.join(damaged, RECORDS_FILE);
    fs.writeFileSync(file, read(file).replace('"status":"ok"', '"status":"failed"'));
    expect(mergeError([parts[0]!, damaged, parts[2]!]).message).toMatch(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: does not match .*manifest\\.json`));
    const csv = path.join(outDir(), 'csv-changed');
    fs.cpSync(parts[1]!, csv, { recursive: true });
    fs.appendFileSync(path.join(csv, 'runs.csv'), '9,9,9,9,ok,\n');
    expect(mergeError([parts[0]!, csv, parts[2]!]).message).toContain(`${path.join(csv, 'runs.csv')}: does not match ${path.join(csv, 'manifest.json')}`);
    expect(() => mergeParts({ parts, out: parts[0]! })).toThrow(`--out ${parts[0]}: is one of the parts (${parts[0]})`);
    for (const p of parts) expect(fs.readdirSync(p).sort()).toEqual(['manifest.json', RECORDS_FILE, 'runs.csv']);
  });

  it('and writes nothing when refused, leaving an earlier result in --out as it was', async () => {
    const { parts } = await parted;
    const out = outDir();
    mergeParts({ parts, out });
    const before = SWEEP_FILES.map((f) => read(out, f));
    expect(() => mergeParts({ parts: parts.slice(1), out })).toThrow(MergeError);
    expect(SWEEP_FILES.map((f) => read(out, f))).toEqual(before);
    expect(fs.existsSync(`${out}.lock`)).toBe(false);
    const rows = parseCsv(read(out, 'runs.csv'));
    expect(rows.slice(1).map((r) => r[0])).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8']);
  });
});
