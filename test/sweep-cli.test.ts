// `ecosim sweep` end to end, spawned as a user types it, through src/cli/main.ts
// (the experiment commands wired as src/cli/main.ts wires the others), each in a fresh directory.

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { JOURNAL_FILE } from '../src/experiment/journal.js';
import { deriveSeed } from '../src/experiment/seeds.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-sweep-cli-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let dirs = 0;

/** A fresh working directory with the scenario files tiny.yaml and mid.yaml (longer runs). */
function workdir(): string {
  const dir = path.join(base, `w${++dirs}`);
  fs.mkdirSync(dir);
  const tiny = { name: 'tiny', ticks: 20, seed: 5, customers: { count: 500 }, partners: { count: 25 }, network: { type: 'meanfield' } };
  fs.writeFileSync(path.join(dir, 'tiny.yaml'), YAML.stringify(tiny));
  fs.writeFileSync(path.join(dir, 'mid.yaml'), YAML.stringify({ ...tiny, name: 'mid', ticks: 150 }));
  return dir;
}

const args = (a: readonly string[]) => ['--import', TSX, ENTRY, ...a];

function ecosim(a: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, args(a), { cwd, encoding: 'utf8' });
}

const read = (...parts: string[]) => fs.readFileSync(path.join(...parts), 'utf8');
const OUTPUTS = ['manifest.json', 'points.csv', 'runs.csv'];
const MID = ['sweep', 'mid.yaml', '--param', 'platforms.0.takeRate=0.05:0.3:0.05', '--replications', '10', '--workers', '2', '--seed', '3'];
const MID_RUNS = 60;

describe('ecosim sweep', () => {
  it('writes runs.csv, points.csv and manifest.json into out/<scenario>-sweep/, and says so', () => {
    const cwd = workdir();
    const r = ecosim(['sweep', 'tiny.yaml', '--param', 'customers.q=0.2,0.4', '-r', '2', '--workers', '2'], cwd);
    expect(r.status, r.stderr).toBe(0);
    const out = path.join(cwd, 'out', 'tiny-sweep');
    expect(fs.readdirSync(out).sort()).toEqual(OUTPUTS);
    expect(r.stdout).toBe(`wrote out${path.sep}tiny-sweep${path.sep} (runs.csv, points.csv, manifest.json): 2 points × 2 replications = 4 runs\n`);
    // stderr is not a terminal here: plain progress lines, then the time taken.
    expect(r.stderr).toMatch(/^sweep: 0\/4 runs\n(sweep: \d\/4 runs.*\n)*sweep: 4\/4 runs, [\d.]+ runs\/s\ndone in [\d.]+ s\n$/);
    const runs = read(out, 'runs.csv').split('\n');
    expect(runs[1]!.split(',').slice(0, 7)).toEqual(['0', '0', '0', String(deriveSeed(5, 0, 0)), 'ok', '', '0.2']);
  });

  it('prints nothing with --quiet, and the same files with --workers 1', () => {
    const cwd = workdir();
    const a = ecosim(['sweep', 'tiny.yaml', '--param', 'customers.q=0.2,0.4', '-r', '2', '--workers', '2', '--out', 'a', '--quiet'], cwd);
    const b = ecosim(['sweep', 'tiny.yaml', '--param', 'customers.q=0.2,0.4', '-r', '2', '--workers', '1', '--out', 'b', '--quiet'], cwd);
    expect([a.status, a.stdout, a.stderr, b.status, b.stdout, b.stderr]).toEqual([0, '', '', 0, '', '']);
    for (const f of OUTPUTS) expect(read(cwd, 'b', f)).toBe(read(cwd, 'a', f));
  });

  it('killed with SIGKILL halfway, resumes with --resume to files byte-identical to a sweep never stopped', async () => {
    const cwd = workdir();
    const whole = ecosim([...MID, '--out', 'whole', '--timeseries', '-q'], cwd);
    expect(whole.status, whole.stderr).toBe(0);

    const journal = path.join(cwd, 'killed', JOURNAL_FILE);
    const child = spawn(process.execPath, args([...MID, '--out', 'killed', '--timeseries', '-q']), { cwd, stdio: 'ignore' });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let recorded = 0;
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      const text = fs.existsSync(journal) ? fs.readFileSync(journal, 'utf8') : '';
      recorded = text.split('\n').length - 2; // the header, and the empty text after the last line end
      if (recorded >= MID_RUNS / 3) break;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(recorded).toBeGreaterThanOrEqual(MID_RUNS / 3);
    const kept = read(journal).split('\n').length - 2;
    expect(kept).toBeLessThan(MID_RUNS);
    expect(fs.readdirSync(path.join(cwd, 'killed'))).toEqual([JOURNAL_FILE]);

    const resumed = ecosim([...MID, '--out', 'killed', '--timeseries', '--resume'], cwd);
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`= ${MID_RUNS} runs, ${kept} resumed from the journal`);
    for (const f of [...OUTPUTS, 'timeseries.csv']) expect(read(cwd, 'killed', f), f).toBe(read(cwd, 'whole', f));
    expect(fs.readdirSync(path.join(cwd, 'killed')).sort()).toEqual([...OUTPUTS, 'timeseries.csv'].sort());
  });

  it('stopped with Ctrl-C exits 130, keeps only the journal, and says how to resume', async () => {
    const cwd = workdir();
    const journal = path.join(cwd, 'c', JOURNAL_FILE);
    const child = spawn(process.execPath, args([...MID, '--out', 'c', '-q']), { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && !(fs.existsSync(journal) && read(journal).split('\n').length > 6)) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(stderr).toMatch(/^interrupted by Ctrl-C after \d+ of 60 runs, kept in c[/\\]journal\.jsonl: run the same command with --resume to continue\n$/);
    expect(fs.readdirSync(path.join(cwd, 'c'))).toEqual([JOURNAL_FILE]);
  });

  it('reports failed runs with their parameters, seed and error, completes the others, and exits 3', () => {
    const cwd = workdir();
    const r = ecosim(['sweep', 'tiny.yaml', '--param', 'customers.count=100,-5', '-r', '2', '--seed', '9', '--out', 'f'], cwd);
    expect(r.status).toBe(3);
    const lines = r.stderr.split('\n');
    const head = lines.findIndex((l) => l.startsWith('2 of 4 runs failed'));
    expect(lines[head]).toBe(`2 of 4 runs failed (status "failed" in ${path.join('f', 'runs.csv')}):`);
    expect(lines[head + 1]).toBe(`  run 2 (point 1, replication 0, seed ${deriveSeed(9, 1, 0)}, customers.count=-5): tiny.yaml: customers.count: expected a whole number >= 0, found -5`);
    expect(lines[head + 2]).toContain(`  run 3 (point 1, replication 1, seed ${deriveSeed(9, 1, 1)}, customers.count=-5): `);
    const runs = read(cwd, 'f', 'runs.csv').split('\n');
    expect(runs.slice(1, 5).map((l) => l.split(',')[4])).toEqual(['ok', 'ok', 'failed', 'failed']);
    expect(runs[3]).toContain(',failed,"tiny.yaml: customers.count: expected a whole number >= 0, found -5",-5,');
  });

  it('refuses a resume with other settings (exit 2), leaving the journal as it was', async () => {
    const cwd = workdir();
    const journal = path.join(cwd, 'j', JOURNAL_FILE);
    const child = spawn(process.execPath, args([...MID, '--out', 'j', '-q']), { cwd, stdio: 'ignore' });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    while (!(fs.existsSync(journal) && read(journal).split('\n').length > 3)) await new Promise((resolve) => setTimeout(resolve, 5));
    child.kill('SIGKILL');
    await exited;
    const before = read(journal);
    const r = ecosim([...MID, '--out', 'j', '--resume', '--set', 'customers.p=0.02'], cwd);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      `${path.join('j', JOURNAL_FILE)} is from a sweep with other settings (scenario, --set, parameters, design, replications, seed, --timeseries, --from, --record or --shard differ): ` +
        'resume with the command that started it, or remove the file (or choose another --out) to start afresh\n',
    );
    const fresh = ecosim([...MID, '--out', 'j'], cwd);
    expect(fresh.status).toBe(2);
    expect(fresh.stderr).toMatch(/journal\.jsonl holds \d+ runs of an interrupted sweep: add --resume to continue it/);
    expect(read(journal)).toBe(before);
  });

  it('rejects bad input with exit 2 and no output', () => {
    const cwd = workdir();
    const cases: [string[], RegExp][] = [
      [['--param', 'customers.cont=1,2'], /^--param: customers\.cont: expected one of the keys .* found unknown key "cont" \(did you mean "count"\?\)\n$/],
      [['--param', 'customers.count'], /^--param: .*which has no "="/],
      [['--param', 'customers.p=0.01:0.05', '--design', 'lhs'], /^--design lhs: samples: expected a whole number >= 1/],
      [['--param', 'customers.p=0.01,0.05', '--design', 'latin'], /argument 'latin' is invalid. Allowed choices are grid, lhs, random, sobol, morris/],
      [['--param', 'customers.p=0.01,0.05', '--workers', '0'], /'-w, --workers <n>' argument '0' is invalid. expected a whole number >= 1/],
      [['--param', 'customers.p=0.01,0.05', '--set', 'customers.cunt=3'], /^tiny\.yaml: customers\.cunt: expected one of the keys .*did you mean "count"/],
    ];
    for (const [extra, message] of cases) {
      const r = ecosim(['sweep', 'tiny.yaml', '--out', 'bad', ...extra], cwd);
      expect(r.status, extra.join(' ')).toBe(2);
      expect(r.stderr, extra.join(' ')).toMatch(message);
    }
    expect(fs.existsSync(path.join(cwd, 'bad'))).toBe(false);
  });

  it('has help with examples and the output files', () => {
    const r = ecosim(['sweep', '--help'], workdir());
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: ecosim sweep [options] <scenario>');
    for (const text of ['--param <path=values>', '--design <kind>', '--resume', '--timeseries', '$ ecosim sweep baseline --param', 'runs.csv', 'points.csv', 'journal.jsonl', 'Exit codes']) {
      expect(r.stdout).toContain(text);
    }
  });
});
