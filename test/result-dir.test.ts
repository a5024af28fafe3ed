// Output directories hold one result: a result replaces an earlier one whole, files ecosim did not
// write are refused unless forced, readers take only the files the manifest lists (same size, same
// SHA-256), one process at a time writes a directory, and a write that does not take all its bytes
// never leaves a short file.

import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { analyzeSweep } from '../src/experiment/analyze.js';
import { parseParam } from '../src/experiment/params.js';
import { sweep } from '../src/experiment/sweep.js';
import { InputError } from '../src/sim/inputError.js';
import { writeFileAtomic } from '../src/sim/output/atomic.js';
import { DirLockedError, lockFileOf, lockOutputDir } from '../src/sim/output/dirLock.js';
import { ECOSIM_FILE_NAMES, ForeignFilesError, inspectOutputDir, writeResultDir } from '../src/sim/output/resultDir.js';
import { openResult, readMember } from '../src/sim/output/resultManifest.js';
import { JOURNAL_FILE } from '../src/experiment/journal.js';
import { SENSITIVITY_FILE } from '../src/experiment/analyze.js';
import { RUN_OUTPUT_FILES } from '../src/sim/output/runOutputs.js';
import { COMPARE_FILE, POINTS_FILE, RUNS_FILE, TIMESERIES_FILE } from '../src/experiment/sweepOutputs.js';
import { REPORT_FILE, writeReport } from '../src/viz/report/report.js';
import { chartFromResults } from '../src/viz/load.js';

const TINY = { name: 'tiny', ticks: 6, seed: 5, customers: { count: 200 }, partners: { count: 20 }, network: { type: 'meanfield' } };

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-result-dir-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());
let count = 0;
const fresh = () => path.join(base, `d${++count}`);
const tree = (dir: string) => fs.readdirSync(dir).sort();
const files = (names: Record<string, string>) => Object.entries(names).map(([name, content]) => ({ name, content }));

describe('writeResultDir', () => {
  it('writes the files and a manifest that lists each with its size and SHA-256', () => {
    const dir = fresh();
    writeResultDir(dir, files({ 'a.csv': 'x,y\n1,2\n' }), { tool: 'ecosim', command: 'test' });
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: Record<string, { bytes: number; sha256: string }> };
    expect(m.files).toEqual({ 'a.csv': { bytes: 8, sha256: createHash('sha256').update('x,y\n1,2\n').digest('hex') } });
    expect(readMember(openResult(dir), 'a.csv')).toBe('x,y\n1,2\n');
  });

  it('replaces an earlier ecosim result whole: none of its files is left, derived files included', () => {
    const dir = fresh();
    writeResultDir(dir, files({ [TIMESERIES_FILE]: 'old\n', [POINTS_FILE]: 'old\n' }), { tool: 'ecosim' });
    fs.writeFileSync(path.join(dir, REPORT_FILE), 'old report');
    fs.writeFileSync(path.join(dir, JOURNAL_FILE), '{"format":"ecosim-sweep-journal"}\n');
    writeResultDir(dir, files({ [POINTS_FILE]: 'new\n' }), { tool: 'ecosim' });
    expect(tree(dir)).toEqual(['manifest.json', POINTS_FILE]);
    expect(tree(base).filter((n) => /\.(tmp|old)-\d+$/.test(n))).toEqual([]);
  });

  it('refuses a directory holding files ecosim did not write, and leaves it as it was', () => {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    expect(inspectOutputDir(dir)).toEqual({ kind: 'foreign', foreign: ['notes.txt', 'sub/'] });
    const e = (() => {
      try {
        writeResultDir(dir, files({ 'a.csv': 'a\n' }), { tool: 'ecosim' });
      } catch (x) {
        return x;
      }
    })();
    expect(e).toBeInstanceOf(ForeignFilesError);
    expect((e as Error).message).toMatch(/found files ecosim did not write \(notes\.txt, sub\/\): choose another --out, or add --force/);
    expect(tree(dir)).toEqual(['notes.txt', 'sub']);
  });

  it('with force, writes beside foreign files, leaving them, and removes the earlier result\'s other files', () => {
    const dir = fresh();
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'mine');
    fs.writeFileSync(path.join(dir, TIMESERIES_FILE), 'stale');
    writeResultDir(dir, files({ [POINTS_FILE]: 'p\n' }), { tool: 'ecosim' }, { force: true });
    expect(tree(dir)).toEqual(['manifest.json', 'notes.txt', POINTS_FILE]);
  });

  it('knows every file name ecosim writes', () => {
    for (const name of [...RUN_OUTPUT_FILES, RUNS_FILE, POINTS_FILE, TIMESERIES_FILE, COMPARE_FILE, SENSITIVITY_FILE, REPORT_FILE, JOURNAL_FILE]) expect(ECOSIM_FILE_NAMES).toContain(name);
  });
});

/** A stand-in for fs.writeSync as the writers call it: (fd, bytes, offset, length). */
function writeWith(fn: (fd: number, data: Uint8Array, offset: number, length: number) => number): typeof fs.writeSync {
  return ((fd: number, data: Uint8Array, offset?: number | null, length?: number | null) => fn(fd, data, offset ?? 0, length ?? data.length - (offset ?? 0))) as unknown as typeof fs.writeSync;
}

describe('short writes and a full disk', () => {
  it('goes on writing until every byte is taken when the system takes only part of each write', () => {
    const real = fs.writeSync.bind(fs) as (fd: number, b: Uint8Array, o: number, l: number) => number;
    vi.spyOn(fs, 'writeSync').mockImplementation(writeWith((fd, data, offset, length) => real(fd, data, offset, Math.max(1, Math.floor(length / 3)))));
    const file = path.join(fresh() + '.txt');
    const text = 'é'.repeat(50_000) + 'end\n';
    writeFileAtomic(file, [text.slice(0, 7), text.slice(7)]);
    vi.restoreAllMocks();
    expect(fs.readFileSync(file, 'utf8')).toBe(text);
  });

  it('fails with ENOSPC when a write takes nothing, leaving the earlier result and no temporary file', () => {
    const dir = fresh();
    writeResultDir(dir, files({ 'a.csv': 'earlier\n' }), { tool: 'ecosim' });
    const before = fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8');
    const real = fs.writeSync.bind(fs) as (fd: number, b: Uint8Array, o: number, l: number) => number;
    let budget = 100;
    vi.spyOn(fs, 'writeSync').mockImplementation(writeWith((fd, data, offset, length) => {
      const take = Math.min(length, budget);
      budget -= take;
      return take === 0 ? 0 : real(fd, data, offset, take);
    }));
    expect(() => writeResultDir(dir, files({ 'a.csv': 'x'.repeat(1000) }), { tool: 'ecosim' })).toThrow(/ENOSPC: no space left on device, wrote 100 of 1000 bytes/);
    vi.restoreAllMocks();
    expect(tree(dir)).toEqual(['a.csv', 'manifest.json']);
    expect(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')).toBe(before);
    expect(tree(base).filter((n) => n.includes('.tmp'))).toEqual([]);
  });

  it('refuses a file whose size on disk is not what was written', () => {
    const real = fs.fstatSync.bind(fs);
    vi.spyOn(fs, 'fstatSync').mockImplementation(((fd: number) => ({ ...real(fd), size: 3 })) as unknown as typeof fs.fstatSync);
    const file = `${fresh()}.txt`;
    expect(() => writeFileAtomic(file, 'twelve bytes')).toThrow(/wrote 3 of 12 bytes/);
    vi.restoreAllMocks();
    expect(fs.existsSync(file)).toBe(false);
  });
});

describe('readers take only the files of the manifest they read', () => {
  const sweepOptions = (out: string, extra: Record<string, unknown> = {}) => ({
    scenario: TINY,
    file: 'tiny.yaml',
    params: [parseParam('platforms.0.takeRate=0.1,0.2')],
    replications: 2,
    workers: 1,
    out,
    ...extra,
  });

  it('a sweep without --timeseries into the directory of one with it leaves no series to draw as its own', async () => {
    const out = fresh();
    await sweep(sweepOptions(out, { timeseries: true }));
    expect(() => chartFromResults(out, { kind: 'timeseries' })).not.toThrow();
    const stale = fs.readFileSync(path.join(out, TIMESERIES_FILE));
    await sweep(sweepOptions(out, { params: [parseParam('platforms.0.takeRate=0.3,0.4')] }));
    expect(tree(out)).toEqual(['manifest.json', POINTS_FILE, RUNS_FILE]);
    expect(() => chartFromResults(out, { kind: 'timeseries' })).toThrow(/manifest\.json lists no timeseries\.csv: per-tick metrics of a sweep: run "ecosim sweep … --timeseries"/);
    fs.writeFileSync(path.join(out, TIMESERIES_FILE), stale); // put back by hand: still not part of this result
    expect(() => chartFromResults(out, { kind: 'timeseries' })).toThrow(/timeseries\.csv is there, but .*manifest\.json does not list it: it is not part of this result/);
  });

  it('a second sobol sweep into the same directory leaves no indices of the first for a tornado', async () => {
    const out = fresh();
    const sobol = { design: 'sobol', samples: 8, replications: 1, params: [parseParam('platforms.0.takeRate=0.05:0.3'), parseParam('customers.needRate=0.1:0.5')] };
    await sweep(sweepOptions(out, sobol));
    analyzeSweep(out, { bootstrap: 0, metrics: ['all.total.gmv', 'all.total.revenue'] });
    expect(() => chartFromResults(out, { kind: 'tornado', metrics: ['all.total.gmv'] })).not.toThrow();
    await sweep(sweepOptions(out, { ...sobol, seed: 9 }));
    expect(fs.existsSync(path.join(out, SENSITIVITY_FILE))).toBe(false);
    expect(() => chartFromResults(out, { kind: 'tornado' })).toThrow(/lists no sensitivity\.csv: sensitivity indices: run "ecosim analyze <sweep-dir>" first/);
  });

  it('a file changed or cut short after it was written is refused, naming it and the manifest', async () => {
    const out = fresh();
    await sweep(sweepOptions(out));
    const file = path.join(out, POINTS_FILE);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').slice(0, 100));
    expect(() => chartFromResults(out)).toThrow(InputError);
    expect(() => chartFromResults(out)).toThrow(/points\.csv: does not match .*manifest\.json \(expected \d+ bytes with SHA-256 [0-9a-f]{12}…, found 100 bytes\)/);
  });

  it('a report written into the directory is listed in the manifest, and replaced with the result', async () => {
    const out = fresh();
    await sweep(sweepOptions(out));
    writeReport(out);
    const m = openResult(out);
    expect(Object.keys(m.derived)).toEqual([REPORT_FILE]);
    expect(readMember(m, REPORT_FILE)).toContain('<!DOCTYPE html>');
    await sweep(sweepOptions(out, { replications: 1 }));
    expect(fs.existsSync(path.join(out, REPORT_FILE))).toBe(false);
  });
});

describe('the lock of an output directory', () => {
  it('names the process that holds it, and is taken again by the same process', () => {
    const dir = fresh();
    const lock = lockOutputDir(dir, 'sweep');
    const again = lockOutputDir(dir, 'report');
    again.release();
    expect(fs.existsSync(lockFileOf(dir))).toBe(true);
    const holder = JSON.parse(fs.readFileSync(lockFileOf(dir), 'utf8')) as { pid: number; host: string; command: string };
    expect(holder).toMatchObject({ pid: process.pid, host: os.hostname(), command: 'sweep' });
    lock.release();
    expect(fs.existsSync(lockFileOf(dir))).toBe(false);
  });

  it('refuses a directory another live process holds, with a message naming it and the lock file', () => {
    const dir = fresh();
    fs.writeFileSync(lockFileOf(dir), JSON.stringify({ pid: process.ppid, host: os.hostname(), command: 'sweep', since: '2024-01-01T00:00:00.000Z' }));
    let e: unknown;
    try {
      lockOutputDir(dir, 'run');
    } catch (x) {
      e = x;
    }
    expect(e).toBeInstanceOf(DirLockedError);
    expect((e as Error).message).toBe(
      `${dir}: in use by "ecosim sweep" (process ${process.ppid} on ${os.hostname()}, since 2024-01-01T00:00:00.000Z): wait for it to finish or stop it; if no such process is running, remove ${lockFileOf(dir)}`,
    );
    fs.rmSync(lockFileOf(dir));
  });

  it('takes over the lock of a process of this host that has gone', () => {
    const dir = fresh();
    fs.writeFileSync(lockFileOf(dir), JSON.stringify({ pid: 2 ** 22 + 12345, host: os.hostname(), command: 'sweep', since: '2024-01-01T00:00:00.000Z' }));
    const lock = lockOutputDir(dir, 'run');
    expect(JSON.parse(fs.readFileSync(lockFileOf(dir), 'utf8'))).toMatchObject({ pid: process.pid, command: 'run' });
    lock.release();
  });

  it('keeps a sweep out of a directory another sweep is writing', async () => {
    const dir = fresh();
    const lock = lockOutputDir(dir, 'sweep');
    await expect(sweep({ scenario: TINY, params: [parseParam('platforms.0.takeRate=0.1,0.2')], workers: 1, out: dir })).resolves.toBeDefined(); // the same process: reentrant
    lock.release();
    fs.writeFileSync(lockFileOf(dir), JSON.stringify({ pid: process.ppid, host: os.hostname(), command: 'sweep', since: 'now' }));
    await expect(sweep({ scenario: TINY, params: [parseParam('platforms.0.takeRate=0.1,0.2')], workers: 1, out: dir, resume: true })).rejects.toThrow(/in use by "ecosim sweep" \(process \d+/);
    fs.rmSync(lockFileOf(dir));
  });
});
