// ecosim analyze: sensitivity indices of a sweep directory. The "model" is a known function written
// into a hand-made runs.csv beside a manifest holding its design, so the indices can be checked
// against their analytic values without running a simulation.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { formatAnalysis } from '../src/cli/analyze.js';
import { SENSITIVITY_FILE, analyzeSweep, parseCsv, sensitivityCsv } from '../src/experiment/analyze.js';
import { InputError } from '../src/sim/inputError.js';
import { buildDesign } from '../src/experiment/designs.js';
import type { Design, DesignPoint, ParamSpec } from '../src/experiment/types.js';
import { csvField, formatNumber } from '../src/sim/output/csv.js';
import { writeFixture } from './helpers.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const MAIN = path.join(ROOT, 'src', 'cli', 'main.ts');
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
/** The spawn tests wait until main.ts registers the command. */
const mainHasAnalyze = fs.readFileSync(MAIN, 'utf8').includes('registerAnalyze');

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-analyze-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let dirCount = 0;

const METRICS = ['all.total.ecosystemValue', 'all.total.revenue', 'all.total.leakageRate', 'all.final.customers', 'all.tippedAt'];

type Model = (p: DesignPoint, replication: number) => Record<string, number | null>;
interface Run {
  status?: 'ok' | 'failed';
  error?: string;
}

/** A sweep directory as ecosim sweep writes it: manifest.json (design, replications) and runs.csv. */
function writeSweep(design: Design, replications: number, model: Model, runs: (run: number) => Run = () => ({})): string {
  const dir = path.join(base, `sweep${++dirCount}`);
  const paths = design.params.map((p) => p.path);
  const lines = [['run', 'point', 'replication', 'seed', 'status', 'error', ...paths, ...METRICS].join(',')];
  for (const p of design.points) {
    for (let r = 0; r < replications; r++) {
      const run = p.index * replications + r;
      const { status = 'ok', error = '' } = runs(run);
      const out = model(p, r);
      const values = paths.map((k) => formatNumber(p.values[k] as number));
      const metrics = METRICS.map((m) => (status === 'ok' && out[m] !== null && out[m] !== undefined ? formatNumber(out[m]) : ''));
      lines.push([run, p.index, r, 1000 + run, status, csvField(error), ...values, ...metrics].join(','));
    }
  }
  writeFixture(dir, { 'runs.csv': `${lines.join('\n')}\n` }, { design, replications, seed: 1 });
  return dir;
}

const range = (p: string, from: number, to: number): ParamSpec => ({ kind: 'range', path: p, from, to });
const x = (p: DesignPoint, k: string) => p.values[k] as number;
const ishigami = (p: DesignPoint) => Math.sin(x(p, 'x1')) + 7 * Math.sin(x(p, 'x2')) ** 2 + 0.1 * x(p, 'x3') ** 4 * Math.sin(x(p, 'x1'));

/** Ishigami as ecosystem value, with replication noise that averages out; a linear revenue; a constant leakage rate. */
const model: Model = (p, r) => ({
  'all.total.ecosystemValue': ishigami(p) + (r === 0 ? 0.25 : -0.25),
  'all.total.revenue': 3 * x(p, 'x2'),
  'all.total.leakageRate': 0.1,
  'all.final.customers': 1000 + 10 * x(p, 'x3'),
  'all.tippedAt': p.index % 3 === 0 ? null : 12,
});

function cliError(fn: () => unknown): InputError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('expected an InputError');
}

describe('parseCsv', () => {
  it('reads quoted fields with commas, quotes and line breaks, CRLF, and a last line without its end', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\n2,,"two\nlines"\n3,last,';
    expect(parseCsv(text)).toEqual([
      ['a', 'b', 'c'],
      ['1', 'x, y', 'say "hi"'],
      ['2', '', 'two\nlines'],
      ['3', 'last', ''],
    ]);
    expect(parseCsv('')).toEqual([]);
    expect(parseCsv('a\n')).toEqual([['a']]);
  });

  it('reads back what csvField writes', () => {
    const fields = ['plain', 'comma,here', 'quote"here', 'line\nbreak', ''];
    expect(parseCsv(`${fields.map(csvField).join(',')}\n`)).toEqual([fields]);
  });
});

describe('analyzeSweep on a sobol sweep (Ishigami)', () => {
  const params = ['x1', 'x2', 'x3'].map((p) => range(p, -Math.PI, Math.PI));
  const design = buildDesign('sobol', params, { samples: 2048, seed: 2 });
  const dir = writeSweep(design, 2, model);
  const result = analyzeSweep(dir, { bootstrap: 200 });

  it('averages replications and recovers the Ishigami indices', () => {
    expect(result).toMatchObject({ kind: 'sobol', points: 2048 * 5, replications: 2, samples: 2048, bootstrap: 200 });
    const ev = result.metrics.find((m) => m.metric === 'all.total.ecosystemValue')!;
    expect(ev.kind).toBe('sobol');
    const S1 = [0.3139, 0.4424, 0];
    const ST = [0.5576, 0.4424, 0.2437];
    ev.indices.forEach((i, j) => {
      expect('S1' in i && Math.abs(i.S1 - S1[j]!)).toBeLessThan(0.05);
      expect('ST' in i && Math.abs(i.ST - ST[j]!)).toBeLessThan(0.05);
    });
  });

  it('puts a linear output on its one parameter and skips a default metric that never varies', () => {
    const rev = result.metrics.find((m) => m.metric === 'all.total.revenue')!;
    // runs.csv holds 10 significant digits, so "exactly" is to about 1e-6 here.
    expect(rev.indices.map((i) => ('ST' in i ? Number(i.ST.toFixed(4)) : NaN))).toEqual([0, 1, 0]);
    expect(result.metrics.map((m) => m.metric)).toEqual(['all.total.ecosystemValue', 'all.total.revenue', 'all.final.customers']);
    expect(result.skipped).toEqual([{ metric: 'all.total.leakageRate', reason: 'the same at every point: no variation to apportion' }]);
  });

  it('writes a tidy sensitivity.csv, and leaves no temporary file', () => {
    const text = fs.readFileSync(path.join(dir, SENSITIVITY_FILE), 'utf8');
    expect(text).toBe(sensitivityCsv(result.rows));
    const rows = parseCsv(text);
    expect(rows[0]).toEqual(['metric', 'parameter', 'index', 'value', 'low', 'high']);
    expect(rows).toHaveLength(1 + 3 * 3 * 2); // 3 metrics × 3 parameters × (S1, ST)
    expect(rows[1]!.slice(0, 3)).toEqual(['all.total.ecosystemValue', 'x1', 'S1']);
    expect(rows.slice(1).every((r) => r.length === 6 && r.slice(3).every((v) => v !== '' && Number.isFinite(Number(v))))).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['manifest.json', 'runs.csv', 'sensitivity.csv']);
  });

  it('prints a table, most influential parameter first', () => {
    const text = formatAnalysis(result);
    expect(text).toMatch(/^sobol design: 10240 points × 2 replications/);
    const block = text.split('\n\n').find((b) => b.startsWith('all.total.ecosystemValue'))!;
    expect(block.split('\n')[1]).toMatch(/parameter\s+S1\s+S1 interval\s+ST\s+ST interval/);
    expect(block.split('\n')[2]).toMatch(/^\s+x1\s+0\.\d{3}\s+\[0\.\d{3}, 0\.\d{3}\]/);
    expect(text).toContain('skipped all.total.leakageRate');
  });

  it('analyses the metrics asked for, and is deterministic', () => {
    const again = analyzeSweep(dir, { bootstrap: 200, metrics: ['all.total.ecosystemValue'] });
    expect(again.metrics).toEqual([result.metrics[0]]);
  });

  it('refuses an unknown metric with a suggestion, and analyses nothing when every asked metric is empty or constant', () => {
    expect(cliError(() => analyzeSweep(dir, { metrics: ['all.total.revenu'] })).message).toMatch(/--metric all\.total\.revenu: no such column in .*runs\.csv \(did you mean "all\.total\.revenue"\?\)/);
    expect(cliError(() => analyzeSweep(dir, { metrics: ['x1'] })).message).toMatch(/no such column/); // a parameter, not an output
    expect(cliError(() => analyzeSweep(dir, { metrics: ['all.tippedAt'] })).message).toMatch(/no metric to analyse: all\.tippedAt is empty at 3414 of 10240 points/);
    expect(cliError(() => analyzeSweep(dir, { metrics: ['all.total.leakageRate'] })).message).toMatch(/all\.total\.leakageRate is the same at every point/);
  });

  it('skips a constant metric asked for with a note naming it, and analyses the others', () => {
    const r = analyzeSweep(dir, { bootstrap: 0, metrics: ['all.total.leakageRate', 'all.total.revenue'] });
    expect(r.metrics.map((m) => m.metric)).toEqual(['all.total.revenue']);
    expect(r.skipped).toEqual([{ metric: 'all.total.leakageRate', reason: 'the same at every point: no variation to apportion' }]);
    expect(formatAnalysis(r)).toContain('skipped all.total.leakageRate: the same at every point');
  });

  it('merges into sensitivity.csv: metrics of an earlier analysis of the sweep stay unless analysed again', () => {
    const merged = writeSweep(buildDesign('sobol', [range('x1', -1, 1), range('x2', -1, 1)], { samples: 32, seed: 2 }), 1, (p) => ({ 'all.total.ecosystemValue': x(p, 'x1'), 'all.total.revenue': x(p, 'x2') + 2 * x(p, 'x1'), 'all.total.leakageRate': 0.5, 'all.final.customers': 1 }));
    const metricsIn = () => [...new Set(parseCsv(fs.readFileSync(path.join(merged, SENSITIVITY_FILE), 'utf8')).slice(1).filter((l) => l.length > 1).map((l) => l[0]))];
    analyzeSweep(merged, { bootstrap: 0, metrics: ['all.total.ecosystemValue'] });
    const second = analyzeSweep(merged, { bootstrap: 0, metrics: ['all.total.revenue'] });
    expect(second.kept).toEqual(['all.total.ecosystemValue']);
    expect(metricsIn()).toEqual(['all.total.ecosystemValue', 'all.total.revenue']);
    const before = fs.readFileSync(path.join(merged, SENSITIVITY_FILE), 'utf8');
    analyzeSweep(merged, { bootstrap: 0, metrics: ['all.total.ecosystemValue'] });
    expect(fs.readFileSync(path.join(merged, SENSITIVITY_FILE), 'utf8')).toBe(before); // analysed again in place: the same bytes
    const manifest = JSON.parse(fs.readFileSync(path.join(merged, 'manifest.json'), 'utf8')) as { derived: Record<string, { bytes: number }> };
    expect(manifest.derived[SENSITIVITY_FILE]!.bytes).toBe(Buffer.byteLength(before));
  });
});

describe('analyzeSweep on a morris sweep', () => {
  it('gives mu* = coefficient × range for a linear output', () => {
    const design = buildDesign('morris', [range('a', 0, 2), range('b', 10, 20)], { samples: 8, seed: 3 });
    const dir = writeSweep(design, 3, (p, r) => ({
      'all.total.ecosystemValue': 5 * x(p, 'a') - 0.5 * x(p, 'b') + r,
      'all.total.revenue': x(p, 'a') * x(p, 'b'),
      'all.total.leakageRate': null,
      'all.final.customers': 7,
      'all.tippedAt': null,
    }));
    const r = analyzeSweep(dir);
    expect(r.kind).toBe('morris');
    expect(r.bootstrap).toBe(0);
    const ev = r.metrics[0]!;
    expect(ev.metric).toBe('all.total.ecosystemValue');
    const [a, b] = ev.indices as { path: string; mu: number; muStar: number; sigma: number | null }[];
    // 5 × range 2 and -0.5 × range 10, to the 10 significant digits of runs.csv
    expect(a!.muStar).toBeCloseTo(10, 6);
    expect(b!.mu).toBeCloseTo(-5, 6);
    expect(b!.sigma!).toBeCloseTo(0, 6);
    expect(r.skipped.map((s) => s.metric)).toEqual(['all.total.leakageRate', 'all.final.customers']);
    const rows = parseCsv(fs.readFileSync(path.join(dir, SENSITIVITY_FILE), 'utf8'));
    expect(rows.slice(1, 4).map((row) => row.slice(0, 3))).toEqual([
      ['all.total.ecosystemValue', 'a', 'mu'],
      ['all.total.ecosystemValue', 'a', 'mu_star'],
      ['all.total.ecosystemValue', 'a', 'sigma'],
    ]);
    expect(rows.slice(1, 4).map((row) => [Number(Number(row[3]).toFixed(6)), row[4], row[5]])).toEqual([
      [10, '', ''],
      [10, '', ''],
      [0, '', ''],
    ]);
    // sigma is rounding noise of a zero (runs.csv has 10 digits), shown in exponent form
    expect(formatAnalysis(r)).toMatch(/parameter\s+mu\*\s+mu\s+sigma\n\s+a\s+10\s+10\s+(0|\d\.\d\de-\d+)\n\s+b\s+5\s+-5\s/);
  });
});

describe('analyzeSweep refuses what it cannot analyse', () => {
  const design = buildDesign('sobol', [range('a', 0, 1), range('b', 0, 1)], { samples: 16, seed: 1 });
  const linear: Model = (p) => ({ 'all.total.ecosystemValue': x(p, 'a'), 'all.total.revenue': 1, 'all.total.leakageRate': 1, 'all.final.customers': 1, 'all.tippedAt': 1 });

  it('failed runs, naming them and their errors', () => {
    const dir = writeSweep(design, 1, linear, (run) => (run === 3 || run === 9 ? { status: 'failed', error: 'platforms.0.takeRate: expected a number <= 1, "found" 1.5' } : {}));
    const message = cliError(() => analyzeSweep(dir)).message;
    expect(message).toMatch(/runs\.csv: 2 of 64 runs failed/);
    expect(message).toContain('run 3 (point 3): platforms.0.takeRate: expected a number <= 1, "found" 1.5; run 9 (point 9)');
    expect(fs.existsSync(path.join(dir, SENSITIVITY_FILE))).toBe(false);
  });

  it('a directory that is not a sweep, a grid sweep, missing runs, and defaults that are all unusable', () => {
    expect(cliError(() => analyzeSweep(path.join(base, 'nowhere'))).message).toMatch(/nowhere: no such directory: expected the output directory of "ecosim run", "ecosim sweep"/);
    const grid = writeSweep(buildDesign('grid', [{ kind: 'list', path: 'a', values: [1, 2] }], {}), 1, linear);
    expect(cliError(() => analyzeSweep(grid)).message).toMatch(/sobol and morris designs; this sweep's design is grid/);
    const short = writeSweep(design, 1, linear);
    const text = fs.readFileSync(path.join(short, 'runs.csv'), 'utf8').trimEnd().split('\n');
    fs.writeFileSync(path.join(short, 'runs.csv'), `${text.slice(0, -1).join('\n')}\n`);
    expect(cliError(() => analyzeSweep(short)).message).toMatch(/runs\.csv: does not match .*manifest\.json \(expected \d+ bytes with SHA-256 [0-9a-f]{12}…, found \d+ bytes\): it was changed or cut short/);
    const flat = writeSweep(design, 1, (p) => ({ ...linear(p, 0), 'all.total.ecosystemValue': 2 }));
    expect(cliError(() => analyzeSweep(flat)).message).toMatch(/no metric to analyse/);
    const bad = path.join(base, 'bad');
    fs.mkdirSync(bad);
    fs.writeFileSync(path.join(bad, 'manifest.json'), '{"design": 3}');
    expect(cliError(() => analyzeSweep(bad)).message).toMatch(/manifest\.json: expected the manifest of an ecosim result/);
    const noDesign = path.join(base, 'no-design');
    writeFixture(noDesign, { 'runs.csv': 'run\n' }, { design: 3 });
    expect(cliError(() => analyzeSweep(noDesign)).message).toMatch(/expected a sweep manifest with a design/);
  });
});

describe('ecosim analyze (spawned)', () => {
  const run = (args: readonly string[]) => spawnSync(process.execPath, ['--import', TSX, MAIN, 'analyze', ...args], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  const params = ['x1', 'x2', 'x3'].map((p) => range(p, -Math.PI, Math.PI));
  const dir = writeSweep(buildDesign('sobol', params, { samples: 256, seed: 4 }), 2, model);

  it.skipIf(!mainHasAnalyze)('prints the table, writes sensitivity.csv, exit 0', () => {
    const r = run([dir, '--bootstrap', '50']);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^sobol design: 1280 points × 2 replications/);
    expect(r.stdout).toContain(`wrote ${path.join(dir, SENSITIVITY_FILE)}`);
    expect(fs.existsSync(path.join(dir, SENSITIVITY_FILE))).toBe(true);
  });

  it.skipIf(!mainHasAnalyze)('prints JSON with --json, nothing else on stdout', () => {
    const r = run([dir, '--json', '--bootstrap', '0', '--metric', 'all.total.revenue']);
    expect(r.status, r.stderr).toBe(0);
    const json = JSON.parse(r.stdout) as { kind: string; metrics: { metric: string; indices: { path: string; ST: number; STLow: number | null }[] }[] };
    expect(json.kind).toBe('sobol');
    expect(json.metrics.map((m) => m.metric)).toEqual(['all.total.revenue']);
    expect(json.metrics[0]!.indices[1]).toMatchObject({ path: 'x2', STLow: null });
  });

  it.skipIf(!mainHasAnalyze)('exits 2 with one clear line for an unknown metric or a bad --bootstrap', () => {
    const r = run([dir, '--metric', 'all.final.customer']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--metric all\.final\.customer: no such column in .* \(did you mean "all\.final\.customers"\?\)/);
    expect(run([dir, '--bootstrap', '-1']).status).toBe(2);
  });
});
