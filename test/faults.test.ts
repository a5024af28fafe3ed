// Faults of the machine, through the command line as a user meets them: a disk that fills up while
// run, run --report and sweep write their outputs (test/fixtures/disk-full.mjs gives short writes,
// then ENOSPC), and two sweeps started into the same directory.

import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import YAML from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const DISK_FULL = pathToFileURL(path.join(ROOT, 'test', 'fixtures', 'disk-full.mjs')).href;

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-faults-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let count = 0;

const SMALL = { name: 'small', ticks: 8, seed: 3, customers: { count: 400 }, partners: { count: 30 }, network: { type: 'meanfield' } };

function workdir(): string {
  const dir = path.join(base, `w${++count}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'small.yaml'), YAML.stringify(SMALL));
  return dir;
}

/** Runs ecosim; with `fault`, writes to paths matching `fault.path` share a budget of `fault.bytes`. */
function ecosim(args: readonly string[], cwd: string, fault?: { path: string; bytes: number }) {
  const preload = fault === undefined ? [] : ['--import', DISK_FULL];
  const env = { ...process.env, NO_COLOR: '1', ...(fault === undefined ? {} : { ECOSIM_FAULT_PATH: fault.path, ECOSIM_FAULT_BYTES: String(fault.bytes) }) };
  return spawnSync(process.execPath, [...preload, '--import', TSX, MAIN, ...args], { cwd, encoding: 'utf8', env });
}

const tree = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
const snapshot = (dir: string) => Object.fromEntries(tree(dir).map((f) => [f, fs.readFileSync(path.join(dir, f), 'utf8')]));
const leftovers = (dir: string) => tree(dir).filter((p) => /\.tmp($|-)|\.old-\d+|\.lock$/.test(p));

/** A file name inside the temporary directory a result is built in. */
const BUILDING = String.raw`\.tmp-\d+[/\\]`;

describe('a disk that fills up', () => {
  it('run: exits non-zero naming the full disk, and leaves the earlier result as it was, no short file', () => {
    const cwd = workdir();
    expect(ecosim(['run', 'small.yaml', '--out', 'r', '--quiet'], cwd).status).toBe(0);
    const before = snapshot(path.join(cwd, 'r'));
    const r = ecosim(['run', 'small.yaml', '--out', 'r', '--seed', '4', '--quiet'], cwd, { path: BUILDING, bytes: 4096 });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('cannot write r: no space left on the device\n');
    expect(snapshot(path.join(cwd, 'r'))).toEqual(before);
    expect(leftovers(cwd)).toEqual([]);
  });

  it('run into a new directory: nothing is left behind', () => {
    const cwd = workdir();
    const r = ecosim(['run', 'small.yaml', '--out', 'a/b/r', '--quiet'], cwd, { path: BUILDING, bytes: 10_000 });
    expect(r.status).toBe(1);
    expect(tree(cwd)).toEqual(['small.yaml']);
  });

  it('run --report: the run is written whole, the report not at all, and the exit code says so', () => {
    const cwd = workdir();
    const r = ecosim(['run', 'small.yaml', '--out', 'r', '--report', '--quiet'], cwd, { path: String.raw`report\.html\.\d+\.[0-9a-f]+\.tmp$`, bytes: 50_000 });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^cannot write r[/\\]report\.html: no space left on the device\n$/);
    expect(tree(path.join(cwd, 'r'))).toEqual(['manifest.json', 'metrics.csv', 'summary.json']);
    expect(ecosim(['chart', 'r', '--out', 'c.svg', '--quiet'], cwd).status).toBe(0); // what is there is whole and checks out
    expect(leftovers(cwd)).toEqual([]);
  });

  it('sweep: the final write fails, the journal is kept, and --resume then writes what an uninterrupted sweep writes', () => {
    const cwd = workdir();
    const args = ['sweep', 'small.yaml', '--param', 'platforms.0.takeRate=0.1,0.2', '--replications', '2', '--workers', '1', '--timeseries', '--quiet'];
    expect(ecosim([...args, '--out', 'whole'], cwd).status).toBe(0);
    const full = ecosim([...args, '--out', 's'], cwd, { path: BUILDING, bytes: 20_000 });
    expect(full.status).toBe(1);
    expect(full.stderr).toBe('cannot write s: no space left on the device\n');
    expect(tree(path.join(cwd, 's'))).toEqual(['journal.jsonl']);
    const resumed = ecosim([...args, '--out', 's', '--resume'], cwd);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(snapshot(path.join(cwd, 's'))).toEqual(snapshot(path.join(cwd, 'whole')));
    expect(leftovers(cwd)).toEqual([]);
  });
});

describe('two sweeps into one directory', () => {
  it('the second is refused with exit 2, naming the first; the first finishes unharmed', async () => {
    const cwd = workdir();
    // Long enough (some 8 s on one worker) that the first is still running while the second
    // starts twice: at 5 000 customers it could finish first once runs got faster.
    fs.writeFileSync(path.join(cwd, 'slow.yaml'), YAML.stringify({ ...SMALL, ticks: 150, customers: { count: 20000 } }));
    const args = ['sweep', 'slow.yaml', '--param', 'platforms.0.takeRate=0.05:0.3:0.05', '--replications', '3', '--workers', '1', '--out', 'same', '--quiet'];
    const first = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let firstErr = '';
    first.stderr.on('data', (d: Buffer) => (firstErr += d.toString()));
    const done = new Promise<number | null>((resolve) => first.on('exit', resolve));
    const lock = path.join(cwd, 'same.lock');
    const deadline = Date.now() + 30_000;
    while (!fs.existsSync(lock) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(fs.existsSync(lock)).toBe(true);
    for (const extra of [[], ['--resume']]) {
      const second = ecosim([...args, ...extra], cwd);
      expect(second.status).toBe(2);
      expect(second.stderr).toMatch(new RegExp(`^same: in use by "ecosim sweep" \\(process ${first.pid} on .+, since \\d{4}-\\d\\d-\\d\\dT[\\d:.]+Z\\): wait for it to finish or stop it; if no such process is running, remove .*same\\.lock\\n$`));
    }
    expect(await done, firstErr).toBe(0);
    expect(tree(path.join(cwd, 'same'))).toEqual(['manifest.json', 'points.csv', 'runs.csv']);
    expect(leftovers(cwd)).toEqual([]);
  });
});
