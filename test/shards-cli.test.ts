// `ecosim sweep … --shard i/n` and `ecosim merge` end to end, typed into a shell as a user (or a
// job array's script) types them, through src/cli/main.ts, each in a fresh directory.

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JOURNAL_FILE } from '../src/experiment/journal.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-shards-cli-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
const bin = path.join(base, 'bin');
fs.mkdirSync(bin);
fs.writeFileSync(path.join(bin, 'ecosim'), `#!/bin/sh\nexec "${process.execPath}" --import "${TSX}" "${ENTRY}" "$@"\n`, { mode: 0o755 });
let dirs = 0;

/** A fresh working directory with tiny.yaml and mid.yaml (longer runs). */
function workdir(): string {
  const dir = path.join(base, `w${++dirs}`);
  fs.mkdirSync(dir);
  const tiny = { name: 'tiny', ticks: 15, seed: 5, customers: { count: 300 }, partners: { count: 20 }, network: { type: 'meanfield' } };
  fs.writeFileSync(path.join(dir, 'tiny.yaml'), YAML.stringify(tiny));
  fs.writeFileSync(path.join(dir, 'mid.yaml'), YAML.stringify({ ...tiny, name: 'mid', ticks: 150, customers: { count: 500 } }));
  return dir;
}

/** A line of shell, as typed, with `ecosim` on the PATH and `env` added to the environment. */
function sh(line: string, cwd: string, env: Readonly<Record<string, string>> = {}): SpawnSyncReturns<string> {
  return spawnSync('sh', ['-c', line], { cwd, encoding: 'utf8', env: { ...process.env, ...env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}`, NO_COLOR: '1' } });
}

const read = (...parts: string[]) => fs.readFileSync(path.join(...parts), 'utf8');
const SWEEP = 'ecosim sweep tiny.yaml --param platforms.0.takeRate=0.1:0.3:0.1 --param customers.q=0.2,0.4 -r 2 --seed 7 --workers 1';
const FILES = ['runs.csv', 'points.csv', 'timeseries.csv', 'manifest.json'];

function ok(r: SpawnSyncReturns<string>): SpawnSyncReturns<string> {
  expect(r.status, r.stderr).toBe(0);
  return r;
}

describe('ecosim sweep --shard, then ecosim merge', () => {
  it('as a Slurm array job: shards 1/3 to 3/3 from $SLURM_ARRAY_TASK_ID, merged, give the files of one sweep', () => {
    const cwd = workdir();
    ok(sh(`${SWEEP} --timeseries --out whole -q`, cwd));
    const said: string[] = [];
    for (const id of ['2', '3', '1']) {
      const r = ok(sh(`${SWEEP} --timeseries --shard $SLURM_ARRAY_TASK_ID/3 --out parts/part-$SLURM_ARRAY_TASK_ID`, cwd, { SLURM_ARRAY_TASK_ID: id }));
      said.push(r.stdout);
    }
    expect(said).toEqual([
      `wrote parts${path.sep}part-2${path.sep} (runs.csv, records.jsonl, manifest.json): shard 2/3, runs 4–7 of 12\n`,
      `wrote parts${path.sep}part-3${path.sep} (runs.csv, records.jsonl, manifest.json): shard 3/3, runs 8–11 of 12\n`,
      `wrote parts${path.sep}part-1${path.sep} (runs.csv, records.jsonl, manifest.json): shard 1/3, runs 0–3 of 12\n`,
    ]);
    const merged = ok(sh('ecosim merge parts/part-* --out all', cwd));
    expect(merged.stdout).toBe(`wrote all${path.sep} (runs.csv, points.csv, timeseries.csv, manifest.json): 3 parts, 6 points × 2 replications = 12 runs\n`);
    expect(merged.stderr).toBe('');
    expect(fs.readdirSync(path.join(cwd, 'all')).sort()).toEqual([...FILES].sort());
    for (const f of FILES) expect(read(cwd, 'all', f), f).toBe(read(cwd, 'whole', f));
    expect(fs.readdirSync(cwd).sort()).toEqual(['all', 'mid.yaml', 'parts', 'tiny.yaml', 'whole']);
  });

  it('as a Kubernetes indexed job: --shard $((JOB_COMPLETION_INDEX+1))/n --resume (a first start resumes nothing), into the default directories', () => {
    const cwd = workdir();
    ok(sh(`${SWEEP} --out whole -q`, cwd));
    for (const index of ['0', '1']) ok(sh(`${SWEEP} --shard $((JOB_COMPLETION_INDEX+1))/2 --resume -q`, cwd, { JOB_COMPLETION_INDEX: index }));
    expect(fs.readdirSync(path.join(cwd, 'out', 'tiny-sweep-parts')).sort()).toEqual(['part-1', 'part-2']);
    ok(sh('ecosim merge out/tiny-sweep-parts/part-2 out/tiny-sweep-parts/part-1 --out all --quiet', cwd));
    for (const f of ['runs.csv', 'points.csv', 'manifest.json']) expect(read(cwd, 'all', f), f).toBe(read(cwd, 'whole', f));
  });

  it('exit 3 with the failed runs listed, in the shard that holds them and in the merge; the files as one sweep', () => {
    const cwd = workdir();
    const cmd = 'ecosim sweep tiny.yaml --param customers.count=100,-5 -r 2 --seed 9 --workers 1';
    expect(sh(`${cmd} --out whole -q`, cwd).status).toBe(3);
    const first = sh(`${cmd} --shard 1/2 --out p1 -q`, cwd);
    const second = sh(`${cmd} --shard 2/2 --out p2 -q`, cwd);
    expect([first.status, first.stderr]).toEqual([0, '']);
    expect(second.status).toBe(3);
    expect(second.stderr).toMatch(new RegExp(`^2 of 2 runs failed \\(status "failed" in p2[/\\\\]runs\\.csv\\):\\n  run 2 \\(point 1, replication 0, seed \\d+, customers\\.count=-5\\): tiny\\.yaml: customers\\.count: `));
    const merged = sh('ecosim merge p1 p2 --out all', cwd);
    expect(merged.status).toBe(3);
    expect(merged.stderr).toMatch(new RegExp(`^2 of 4 runs failed \\(status "failed" in all[/\\\\]runs\\.csv\\):\\n  run 2 .*\\n  run 3 `));
    for (const f of ['runs.csv', 'points.csv', 'manifest.json']) expect(read(cwd, 'all', f), f).toBe(read(cwd, 'whole', f));
  });

  it('merge --report writes report.html of the whole sweep, listed in its manifest', () => {
    const cwd = workdir();
    for (const i of [1, 2]) ok(sh(`${SWEEP} --shard ${i}/2 --out parts/part-${i} -q`, cwd));
    const r = ok(sh('ecosim merge parts/part-* --out all --report', cwd));
    expect(r.stderr).toBe(`wrote ${path.join('all', 'report.html')}\n`);
    const manifest = JSON.parse(read(cwd, 'all', 'manifest.json')) as { derived?: Record<string, unknown> };
    expect(Object.keys(manifest.derived ?? {})).toEqual(['report.html']);
    expect(read(cwd, 'all', 'report.html')).toContain('<html');
  });

  it('a shard killed with SIGKILL resumes with --resume, and the merge is as if it never stopped', async () => {
    const cwd = workdir();
    const cmd = 'ecosim sweep mid.yaml --param platforms.0.takeRate=0.05:0.3:0.05 -r 6 --seed 3 --workers 2';
    ok(sh(`${cmd} --out whole -q`, cwd));
    ok(sh(`${cmd} --shard 1/2 --out parts/part-1 -q`, cwd));
    const journal = path.join(cwd, 'parts', 'part-2', JOURNAL_FILE);
    const child = spawn('sh', ['-c', `exec ${cmd} --shard 2/2 --out parts/part-2 -q`], { cwd, stdio: 'ignore', env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env['PATH'] ?? ''}` } });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    const deadline = Date.now() + 60_000;
    let recorded = 0;
    while (Date.now() < deadline) {
      recorded = fs.existsSync(journal) ? read(journal).split('\n').length - 2 : 0;
      if (recorded >= 4) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    const kept = read(journal).split('\n').length - 2;
    expect(kept).toBeGreaterThanOrEqual(4);
    expect(kept).toBeLessThan(18);

    const early = sh('ecosim merge parts/part-* --out all', cwd);
    expect(early.status).toBe(2);
    expect(early.stderr).toMatch(/^parts[/\\]part-2: not a finished sweep part: it holds the journal of a sweep or shard that has not finished \(\d+ runs recorded\): wait for it to finish, or run its command again with --resume\n/);
    const other = sh(`${cmd} --shard 1/2 --out parts/part-2 --resume -q`, cwd);
    expect(other.status).toBe(2);
    expect(other.stderr).toContain('is from a sweep with other settings (scenario, --set, parameters, design, replications, seed, --timeseries, --from, --record or --shard differ)');

    const resumed = ok(sh(`${cmd} --shard 2/2 --out parts/part-2 --resume`, cwd));
    expect(resumed.stdout).toBe(`wrote parts${path.sep}part-2${path.sep} (runs.csv, records.jsonl, manifest.json): shard 2/2, runs 18–35 of 36, ${kept} resumed from the journal\n`);
    ok(sh('ecosim merge parts/part-* --out all -q', cwd));
    for (const f of ['runs.csv', 'points.csv', 'manifest.json']) expect(read(cwd, 'all', f), f).toBe(read(cwd, 'whole', f));
  });
});

describe('bad input: exit 2, a message naming what is wrong, nothing written', () => {
  it('a bad --shard, or --report or --redis with --shard', () => {
    const cwd = workdir();
    for (const shard of ['0/3', '4/3', 'a/b', '1/0', '3', '2/-1']) {
      const r = sh(`${SWEEP} --shard ${shard} --out bad`, cwd);
      expect(r.status, shard).toBe(2);
      expect(r.stderr, shard).toBe(`error: option '--shard <i/n>' argument '${shard}' is invalid. expected i/n, whole numbers with 1 <= i <= n, such as 2/8.\n(add --help for usage)\n`);
    }
    const report = sh(`${SWEEP} --shard 1/2 --report --out bad`, cwd);
    expect([report.status, report.stderr]).toEqual([2, '--report: a shard holds only a part of the sweep; add --report to ecosim merge, which writes the whole sweep\n']);
    // Refused before any Redis is asked: the port need not answer.
    const queued = sh(`${SWEEP} --shard 1/2 --redis redis://127.0.0.1:9 --out bad`, cwd);
    expect([queued.status, queued.stderr]).toEqual([2, '--shard and --redis: give one (a shard runs its slice on this machine; --redis hands the whole sweep to ecosim worker processes)\n']);
    expect(fs.readdirSync(cwd).sort()).toEqual(['mid.yaml', 'tiny.yaml']);
  });

  it('merge of missing, overlapping or foreign parts, naming them; an earlier result in --out is left as it was', () => {
    const cwd = workdir();
    for (const i of [1, 2, 3]) ok(sh(`${SWEEP} --shard ${i}/3 --out parts/part-${i} -q`, cwd));
    ok(sh(`${SWEEP} --seed 8 --shard 2/3 --out seed-8 -q`, cwd));
    ok(sh('ecosim merge parts/part-* --out all -q', cwd));
    const before = read(cwd, 'all', 'runs.csv');
    fs.cpSync(path.join(cwd, 'parts', 'part-3'), path.join(cwd, 'again-3'), { recursive: true });

    const missing = sh('ecosim merge parts/part-1 parts/part-3 --out all', cwd);
    expect([missing.status, missing.stderr]).toEqual([2, 'missing shard 2/3 (runs 4–7) of the sweep of parts/part-1: run it (ecosim sweep … --shard i/3) and merge all 3 parts\n']);
    const overlap = sh('ecosim merge parts/part-* again-3 --out all', cwd);
    expect([overlap.status, overlap.stderr]).toEqual([2, 'overlapping parts: parts/part-3 and again-3 both hold shard 3/3 (runs 8–11): give each shard once\n']);
    const foreign = sh('ecosim merge parts/part-1 seed-8 parts/part-3 tiny.yaml --out all', cwd);
    expect(foreign.status).toBe(2);
    expect(foreign.stderr).toBe(
      [
        'tiny.yaml: not a directory: expected the output directory of "ecosim sweep … --shard i/n"',
        'seed-8 (shard 2/3) is a part of another sweep than parts/part-1: seed 8, not 7',
        'missing shard 2/3 (runs 4–7) of the sweep of parts/part-1: run it (ecosim sweep … --shard i/3) and merge all 3 parts',
        '',
      ].join('\n'),
    );
    const none = sh('ecosim merge --out all', cwd);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("error: missing required argument 'part-dir'");
    expect(read(cwd, 'all', 'runs.csv')).toBe(before);
    expect(fs.readdirSync(cwd).sort()).toEqual(['again-3', 'all', 'mid.yaml', 'parts', 'seed-8', 'tiny.yaml']);
  });

  it('has help with examples, the guarantees and the exit codes', () => {
    const r = ok(sh('ecosim merge --help', workdir()));
    expect(r.stdout).toContain('Usage: ecosim merge [options] <part-dir...>');
    for (const text of ['--out <dir>', '--force', '--report', '$ ecosim merge parts/part-* --out', 'byte-identical', 'Exit codes']) expect(r.stdout).toContain(text);
    const s = ok(sh('ecosim sweep --help', workdir()));
    for (const text of ['--shard <i/n>', '$SLURM_ARRAY_TASK_ID', 'JOB_COMPLETION_INDEX+1', '--shard 2/4']) expect(s.stdout).toContain(text);
  });
});
