// Experiment files end to end, spawned as a user types the commands: a sweep from a file and the
// same sweep from options give the same files; options override the file; the warm-up (--from,
// from:) is checked by hand against metrics.csv; bad experiment files are refused with the file,
// the key path, what was expected and what was found, exit 2, and nothing written.

import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { parseExperiment } from '../src/experiment/experimentFile.js';
import { experimentJsonSchema } from '../src/experiment/experimentJsonSchema.js';
import { Journal, JournalError } from '../src/experiment/journal.js';
import { planSweep } from '../src/experiment/plan.js';
import { sweep } from '../src/experiment/sweep.js';
import { parseCsv } from '../src/experiment/analyze.js';
import { parseScenarioText } from '../src/sim/scenario/load.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ENTRY = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const EXPERIMENTS = path.join(ROOT, 'scenarios', 'experiments');

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-experiment-file-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let dirs = 0;

const TINY = { name: 'tiny', ticks: 20, seed: 5, customers: { count: 400 }, partners: { count: 25 }, network: { type: 'meanfield' } };

function workdir(files: Readonly<Record<string, unknown>> = {}): string {
  const dir = path.join(base, `w${++dirs}`);
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, 'tiny.yaml'), YAML.stringify(TINY));
  for (const [name, content] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : YAML.stringify(content));
  return dir;
}

function ecosim(a: readonly string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(process.execPath, ['--import', TSX, ENTRY, ...a], { cwd, encoding: 'utf8' });
}

function ok(r: SpawnSyncReturns<string>): SpawnSyncReturns<string> {
  expect(r.status, r.stderr).toBe(0);
  return r;
}

const read = (...parts: string[]) => fs.readFileSync(path.join(...parts), 'utf8');
const json = (...parts: string[]) => JSON.parse(read(...parts)) as Record<string, unknown>;

const SWEEP = {
  experiment: 'tiny-q',
  scenario: 'tiny.yaml',
  set: { ticks: 16, 'partners.count': 30 },
  params: [{ path: 'customers.q', values: [0.2, 0.4] }, 'platforms.0.takeRate=0.1:0.2:0.1'],
  replications: 2,
  seed: 3,
  from: 4,
  metrics: ['customers', 'revenue', 'matchRate'],
  timeseries: true,
  out: 'from-file',
};
const SAME_AS_OPTIONS = [
  'sweep', 'tiny.yaml', '--set', 'ticks=16', '--set', 'partners.count=30', '--param', 'customers.q=0.2,0.4', '--param', 'platforms.0.takeRate=0.1:0.2:0.1',
  '--replications', '2', '--seed', '3', '--from', '4', '--record', 'customers,revenue,matchRate', '--timeseries', '--out', 'from-options', '--workers', '1', '-q',
];

describe('a sweep from an experiment file', () => {
  it('gives the same runs.csv, points.csv, timeseries.csv and manifest.json as the same sweep typed as options', () => {
    const cwd = workdir({ 'exp.yaml': SWEEP });
    ok(ecosim(['sweep', 'exp.yaml', '--workers', '2', '-q'], cwd));
    ok(ecosim(SAME_AS_OPTIONS, cwd));
    for (const f of ['runs.csv', 'points.csv', 'timeseries.csv', 'manifest.json']) expect(read(cwd, 'from-file', f), f).toBe(read(cwd, 'from-options', f));
    const m = json(cwd, 'from-file', 'manifest.json');
    // The resolved experiment: every default filled in, paths as given.
    expect(m['experiment']).toEqual({
      scenario: 'tiny.yaml',
      set: ['ticks=16', 'partners.count=30'],
      params: [{ path: 'customers.q', values: [0.2, 0.4] }, { path: 'platforms.0.takeRate', from: 0.1, to: 0.2, step: 0.1 }],
      design: 'grid',
      replications: 2,
      seed: 3,
      metrics: ['customers', 'revenue', 'matchRate'],
      from: 4,
      timeseries: true,
    });
    expect(JSON.stringify(m)).not.toContain(base);
  });

  it('records only the metrics named: their summary columns and timeseries rows, and the columns that are no metric', () => {
    const cwd = workdir({ 'exp.yaml': SWEEP });
    ok(ecosim(['sweep', 'exp.yaml', '--workers', '1', '-q'], cwd));
    const header = parseCsv(read(cwd, 'from-file', 'runs.csv'))[0]!;
    const summary = header.slice(8);
    expect(summary).toContain('orchestrator.final.customers');
    expect(summary).toContain('all.total.revenue');
    expect(summary).toContain('all.mean.matchRate');
    expect(summary).toContain('all.peakCustomers');
    expect(summary.filter((c) => /\.(final|total|mean)\./.test(c)).every((c) => /\.(customers|revenue|matchRate)$/.test(c))).toBe(true);
    const metrics = new Set(parseCsv(read(cwd, 'from-file', 'timeseries.csv')).slice(1).filter((r) => r.length > 1).map((r) => r[5]));
    expect([...metrics].sort()).toEqual(['customers', 'matchRate', 'revenue']);
  });

  it('lets options override the file: --param replaces its params, --set applies after its set, others replace', () => {
    const cwd = workdir({ 'exp.yaml': SWEEP });
    const r = ok(ecosim(['sweep', 'exp.yaml', '--param', 'customers.p=0.01,0.02,0.03', '--set', 'ticks=12', '--replications', '1', '--from', '2', '--out', 'over', '--workers', '1'], cwd));
    expect(r.stdout).toContain('3 points × 1 replication = 3 runs');
    const m = json(cwd, 'over', 'manifest.json');
    const x = m['experiment'] as Record<string, unknown>;
    expect(x['params']).toEqual([{ path: 'customers.p', values: [0.01, 0.02, 0.03] }]);
    expect(x['set']).toEqual(['ticks=16', 'partners.count=30', 'ticks=12']);
    expect(x['from']).toBe(2);
    expect(x['seed']).toBe(3);
    expect((m['scenario'] as { ticks: number }).ticks).toBe(12);
    expect(fs.existsSync(path.join(cwd, 'from-file'))).toBe(false);
  });

  it('finds a scenario relative to the experiment file, and writes into out/<name> by default', () => {
    const cwd = workdir();
    fs.mkdirSync(path.join(cwd, 'exp'));
    fs.writeFileSync(path.join(cwd, 'exp', 'e.yaml'), YAML.stringify({ experiment: 'rel', scenario: '../tiny.yaml', set: ['ticks=8'] }));
    ok(ecosim(['sweep', 'exp/e.yaml', '-q', '--workers', '1'], cwd));
    expect(json(cwd, 'out', 'rel', 'manifest.json')['scenarioFile']).toBe('tiny.yaml');
  });

  it('takes a scenario inline', () => {
    const cwd = workdir({ 'e.json': JSON.stringify({ experiment: 'inline', scenario: { ...TINY, ticks: 8 }, params: [{ path: 'customers.q', values: [0.1, 0.3] }] }) });
    ok(ecosim(['sweep', 'e.json', '-q', '--workers', '1'], cwd));
    const m = json(cwd, 'out', 'inline', 'manifest.json');
    expect(m['scenarioFile']).toBe('e.json (scenario)');
    expect((m['scenario'] as { ticks: number }).ticks).toBe(8);
  });
});

describe('ecosim validate <experiment>', () => {
  it('makes every check of the sweep, runs nothing, and prints with --json the experiment the manifest will record', () => {
    const cwd = workdir({ 'exp.yaml': SWEEP });
    const r = ok(ecosim(['validate', 'exp.yaml'], cwd));
    expect(r.stdout).toBe('ok: exp.yaml (experiment tiny-q: a grid sweep of tiny.yaml, 4 points × 2 replications = 8 runs)\n');
    const j = ok(ecosim(['validate', 'exp.yaml', '--json'], cwd));
    expect(fs.existsSync(path.join(cwd, 'from-file'))).toBe(false);
    ok(ecosim(['sweep', 'exp.yaml', '-q', '--workers', '1'], cwd));
    expect(JSON.parse(j.stdout)).toEqual(json(cwd, 'from-file', 'manifest.json')['experiment']);
    const bad = ecosim(['validate', 'exp.yaml', '--ticks', '4'], cwd);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/^exp\.yaml: from: expected a whole number of ticks from 0 to 3 \(below ticks, 4\)/);
  });
});

describe('a comparison from an experiment file', () => {
  it('gives the same compare.csv and manifest.json as the same comparison typed as options', () => {
    const cwd = workdir({
      'cmp.yaml': { experiment: 'cmp', scenario: 'tiny.yaml', set: ['ticks=12'], variants: [{ name: 'base' }, { name: 'dear', set: { 'platforms.0.takeRate': 0.3 } }], replications: 2, seed: 4, from: 3 },
    });
    ok(ecosim(['compare', 'cmp.yaml', '--out', 'f', '-q', '--workers', '1'], cwd));
    ok(ecosim(['compare', 'tiny.yaml', '--set', 'ticks=12', '--variant', 'base:', '--variant', 'dear:platforms.0.takeRate=0.3', '-r', '2', '--seed', '4', '--from', '3', '--out', 'o', '-q', '--workers', '1'], cwd));
    for (const f of ['compare.csv', 'manifest.json']) expect(read(cwd, 'f', f), f).toBe(read(cwd, 'o', f));
    const x = json(cwd, 'f', 'manifest.json')['experiment'] as Record<string, unknown>;
    expect(x['variants']).toEqual([
      { name: 'base', scenario: 'tiny.yaml', set: ['ticks=12'] },
      { name: 'dear', scenario: 'tiny.yaml', set: ['ticks=12', 'platforms.0.takeRate=0.3'] },
    ]);
  });
});

describe('the warm-up window', () => {
  it('--from on run: summary means and totals are those of the ticks >= from in metrics.csv, which keeps every tick', () => {
    const cwd = workdir();
    ok(ecosim(['run', 'tiny.yaml', '--from', '7', '--out', 'r', '-q'], cwd));
    const [header, ...rows] = parseCsv(read(cwd, 'r', 'metrics.csv')).filter((r) => r.length > 1);
    const col = (name: string) => header!.indexOf(name);
    const mine = rows.filter((r) => r[col('platform')] === 'orchestrator');
    expect(mine.length).toBe(20);
    const late = mine.filter((r) => Number(r[col('tick')]) >= 7);
    const summary = json(cwd, 'r', 'summary.json') as { from: number; platforms: { mean: Record<string, number>; total: Record<string, number> }[] };
    expect(summary.from).toBe(7);
    const mean = late.reduce((a, r) => a + Number(r[col('customers')]), 0) / late.length;
    const joins = late.reduce((a, r) => a + Number(r[col('joins')]), 0);
    const allJoins = mine.reduce((a, r) => a + Number(r[col('joins')]), 0);
    expect(summary.platforms[0]!.mean['customers']).toBeCloseTo(mean, 6);
    expect(summary.platforms[0]!.total['joins']).toBeCloseTo(joins, 6);
    // The launch's joins are left out.
    expect(joins).toBeLessThan(allJoins);
    expect(json(cwd, 'r', 'manifest.json')['from']).toBe(7);
  });

  it('changes the run summaries and the sweep hash (a journal of another warm-up is not resumed)', async () => {
    const cwd = workdir();
    const plan = (from?: number) => planSweep({ scenario: path.join(cwd, 'tiny.yaml'), file: 'tiny.yaml', params: [{ kind: 'list', path: 'customers.q', values: [0.2] }], ...(from === undefined ? {} : { from }) });
    const [none, zero, five] = await Promise.all([plan(), plan(0), plan(5)]);
    expect(zero.hash).toBe(none.hash);
    expect(five.hash).not.toBe(none.hash);
    ok(ecosim(['sweep', 'tiny.yaml', '--param', 'customers.q=0.2', '--out', 'a', '-q', '--workers', '1'], cwd));
    ok(ecosim(['sweep', 'tiny.yaml', '--param', 'customers.q=0.2', '--from', '5', '--out', 'b', '-q', '--workers', '1'], cwd));
    const row = (d: string) => parseCsv(read(cwd, d, 'runs.csv'));
    const at = (d: string, c: string) => row(d)[1]![row(d)[0]!.indexOf(c)];
    expect(Number(at('a', 'all.total.joins'))).toBeGreaterThan(Number(at('b', 'all.total.joins')));
    expect(at('a', 'all.final.customers')).toBe(at('b', 'all.final.customers'));
    // The journal of an interrupted sweep without a warm-up is not resumed with one, nor with
    // other metrics recorded; it is left as it was.
    const dir = path.join(cwd, 'j');
    const { journal } = Journal.open(dir, { format: 'ecosim-sweep-journal', formatVersion: 1, hash: none.hash, runs: none.runs.length }, false);
    journal.close();
    const before = fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8');
    const again = (extra: { from?: number; record?: ('customers' | 'revenue')[] }) =>
      sweep({ scenario: path.join(cwd, 'tiny.yaml'), file: 'tiny.yaml', params: [{ kind: 'list', path: 'customers.q', values: [0.2] }], out: dir, resume: true, workers: 1, ...extra });
    await expect(again({ from: 5 })).rejects.toThrow(JournalError);
    await expect(again({ record: ['customers'] })).rejects.toThrow(/--from, --record or --shard differ/);
    expect(fs.readFileSync(path.join(dir, 'journal.jsonl'), 'utf8')).toBe(before);
    await expect(again({})).resolves.toMatchObject({ runs: 1, ok: 1 });
  });

  it('--from on compare is recorded in its manifest; --record keeps those metrics in timeseries.csv', () => {
    const cwd = workdir();
    ok(ecosim(['compare', 'tiny.yaml', '--variant', 'a:', '--variant', 'b:platforms.0.takeRate=0.3', '--from', '3', '-r', '2', '--out', 'c', '-q', '--workers', '1', '--timeseries', '--record', 'customers,cash'], cwd));
    const x = json(cwd, 'c', 'manifest.json')['experiment'] as Record<string, unknown>;
    expect(x['from']).toBe(3);
    expect(x['metrics']).toEqual(['customers', 'cash']);
    const metrics = new Set(parseCsv(read(cwd, 'c', 'timeseries.csv')).slice(1).filter((r) => r.length > 1).map((r) => r[5]));
    expect([...metrics].sort()).toEqual(['cash', 'customers']);
  });
});

describe('bad experiment files', () => {
  const cases: [string, unknown, RegExp][] = [
    ['an unknown key, with a suggestion', { experiment: 'x', scenario: 'tiny.yaml', replication: 3 }, /^e\.yaml: replication: expected one of the keys .*, found unknown key "replication" \(did you mean "replications"\?\)$/m],
    ['a wrong type', { experiment: 'x', scenario: 'tiny.yaml', replications: 'many' }, /^e\.yaml: replications: expected a whole number >= 1, found a string "many"$/m],
    ['a bad parameter', { experiment: 'x', scenario: 'tiny.yaml', params: [{ path: 'customers.q', from: 0.5, to: 0.1 }] }, /^e\.yaml: params\.0: expected a range from:to with from < to.*, found "0\.5:0\.1"$/m],
    ['a parameter with values and bounds', { experiment: 'x', scenario: 'tiny.yaml', params: [{ path: 'customers.q', from: 0.1, to: 0.5, values: [1] }] }, /^e\.yaml: params\.0: expected either values .* not both, found both$/m],
    ['a misspelt key of a parameter', { experiment: 'x', scenario: 'tiny.yaml', params: [{ path: 'customers.q', form: 0.1, to: 0.5 }] }, /^e\.yaml: params\.0\.form: expected one of the keys path, from, to, step, values, found unknown key "form" \(did you mean "from"\?\)$/m],
    ['a missing scenario file', { experiment: 'x', scenario: 'tinny.yaml' }, /^e\.yaml: scenario: expected a scenario file \(relative to the experiment file\).*, found "tinny\.yaml", no such file$/m],
    ['an override that is no key=value', { experiment: 'x', scenario: 'tiny.yaml', set: ['ticks=8', 'ticks 9'] }, /^e\.yaml: set\.1: expected a setting key\.path=value.*, found "ticks 9", which has no "="$/m],
    ['a misspelt metric', { experiment: 'x', scenario: 'tiny.yaml', metrics: ['customers', 'revnue'] }, /^e\.yaml: metrics\.1: expected a metric of the catalogue .*, found a string "revnue", no such metric \(did you mean "revenue"\?\)$/m],
    ['a warm-up past the end', { experiment: 'x', scenario: 'tiny.yaml', from: 20 }, /^e\.yaml: from: expected a whole number of ticks from 0 to 19 \(below ticks, 20\).*, found 20$/m],
    ['a negative warm-up', { experiment: 'x', scenario: 'tiny.yaml', from: -1 }, /^e\.yaml: from: expected a whole number >= 0, found -1$/m],
    ['a warm-up that is no whole number', { experiment: 'x', scenario: 'tiny.yaml', from: 2.5 }, /^e\.yaml: from: expected a whole number >= 0, found 2\.5$/m],
    ['a design without its samples', { experiment: 'x', scenario: 'tiny.yaml', design: 'lhs', params: ['customers.q=0.1:0.5'] }, /^e\.yaml: samples: expected a whole number >= 1 \(the number of points\), found nothing$/m],
    ['params and variants at once', { experiment: 'x', scenario: 'tiny.yaml', params: ['customers.q=0.1,0.2'], variants: [{ name: 'a' }, { name: 'b' }] }, /^e\.yaml: params: expected either variants \(a comparison\) or params \(a sweep\), not both/m],
  ];
  for (const [what, content, message] of cases) {
    it(`${what}: exit 2, the file, key path, expected and found, nothing written`, () => {
      const cwd = workdir({ 'e.yaml': content });
      const r = ecosim(['sweep', 'e.yaml', '--workers', '1'], cwd);
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(fs.existsSync(path.join(cwd, 'out'))).toBe(false);
    });
  }

  it('say which command runs what: an experiment given to run, a scenario to analyze, a sweep to compare', () => {
    const cwd = workdir({ 'e.yaml': { experiment: 'x', scenario: 'tiny.yaml', params: ['customers.q=0.1,0.2'] } });
    const run = ecosim(['run', 'e.yaml'], cwd);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^e\.yaml: expected a scenario for ecosim run, found an experiment file/);
    const analyze = ecosim(['analyze', 'tiny.yaml'], cwd);
    expect(analyze.status).toBe(2);
    expect(analyze.stderr).toMatch(/^tiny\.yaml: expected a sweep directory or an experiment file .*found a scenario file/);
    const compare = ecosim(['compare', 'e.yaml'], cwd);
    expect(compare.status).toBe(2);
    expect(compare.stderr).toMatch(/^e\.yaml: expected an experiment with variants \(a comparison\), found one with params \(a sweep\)/);
    expect(fs.existsSync(path.join(cwd, 'out'))).toBe(false);
  });
});

describe('the bundled experiments', () => {
  const files = fs.readdirSync(EXPERIMENTS).filter((f) => f.endsWith('.yaml')).sort();

  it('cover every design and a comparison, point editors at the schema, and are no scenarios', () => {
    const kinds = files.map((f) => {
      const text = read(EXPERIMENTS, f);
      expect(text.split('\n')[0], f).toBe('# yaml-language-server: $schema=../../schema/experiment.schema.json');
      const x = parseExperiment(parseScenarioText(text, f), f);
      expect(x.description.length, f).toBeGreaterThan(20);
      expect(x.name, f).toBe(f.replace(/\.yaml$/, ''));
      return x.kind === 'compare' ? 'compare' : x.design;
    });
    expect([...new Set(kinds)].sort()).toEqual(['compare', 'grid', 'lhs', 'morris', 'random', 'sobol']);
    const listed = ecosim(['scenarios'], workdir());
    expect(listed.stdout).not.toMatch(/experiments|takerate-grid/);
    const dir = ok(ecosim(['scenarios', '--dir', EXPERIMENTS], workdir()));
    expect(dir.stdout.trim().split('\n')).toHaveLength(files.length);
    expect(dir.stdout).toMatch(/^takerate-grid\.yaml +\(an experiment file: run it with ecosim sweep or ecosim compare\)$/m);
  });

  for (const f of files) {
    it(`${f} runs by name, shrunk`, () => {
      const cwd = workdir();
      const name = f.replace(/\.yaml$/, '');
      const x = parseExperiment(parseScenarioText(read(EXPERIMENTS, f), f), f);
      const shrink = ['--ticks', '12', '--set', 'customers.count=200', '--set', 'partners.count=20', '--from', '6', '--replications', '1', '--workers', '1', '-q'];
      const samples = x.design === 'sobol' ? ['--samples', '4'] : x.design === 'grid' ? [] : ['--samples', '3'];
      const r = ok(ecosim([x.kind, name, ...shrink, ...(x.kind === 'sweep' ? samples : []), '--out', 'o'], cwd));
      expect(r.stderr).toBe('');
      const m = json(cwd, 'o', 'manifest.json');
      expect((m['experiment'] as { from: number }).from).toBe(6);
      if (x.design === 'sobol' || x.design === 'morris') ok(ecosim(['analyze', name, '--out', 'o', '-q'], cwd));
    });
  }
});

describe('the README', () => {
  it('shows an experiment file that validates as it is written', () => {
    const readme = read(ROOT, 'README.md');
    const blocks = [...readme.matchAll(/^```yaml\n([\s\S]*?)^```/gm)].map((m) => m[1]!).filter((b) => /^experiment:/m.test(b));
    expect(blocks.length).toBe(1);
    const x = parseExperiment(parseScenarioText(blocks[0]!, 'README.md'), 'README.md');
    expect(x).toMatchObject({ name: 'takerate-grid', kind: 'sweep', design: 'grid', replications: 3, seed: 7, from: 52 });
    expect(x.params.map((p) => p.kind)).toEqual(['grid', 'list']);
  });
});

describe('the JSON Schema of experiment files', () => {
  it('committed in schema/ is the one the code generates (npm run schema), and ecosim schema --experiment prints it', () => {
    const committed = read(ROOT, 'schema', 'experiment.schema.json');
    expect(JSON.parse(committed)).toEqual(JSON.parse(JSON.stringify(experimentJsonSchema())));
    const r = ok(ecosim(['schema', '--experiment'], workdir()));
    expect(r.stdout).toBe(committed);
  });
});
