// End-to-end tests of the command line, spawned as a user types it:
//   node --import tsx src/cli/main.ts <command> …
// each in a fresh temporary working directory.

import { spawn, spawnSync, type SpawnSyncReturns } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { METRIC_NAMES } from '../src/sim/metrics.js';
import { metricsCsv } from '../src/sim/output/csv.js';
import { jsonText } from '../src/sim/output/runOutputs.js';
import { scenarioJsonSchema } from '../src/sim/scenario/jsonSchema.js';
import { loadScenarioSync } from '../src/sim/scenario/load.js';
import { scenarioSchema } from '../src/sim/scenario/schema.js';
import { simulate } from '../src/simulate.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const VERSION = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
/** The bundled scenario files (read when asked: the library may grow while the tests run). */
const bundled = () =>
  fs.existsSync(path.join(ROOT, 'scenarios')) ? fs.readdirSync(path.join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')).sort() : [];
const BUNDLED = bundled();

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-cli-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let dirCount = 0;

/** A fresh working directory. */
function workdir(): string {
  const dir = path.join(base, `w${++dirCount}`);
  fs.mkdirSync(dir);
  return dir;
}

type Result = SpawnSyncReturns<string>;

function ecosim(args: readonly string[], cwd: string): Result {
  return spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
}

/** Asserts a command succeeded, showing its stderr when it did not. */
function ok(r: Result): Result {
  expect(r.status, `stderr: ${r.stderr}`).toBe(0);
  return r;
}

/** A small scenario (fast to run): two platforms, the second launching at tick 5. */
const SMALL = {
  name: 'small',
  description: 'A small test market. It runs fast.',
  ticks: 30,
  seed: 11,
  customers: { count: 2000 },
  partners: { count: 100 },
  network: { type: 'meanfield' },
  platforms: [{ name: 'orchestrator' }, { name: 'rival', launchTick: 5, takeRate: 0.1 }],
};

function writeScenario(dir: string, name: string, data: unknown = SMALL): string {
  fs.writeFileSync(path.join(dir, name), YAML.stringify(data));
  return name;
}

const read = (...parts: string[]) => fs.readFileSync(path.join(...parts), 'utf8');
const readJson = <T = Record<string, unknown>>(...parts: string[]) => JSON.parse(read(...parts)) as T;

/** Every path under a directory, relative to it. */
function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

const leftovers = (dir: string) => tree(dir).filter((p) => /\.tmp($|-)/.test(p) || /\.tmp-\d+/.test(p) || /\.old-\d+/.test(p) || /\.lock$/.test(p));

function csvRows(text: string): string[][] {
  expect(text.endsWith('\n')).toBe(true);
  return text.slice(0, -1).split('\n').map((line) => line.split(','));
}

describe('ecosim run', () => {
  const cwd = workdir();
  const out = path.join(cwd, 'out', 'small');
  let r: Result;
  beforeAll(() => {
    writeScenario(cwd, 'small.yaml');
    r = ecosim(['run', 'small.yaml'], cwd);
  });

  it('succeeds and writes exactly the three files into out/<scenario>/', () => {
    ok(r);
    expect(tree(cwd)).toEqual(['out', 'out/small', 'out/small/manifest.json', 'out/small/metrics.csv', 'out/small/summary.json', 'small.yaml']);
  });

  it('writes tidy metrics: the header, one row per tick and platform (and "all"), a value in every field', () => {
    const rows = csvRows(read(out, 'metrics.csv'));
    expect(rows[0]).toEqual(['tick', 'platform', ...METRIC_NAMES]);
    const body = rows.slice(1);
    expect(body).toHaveLength(30 * (2 + 1));
    for (const row of body) {
      expect(row).toHaveLength(2 + METRIC_NAMES.length);
      for (const field of [row[0]!, ...row.slice(2)]) expect(field).toMatch(/^-?\d+(\.\d+)?(e[+-]\d+)?$/);
    }
    const keys = body.map((row) => `${row[0]}/${row[1]}`);
    const expected = Array.from({ length: 30 }, (_, t) => ['orchestrator', 'rival', 'all'].map((p) => `${t}/${p}`)).flat();
    expect([...keys].sort()).toEqual([...expected].sort());
  });

  it('gives the same rows and summary as the library', () => {
    const result = simulate(loadScenarioSync(path.join(cwd, 'small.yaml')));
    expect(read(out, 'metrics.csv')).toBe(metricsCsv(result.metrics));
    expect(read(out, 'summary.json')).toBe(jsonText(result.summary));
  });

  it('writes the summary as 2-space JSON with a final newline', () => {
    const text = read(out, 'summary.json');
    const summary = JSON.parse(text) as { name: string; ticks: number; platforms: { name: string }[]; all: { name: string } };
    expect(text).toBe(`${JSON.stringify(summary, null, 2)}\n`);
    expect(summary.name).toBe('small');
    expect(summary.ticks).toBe(30);
    expect(summary.platforms.map((p) => p.name)).toEqual(['orchestrator', 'rival']);
    expect(summary.all.name).toBe('all');
  });

  it('writes a manifest with the resolved scenario and nothing that changes between runs', () => {
    const text = read(out, 'manifest.json');
    const m = readJson<Record<string, unknown> & { scenario: { customers: { count: number; p: number }; platforms: { takeRate: number }[] } }>(out, 'manifest.json');
    expect(Object.keys(m)).toEqual(['tool', 'version', 'command', 'scenarioFile', 'settings', 'seed', 'replication', 'ticks', 'scenario', 'outputs', 'files']);
    expect(m).toMatchObject({ tool: 'ecosim', version: VERSION, command: 'run', scenarioFile: 'small.yaml', settings: [], seed: 11, replication: 0, ticks: 30 });
    expect(m['outputs']).toEqual(['metrics.csv', 'summary.json', 'manifest.json']);
    // Fully resolved: defaults filled in.
    expect(m.scenario.customers).toMatchObject({ count: 2000, p: 0.01 });
    expect(m.scenario.platforms[0]!.takeRate).toBe(0.15);
    expect(m.scenario.platforms[1]!.takeRate).toBe(0.1);
    expect(text).not.toContain(cwd);
    expect(text).not.toContain(ROOT);
    expect(text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(text.endsWith('}\n')).toBe(true);
  });

  it('prints the summary table and where the files are', () => {
    const summary = readJson<{ all: { final: { customers: number } }; platforms: { final: { customers: number } }[] }>(out, 'summary.json');
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe('small: 30 ticks, seed 11, replication 0');
    expect(lines[1]).toMatch(/^platform\s+customers\s+partners\s+match rate\s+leakage\s+revenue\s+orch\. profit\s+eco\. value\s+tipped at\s+failed at$/);
    const row = (name: string) => lines.find((l) => l.startsWith(`${name} `))!.trim().split(/\s{2,}/);
    expect(row('orchestrator')[1]).toBe(summary.platforms[0]!.final.customers.toLocaleString('en-US'));
    expect(row('rival')[1]).toBe(summary.platforms[1]!.final.customers.toLocaleString('en-US'));
    expect(row('all')[1]).toBe(summary.all.final.customers.toLocaleString('en-US'));
    expect(row('all')).toHaveLength(10);
    expect(row('all')[3]).toMatch(/^\d+\.\d%$/);
    expect(r.stdout).toContain(`wrote out${path.sep}small${path.sep} (metrics.csv, summary.json, manifest.json)`);
  });

  it('shows no progress when stderr is not a terminal', () => {
    expect(r.stderr).not.toMatch(/tick\s+\d+\/30/);
    expect(r.stderr).toMatch(/^done in \d+\.\d s\n$/);
  });
});

describe('ecosim run options', () => {
  it('--json prints the summary JSON alone on stdout, the same as summary.json', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    const r = ok(ecosim(['run', 'small.yaml', '--json', '--out', 'o'], cwd));
    const summary = JSON.parse(r.stdout) as { platforms: unknown[]; all: { name: string } };
    expect(summary.platforms).toHaveLength(2);
    expect(summary.all.name).toBe('all');
    expect(r.stdout).toBe(read(cwd, 'o', 'summary.json'));
  });

  it('--quiet prints nothing and still writes the files', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    const r = ok(ecosim(['run', 'small.yaml', '--quiet', '--ticks', '3'], cwd));
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('');
    expect(tree(path.join(cwd, 'out', 'small'))).toEqual(['manifest.json', 'metrics.csv', 'summary.json']);
  });

  it('is deterministic: the same scenario and seed give byte-identical files; another seed other metrics', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    ok(ecosim(['run', 'small.yaml', '--out', 'a', '--seed', '5'], cwd));
    ok(ecosim(['run', 'small.yaml', '--out', 'b', '--seed', '5'], cwd));
    ok(ecosim(['run', 'small.yaml', '--out', 'c', '--seed', '6'], cwd));
    for (const f of ['metrics.csv', 'summary.json', 'manifest.json']) {
      expect(fs.readFileSync(path.join(cwd, 'b', f)).equals(fs.readFileSync(path.join(cwd, 'a', f))), f).toBe(true);
    }
    expect(read(cwd, 'c', 'metrics.csv')).not.toBe(read(cwd, 'a', 'metrics.csv'));
    expect(readJson(cwd, 'a', 'manifest.json')).toMatchObject({ seed: 5, settings: ['seed=5'] });
    expect(readJson(cwd, 'c', 'manifest.json')).toMatchObject({ seed: 6, settings: ['seed=6'] });
  });

  it('--replication gives another stream and is recorded', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    ok(ecosim(['run', 'small.yaml', '--out', 'r0', '--ticks', '10'], cwd));
    ok(ecosim(['run', 'small.yaml', '--out', 'r1', '--ticks', '10', '--replication', '1'], cwd));
    expect(read(cwd, 'r1', 'metrics.csv')).not.toBe(read(cwd, 'r0', 'metrics.csv'));
    expect(readJson(cwd, 'r1', 'manifest.json')['replication']).toBe(1);
    expect(readJson(cwd, 'r1', 'summary.json')['replication']).toBe(1);
  });

  it('--set changes the resolved scenario in the manifest, and --seed/--ticks win over it', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    ok(ecosim(['run', 'small.yaml', '--set', 'platforms.rival.takeRate=0.25', '-s', 'customers.count=1500', '--set', 'seed=1', '--seed', '9', '--ticks', '4'], cwd));
    const m = readJson<{ settings: string[]; seed: number; ticks: number; scenario: { seed: number; customers: { count: number }; platforms: { takeRate: number }[] } }>(cwd, 'out', 'small', 'manifest.json');
    expect(m.settings).toEqual(['platforms.rival.takeRate=0.25', 'customers.count=1500', 'seed=1', 'seed=9', 'ticks=4']);
    expect(m.scenario.platforms[1]!.takeRate).toBe(0.25);
    expect(m.scenario.platforms[0]!.takeRate).toBe(0.15);
    expect(m.scenario.customers.count).toBe(1500);
    expect([m.seed, m.scenario.seed, m.ticks]).toEqual([9, 9, 4]);
  });

  it('--ticks 5 runs 5 ticks', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    ok(ecosim(['run', 'small.yaml', '--ticks', '5', '--out', 'five'], cwd));
    const rows = csvRows(read(cwd, 'five', 'metrics.csv')).slice(1);
    expect(rows).toHaveLength(5 * 3);
    expect(new Set(rows.map((row) => row[0]))).toEqual(new Set(['0', '1', '2', '3', '4']));
    expect(readJson(cwd, 'five', 'summary.json')['ticks']).toBe(5);
  });

  it('refuses an output directory holding files ecosim did not write (exit 2, nothing changed); --force writes there and leaves them', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    const out = path.join(cwd, 'existing');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'metrics.csv'), 'old\n');
    fs.writeFileSync(path.join(out, 'notes.txt'), 'mine\n');
    const refused = ecosim(['run', 'small.yaml', '--out', 'existing', '--ticks', '3'], cwd);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe('existing: expected an empty directory or an earlier ecosim result to replace, found files ecosim did not write (metrics.csv, notes.txt): choose another --out, or add --force to write there anyway (the files of an earlier result are replaced, the others left alone)\n');
    expect(tree(out)).toEqual(['metrics.csv', 'notes.txt']);
    expect(read(out, 'metrics.csv')).toBe('old\n');
    ok(ecosim(['run', 'small.yaml', '--out', 'existing', '--ticks', '3', '--force'], cwd));
    expect(tree(out)).toEqual(['manifest.json', 'metrics.csv', 'notes.txt', 'summary.json']);
    expect(read(out, 'metrics.csv').startsWith('tick,platform,')).toBe(true);
    expect(read(out, 'notes.txt')).toBe('mine\n');
    expect(leftovers(cwd)).toEqual([]);
  });

  it('replaces an earlier result whole: its report is not left beside a run without one', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    ok(ecosim(['run', 'small.yaml', '--out', 'r', '--ticks', '3', '--report', '--quiet'], cwd));
    expect(tree(path.join(cwd, 'r'))).toEqual(['manifest.json', 'metrics.csv', 'report.html', 'summary.json']);
    const manifest = JSON.parse(read(path.join(cwd, 'r'), 'manifest.json')) as { derived: Record<string, unknown> };
    expect(Object.keys(manifest.derived)).toEqual(['report.html']);
    ok(ecosim(['run', 'small.yaml', '--out', 'r', '--ticks', '4', '--set', 'customers.count=300', '--quiet'], cwd));
    expect(tree(path.join(cwd, 'r'))).toEqual(['manifest.json', 'metrics.csv', 'summary.json']);
    expect(read(path.join(cwd, 'r'), 'manifest.json')).not.toContain('report.html');
    expect(leftovers(cwd)).toEqual([]);
  });

  it('creates missing parents of --out', () => {
    const cwd = workdir();
    writeScenario(cwd, 'small.yaml');
    ok(ecosim(['run', 'small.yaml', '--out', 'deep/er/run1', '--ticks', '2'], cwd));
    expect(tree(path.join(cwd, 'deep'))).toEqual(['er', 'er/run1', 'er/run1/manifest.json', 'er/run1/metrics.csv', 'er/run1/summary.json']);
  });

  it.runIf(BUNDLED.length > 0)('runs a bundled scenario by name, with or without .yaml', () => {
    const cwd = workdir();
    // A scenario without in-market experiments: their windows must fit in the two ticks run here.
    const file = BUNDLED.find((f) => f === 'baseline.yaml') ?? BUNDLED[0]!;
    const stem = file.replace(/\.yaml$/, '');
    const small = ['--ticks', '2', '--set', 'customers.count=2000', '--set', 'network.type=meanfield', '--set', 'partners.count=100', '--quiet'];
    ok(ecosim(['run', stem, ...small], cwd));
    expect(readJson(cwd, 'out', stem, 'manifest.json')['scenarioFile']).toBe(`scenarios/${file}`);
    ok(ecosim(['run', file, '--out', 'again', ...small], cwd));
    expect(read(cwd, 'again', 'metrics.csv')).toBe(read(cwd, 'out', stem, 'metrics.csv'));
  });

  it('a file in the working directory wins over a bundled scenario of the same name', () => {
    const cwd = workdir();
    writeScenario(cwd, 'baseline.yaml', { ...SMALL, name: 'mine', ticks: 2 });
    ok(ecosim(['run', 'baseline.yaml', '--quiet'], cwd));
    expect(readJson(cwd, 'out', 'baseline', 'summary.json')['name']).toBe('mine');
  });
});

describe('ecosim validate', () => {
  const cwd = workdir();
  writeScenario(cwd, 'small.yaml');

  it('says ok with the scenario in brief', () => {
    const r = ok(ecosim(['validate', 'small.yaml'], cwd));
    expect(r.stdout).toBe('ok: small.yaml (small: 30 ticks, 2,000 customers, 100 partners, 2 platforms)\n');
    expect(r.stderr).toBe('');
  });

  it('applies --set, and writes "1 platform" for one', () => {
    const r = ok(ecosim(['validate', 'small.yaml', '--set', 'platforms=[{}]', '--set', 'ticks=1'], cwd));
    expect(r.stdout).toBe('ok: small.yaml (small: 1 tick, 2,000 customers, 100 partners, 1 platform)\n');
  });

  it('--json prints the fully resolved scenario', () => {
    const r = ok(ecosim(['validate', 'small.yaml', '--json'], cwd));
    const s = JSON.parse(r.stdout) as { platforms: { name: string; takeRate: number; ranking: string }[]; effects: { crossSide: number } };
    expect(s.platforms.map((p) => p.name)).toEqual(['orchestrator', 'rival']);
    expect(s.platforms[0]).toMatchObject({ takeRate: 0.15, ranking: 'rating' });
    expect(s.effects.crossSide).toBe(1);
    expect(r.stdout).toBe(jsonText(loadScenarioSync(path.join(cwd, 'small.yaml'))));
  });

  it('reports every problem, one line each, exit 2', () => {
    writeScenario(cwd, 'bad.yaml', { ticks: 0, customers: { count: -1 }, platforms: [{ ranking: 'best' }] });
    const r = ecosim(['validate', 'bad.yaml'], cwd);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.trimEnd().split('\n')).toEqual([
      'bad.yaml: ticks: expected a whole number between 1 and 1000000, found 0',
      'bad.yaml: customers.count: expected a whole number >= 0, found -1',
      'bad.yaml: platforms.0.ranking: expected one of random, rating, promoted, found a string "best"',
    ]);
  });

  it.runIf(BUNDLED.length > 0)('accepts a bundled scenario, by name', () => {
    const file = BUNDLED[0]!;
    const r = ok(ecosim(['validate', file.replace(/\.yaml$/, '')], workdir()));
    expect(r.stdout).toMatch(new RegExp(`^ok: scenarios/${file.replace('.', '\\.')} \\(`));
  });
});

describe('ecosim scenarios', () => {
  it('lists a directory: file names padded, then the first sentence of each description', () => {
    const cwd = workdir();
    fs.mkdirSync(path.join(cwd, 'lib'));
    writeScenario(path.join(cwd, 'lib'), 'alpha.yaml', { description: 'Cold start with\n  subsidies. More text follows here.' });
    writeScenario(path.join(cwd, 'lib'), 'b.yaml', { description: 'No full stop here' });
    writeScenario(path.join(cwd, 'lib'), 'broken.yaml', { ticks: 'many' });
    fs.writeFileSync(path.join(cwd, 'lib', 'notes.txt'), 'not a scenario');
    const r = ok(ecosim(['scenarios', '--dir', 'lib'], cwd));
    expect(r.stdout).toBe(
      [
        'alpha.yaml   Cold start with subsidies.',
        'b.yaml       No full stop here',
        `broken.yaml  (not a valid scenario: see ecosim validate ${path.join('lib', 'broken.yaml')})`,
        '',
      ].join('\n'),
    );
  });

  it('lists the bundled library, every scenario in it valid', () => {
    const r = ok(ecosim(['scenarios'], workdir()));
    const files = bundled();
    if (files.length === 0) {
      expect(r.stdout).toBe('');
      expect(r.stderr).toContain('no scenario files');
      return;
    }
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines.map((l) => l.split(/\s+/)[0])).toEqual(files);
    for (const line of lines) expect(line).toMatch(/^\S+\.yaml\s{2,}\S/);
    expect(r.stdout).not.toContain('not a valid scenario');
  });

  it('rejects a --dir that does not exist', () => {
    const r = ecosim(['scenarios', '--dir', 'nowhere'], workdir());
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('--dir nowhere');
  });
});

describe('ecosim init', () => {
  const cwd = workdir();
  const file = path.join(cwd, 'starter.yaml');
  let r: Result;
  beforeAll(() => {
    r = ecosim(['init', 'starter.yaml'], cwd);
  });

  it('writes a starter scenario that validates', () => {
    ok(r);
    expect(r.stdout).toContain('wrote starter.yaml');
    const v = ok(ecosim(['validate', 'starter.yaml'], cwd));
    expect(v.stdout).toMatch(/^ok: starter\.yaml \(starter: 260 ticks, 10,000 customers, 500 partners, 1 platform\)\n$/);
    expect(loadScenarioSync(file).name).toBe('starter');
    expect(tree(cwd)).toEqual(['starter.yaml']);
  });

  it('has every main key, each with a one-line comment above it', () => {
    const lines = read(file).split('\n');
    const keys = Object.keys(scenarioSchema.shape).filter((k) => k !== '$schema');
    for (const key of keys) {
      const at = lines.findIndex((l) => l.startsWith(`${key}:`));
      expect(at, `${key} is in the starter`).toBeGreaterThan(0);
      expect(lines[at - 1], `comment above ${key}`).toMatch(/^# \S/);
    }
    const parsed = YAML.parse(read(file)) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual([...keys].sort());
  });

  it('runs', () => {
    ok(ecosim(['run', 'starter.yaml', '--ticks', '2', '--set', 'network.type=meanfield', '--quiet'], cwd));
    expect(readJson(cwd, 'out', 'starter', 'summary.json')['ticks']).toBe(2);
    fs.rmSync(path.join(cwd, 'out'), { recursive: true });
  });

  it('refuses to overwrite a file, unless --force', () => {
    fs.writeFileSync(file, 'name: mine\n');
    const again = ecosim(['init', 'starter.yaml'], cwd);
    expect(again.status).toBe(2);
    expect(again.stdout).toBe('');
    expect(again.stderr).toContain('starter.yaml');
    expect(again.stderr).toContain('--force');
    expect(read(file)).toBe('name: mine\n');
    ok(ecosim(['init', 'starter.yaml', '--force'], cwd));
    expect(read(file)).toContain('# How many ticks');
    expect(leftovers(cwd)).toEqual([]);
  });
});

describe('ecosim schema', () => {
  it('prints the JSON Schema, or writes it with --out', () => {
    const cwd = workdir();
    const r = ok(ecosim(['schema'], cwd));
    expect(JSON.parse(r.stdout)).toEqual(scenarioJsonSchema());
    ok(ecosim(['schema', '--out', 'schema/scenario.schema.json'], cwd));
    expect(read(cwd, 'schema', 'scenario.schema.json')).toBe(r.stdout);
    expect(leftovers(cwd)).toEqual([]);
  });
});

describe('help and usage', () => {
  it.each(['', 'run', 'validate', 'scenarios', 'init', 'schema'])('ecosim %s --help has an example', (command) => {
    const r = ok(ecosim(command === '' ? ['--help'] : [command, '--help'], workdir()));
    expect(r.stdout).toContain('\nExample:\n  $ ecosim ');
    expect(r.stdout).toContain(`Usage: ecosim ${command === '' ? '[options]' : `${command} `}`);
    expect(r.stderr).toBe('');
  });

  it('--version prints the package version', () => {
    expect(ok(ecosim(['--version'], workdir())).stdout).toBe(`${VERSION}\n`);
  });

  it.each([
    [['bogus'], "unknown command 'bogus'"],
    [['run'], "missing required argument 'scenario'"],
    [['run', 'x.yaml', '--bogus'], "unknown option '--bogus'"],
    [['run', 'x.yaml', '--replication', 'abc'], 'expected a whole number >= 0'],
    [['run', 'x.yaml', '--out'], "argument missing"],
    [[], 'Usage: ecosim'],
  ])('bad usage %j: exit 2, message on stderr only', (args, message) => {
    const cwd = workdir();
    const r = ecosim(args, cwd);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(message);
    expect(tree(cwd)).toEqual([]);
  });

  it('--debug adds the stack to an error', () => {
    const cwd = workdir();
    writeScenario(cwd, 'bad.yaml', { ticks: 'x' });
    const plain = ecosim(['validate', 'bad.yaml'], cwd);
    const debug = ecosim(['--debug', 'validate', 'bad.yaml'], cwd);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    expect(debug.status).toBe(2);
    expect(debug.stderr.startsWith(plain.stderr)).toBe(true);
    expect(debug.stderr).toMatch(/\n\s+at .*load\.ts/);
  });
});

/** Runs a command in a pseudo-terminal (util-linux `script`), typing Ctrl-C once `ready` is seen. */
function inTerminal(command: string, cwd: string, ready: RegExp): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('script', ['-qfec', command, '/dev/null'], { cwd, stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    let sent = false;
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    child.stdout.on('data', (d: Buffer) => {
      output += d.toString();
      if (!sent && ready.test(output)) {
        sent = true;
        child.stdin.write('\x03');
      }
    });
    child.on('error', reject);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

const hasScript = spawnSync('script', ['--version'], { encoding: 'utf8' }).status === 0;
const LONG = { ...SMALL, ticks: 100000, customers: { count: 20000 }, partners: { count: 500 } };

describe('interrupting a run', () => {
  it.runIf(hasScript)('on a terminal: shows progress, and Ctrl-C stops it with exit 130 and no output', async () => {
    const cwd = workdir();
    writeScenario(cwd, 'long.yaml', LONG);
    const command = [process.execPath, '--import', TSX, MAIN, 'run', 'long.yaml'].map((a) => `'${a}'`).join(' ');
    const r = await inTerminal(command, cwd, /small: tick\s+\d+\/100000/);
    expect(r.output).toMatch(/\rsmall: tick\s+1\/100000/);
    expect(r.output).toContain('interrupted by Ctrl-C: no output written');
    expect(r.status).toBe(130);
    expect(tree(cwd)).toEqual(['long.yaml']);
  });

  it.runIf(!hasScript)('SIGINT stops a run with exit 130 and no output', async () => {
    const cwd = workdir();
    writeScenario(cwd, 'long.yaml', LONG);
    const child = spawn(process.execPath, ['--import', TSX, MAIN, 'run', 'long.yaml'], { cwd });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    setTimeout(() => child.kill('SIGINT'), 3000);
    const status = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(stderr).toContain('interrupted by Ctrl-C: no output written');
    expect(status).toBe(130);
    expect(tree(cwd)).toEqual(['long.yaml']);
  });
});
