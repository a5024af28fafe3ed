// Bad input on the command line (DESIGN.md, principle 7): each broken scenario or argument gives
// exit code 2, a message on stderr that names the file and the key path, nothing on stdout, and no
// output directory or temporary file left behind. The checks of every kind of problem in a scenario
// are in scenario-load.test.ts; here each kind of path to an error through the command line.

import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-cli-errors-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

interface Outcome {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI as a user types it (asynchronously, so that the cases below can run side by side). */
function ecosim(args: readonly string[], cwd: string): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { cwd });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

function tree(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

/** A valid small scenario that the broken ones start from. */
const SMALL = { ticks: 30, customers: { count: 2000 }, partners: { count: 100 }, network: { type: 'meanfield' } };
const TWO = { ...SMALL, platforms: [{}, { name: 'rival' }] };
const SEGMENTS = [{ name: 'consumers', share: 0.5 }, { name: 'business', share: 0.5 }];

interface Case {
  /** What is broken; also the scenario file's name. */
  readonly name: string;
  /** The scenario file's text (YAML unless the name says .json); data is written as YAML. */
  readonly file?: string | object;
  /** Arguments after `run <file>`. */
  readonly args?: readonly string[];
  /** The key path the message must name ("" when the problem is the whole file). */
  readonly path: string;
  /** More text the message must hold (what was expected or found, a suggestion). */
  readonly also: readonly (string | RegExp)[];
}

const CASES: readonly Case[] = [
  { name: 'wrong-type', file: { ...SMALL, customers: { count: 'many' } }, path: 'customers.count', also: ['expected a whole number >= 0', 'found a string "many"'] },
  { name: 'out-of-range', file: { ...SMALL, platforms: [{ detection: 1.5 }] }, path: 'platforms.0.detection', also: ['between 0 and 1', 'found 1.5'] },
  { name: 'unknown-key', file: { ...SMALL, custmers: { count: 5 } }, path: 'custmers', also: ['unknown key "custmers"', '(did you mean "customers"?)'] },
  { name: 'missing-file', path: '', also: ['no such file'] },
  { name: 'bad-yaml', file: 'name: x\ncustomers:\n  count: [1, 2\n  p: 0.1\n', path: '(top level)', also: ['expected valid YAML', /line \d+, column \d+/] },
  { name: 'bad-json.json', file: '{\n  "ticks": 10,\n  "seed": 1,\n}\n', path: '(top level)', also: ['expected valid JSON', 'line 4, column 1'] },
  { name: 'not-a-mapping', file: '- 1\n- 2\n', path: '(top level)', also: ['a mapping of scenario keys', 'found a list [1,2]'] },
  {
    name: 'unknown-metric-in-rule',
    file: { ...SMALL, rules: [{ when: 'custmers >= 5000', set: { takeRate: 0.2 } }] },
    path: 'rules.0.when',
    also: ['unknown metric "custmers" at character 1', '(did you mean "customers"?)'],
  },
  {
    name: 'rule-outside-grammar',
    file: { ...SMALL, rules: [{ when: 'customers >= 5000 && process.exit()', set: { takeRate: 0.2 } }] },
    path: 'rules.0.when',
    also: ['unexpected character "&"'],
  },
  { name: 'negative-count', file: { ...SMALL, partners: { count: -5 } }, path: 'partners.count', also: ['found -5'] },
  { name: 'too-large-for-memory', file: { ...SMALL, customers: { count: 50000000000 } }, path: 'customers.count', also: ['a population that fits in memory', /GB/] },
  {
    name: 'unknown-platform-in-schedule',
    file: { ...TWO, schedule: [{ at: 5, platform: 'rivl', set: { takeRate: 0.1 } }] },
    path: 'schedule.0.platform',
    also: ['(did you mean "rival"?)'],
  },
  { name: 'unknown-ranking', file: { ...SMALL, platforms: [{ ranking: 'best' }] }, path: 'platforms.0.ranking', also: ['one of random, rating, promoted'] },
  { name: 'unknown-shock-type', file: { ...SMALL, shocks: [{ type: 'meteor', at: 5 }] }, path: 'shocks.0.type', also: ['one of partnerOutage, demand, entrant'] },
  { name: 'non-integer-ticks', file: { ...SMALL, ticks: 52.5 }, path: 'ticks', also: ['a whole number between 1 and 1000000', 'found 52.5'] },
  { name: 'bad-set-syntax', file: SMALL, args: ['--set', 'customers.count'], path: '--set', also: ['"customers.count", which has no "="'] },
  { name: 'set-unknown-platform', file: TWO, args: ['--set', 'platforms.rivel.takeRate=0.1'], path: '--set platforms.rivel.takeRate', also: ['(did you mean "rival"?)'] },
  { name: 'set-wrong-type', file: SMALL, args: ['--set', 'platforms.orchestrator.takeRate=high'], path: 'platforms.0.takeRate', also: ['found a string "high"'] },
  { name: 'seed-not-a-number', file: SMALL, args: ['--seed', 'abc'], path: 'seed', also: ['--seed "abc"'] },
  { name: 'seed-out-of-range', file: SMALL, args: ['--seed', '4294967296'], path: 'seed', also: ['between 0 and 4294967295', 'found 4294967296'] },
  { name: 'ticks-not-whole', file: SMALL, args: ['--ticks', '2.5'], path: 'ticks', also: ['--ticks "2.5"'] },
  // Segments and in-market experiments (MODEL section 10).
  { name: 'segment-shares', file: { ...SMALL, customers: { count: 2000, segments: [{ name: 'a', share: 0.5 }, { name: 'b', share: 0.4 }] } }, path: 'customers.segments', also: ['add up to 1', '0.9'] },
  { name: 'unknown-segment-policy', file: { ...SMALL, customers: { count: 2000, segments: SEGMENTS }, platforms: [{ segmentPolicies: { busines: { subscription: 1 } } }] }, path: 'platforms.0.segmentPolicies.busines', also: ['did you mean "business"?'] },
  { name: 'partner-key-in-customer-test', file: { ...SMALL, experiments: [{ name: 'x', start: 5, duration: 5, set: { takeRate: 0.1 }, metric: 'matches' }] }, path: 'experiments.0.set.takeRate', also: ['unit: partners'] },
  { name: 'test-window-outside-run', file: { ...SMALL, experiments: [{ name: 'x', start: 25, duration: 10, set: { couponValue: 0.1 }, metric: 'matches' }] }, path: 'experiments.0.duration', also: ['inside the run', '35'] },
  { name: 'test-share-out-of-range', file: { ...SMALL, experiments: [{ name: 'x', start: 5, duration: 10, share: 1.5, set: { couponValue: 0.1 }, metric: 'matches' }] }, path: 'experiments.0.share', also: ['> 0 and < 1', 'found 1.5'] },
  { name: 'unknown-segment-in-test', file: { ...SMALL, customers: { count: 2000, segments: SEGMENTS }, experiments: [{ name: 'x', start: 5, duration: 10, segment: 'busines', set: { couponValue: 0.1 }, metric: 'matches' }] }, path: 'experiments.0.segment', also: ['did you mean "business"?'] },
];

/** The scenario file name of a case. */
const fileOf = (c: Case) => (c.name.endsWith('.json') ? c.name : `${c.name}.yaml`);

describe.concurrent('broken input: exit 2, a message naming the file and key, nothing written', () => {
  it('has at least 15 distinct cases', () => {
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
    expect(CASES.length).toBeGreaterThanOrEqual(15);
  });

  it.each(CASES)('$name', async (c) => {
    const cwd = path.join(base, c.name);
    fs.mkdirSync(cwd);
    const file = fileOf(c);
    if (c.file !== undefined) fs.writeFileSync(path.join(cwd, file), typeof c.file === 'string' ? c.file : YAML.stringify(c.file));
    const before = tree(cwd);
    const r = await ecosim(['run', file, ...(c.args ?? [])], cwd);
    expect(r.stdout).toBe('');
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(`${file}: `);
    if (c.path !== '') expect(r.stderr).toContain(`: ${c.path}: `);
    for (const text of c.also) {
      if (typeof text === 'string') expect(r.stderr).toContain(text);
      else expect(r.stderr).toMatch(text);
    }
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack without --debug
    expect(r.stderr).not.toContain('internal error');
    // No output directory, no temporary file or directory.
    expect(tree(cwd)).toEqual(before);
  });

  it('a directory given as the scenario', async () => {
    const cwd = path.join(base, 'directory');
    fs.mkdirSync(path.join(cwd, 'folder.yaml'), { recursive: true });
    const r = await ecosim(['run', 'folder.yaml'], cwd);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('folder.yaml: (top level): expected a readable scenario file, found a directory\n');
    expect(tree(cwd)).toEqual(['folder.yaml']);
  });

  it('a misspelt bundled scenario name gets a suggestion', async () => {
    const bundled = fs.existsSync(path.join(ROOT, 'scenarios')) ? fs.readdirSync(path.join(ROOT, 'scenarios')).filter((f) => f.endsWith('.yaml')) : [];
    const cwd = path.join(base, 'bundled-name');
    fs.mkdirSync(cwd);
    const name = bundled.length > 0 ? `${bundled[0]!.replace(/\.yaml$/, '')}x` : 'nothing-like-it';
    const r = await ecosim(['run', name], cwd);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`${name}: (top level): expected a readable scenario file, or the name of a bundled scenario`);
    if (bundled.length > 0) expect(r.stderr).toContain(`(did you mean "${bundled[0]!.replace(/\.yaml$/, '')}"?)`);
    expect(tree(cwd)).toEqual([]);
  });

  it.each([
    ['a file', 'taken', 'taken'],
    ['below a file', 'taken/sub', 'taken'],
  ])('--out %s: refused before the run, nothing written', async (_what, out, blocker) => {
    const cwd = path.join(base, `out-${out.replace('/', '-')}`);
    fs.mkdirSync(cwd);
    fs.writeFileSync(path.join(cwd, 'ok.yaml'), YAML.stringify(SMALL));
    fs.writeFileSync(path.join(cwd, 'taken'), 'not a directory\n');
    const r = await ecosim(['run', 'ok.yaml', '--out', out], cwd);
    expect(r.status).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`--out ${out}: expected a directory to write into, found a file at ${blocker}\n`);
    expect(tree(cwd)).toEqual(['ok.yaml', 'taken']);
    expect(fs.readFileSync(path.join(cwd, 'taken'), 'utf8')).toBe('not a directory\n');
  });
});
