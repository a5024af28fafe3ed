// The output layer under the CLI: atomic writes, tidy CSV, the files of a run.

import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { METRIC_NAMES, type MetricRow } from '../src/sim/metrics.js';
import { tempDirName, writeDirAtomic, writeFileAtomic } from '../src/sim/output/atomic.js';
import { csvField, formatNumber, metricsCsv, metricsCsvChunks, type NonFiniteValue } from '../src/sim/output/csv.js';
import { jsonText, nonFinitePaths, runManifest, writeRunOutputs } from '../src/sim/output/runOutputs.js';
import { scenarioFromObject } from '../src/sim/scenario/load.js';
import { simulate } from '../src/simulate.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-output-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));
let count = 0;
const fresh = () => {
  const dir = path.join(base, `d${++count}`);
  fs.mkdirSync(dir);
  return dir;
};
const tree = (dir: string) => (fs.readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();

/** Content that fails part way, as a full disk or a bug would. */
function* failing(): Generator<string> {
  yield 'partial,';
  throw new Error('disk on fire');
}

describe('formatNumber', () => {
  it('writes integers as they are and other numbers to 10 significant digits', () => {
    expect(formatNumber(0)).toBe('0');
    expect(formatNumber(-0)).toBe('0');
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(-1234567)).toBe('-1234567');
    expect(formatNumber(0.1 + 0.2)).toBe('0.3');
    expect(formatNumber(1 / 3)).toBe('0.3333333333');
    expect(formatNumber(-2 / 3)).toBe('-0.6666666667');
    expect(formatNumber(123456.789012345)).toBe('123456.789');
    expect(formatNumber(1.5e-7)).toBe('1.5e-7');
  });

  it('refuses what is not a finite number', () => {
    expect(formatNumber(Number.NaN)).toBeUndefined();
    expect(formatNumber(Number.POSITIVE_INFINITY)).toBeUndefined();
    expect(formatNumber(Number.NEGATIVE_INFINITY)).toBeUndefined();
  });
});

describe('csvField', () => {
  it('quotes only when RFC 4180 needs it', () => {
    expect(csvField('orchestrator')).toBe('orchestrator');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('cr\r')).toBe('"cr\r"');
  });
});

function row(tick: number, platform: string, value: (m: string) => number = () => 0.5): MetricRow {
  return { tick, platform, ...Object.fromEntries(METRIC_NAMES.map((m) => [m, value(m)])) } as MetricRow;
}

describe('metricsCsv', () => {
  it('writes the header and one line per row', () => {
    const text = metricsCsv([row(0, 'a'), row(0, 'all'), row(1, 'a,b')]);
    const lines = text.split('\n');
    expect(lines[0]).toBe(['tick', 'platform', ...METRIC_NAMES].join(','));
    expect(lines[1]).toBe(['0', 'a', ...METRIC_NAMES.map(() => '0.5')].join(','));
    expect(lines[3]!.startsWith('1,"a,b",0.5,')).toBe(true);
    expect(lines).toHaveLength(5);
    expect(lines[4]).toBe('');
  });

  it('writes an empty field for a value that is not a number, and reports it', () => {
    const bad: NonFiniteValue[] = [];
    const text = metricsCsv([row(3, 'p', (m) => (m === 'matchRate' ? Number.NaN : m === 'cash' ? Infinity : 1))], bad);
    const fields = text.split('\n')[1]!.split(',');
    expect(fields[2 + METRIC_NAMES.indexOf('matchRate')]).toBe('');
    expect(fields[2 + METRIC_NAMES.indexOf('cash')]).toBe('');
    expect(fields[2 + METRIC_NAMES.indexOf('customers')]).toBe('1');
    expect(text).not.toMatch(/NaN|Infinity/);
    expect(bad).toEqual([
      { tick: 3, platform: 'p', metric: 'matchRate', value: Number.NaN },
      { tick: 3, platform: 'p', metric: 'cash', value: Infinity },
    ]);
  });

  it('gives the same text in chunks as whole, for many rows', () => {
    const rows = Array.from({ length: 1300 }, (_, i) => row(i, 'all', () => i / 7));
    const chunks = [...metricsCsvChunks(rows)];
    expect(chunks.length).toBeGreaterThan(2);
    expect(chunks.join('')).toBe(metricsCsv(rows));
    expect(chunks.join('').split('\n')).toHaveLength(1302);
  });
});

describe('writeFileAtomic', () => {
  it('writes a new file and replaces an existing one, leaving no temporary file', () => {
    const dir = fresh();
    const file = path.join(dir, 'a.json');
    writeFileAtomic(file, 'one\n');
    expect(fs.readFileSync(file, 'utf8')).toBe('one\n');
    writeFileAtomic(file, ['tw', 'o\n']);
    expect(fs.readFileSync(file, 'utf8')).toBe('two\n');
    expect(tree(dir)).toEqual(['a.json']);
  });

  it('leaves the old file as it was when writing fails', () => {
    const dir = fresh();
    const file = path.join(dir, 'a.json');
    fs.writeFileSync(file, 'old\n');
    expect(() => writeFileAtomic(file, failing())).toThrow('disk on fire');
    expect(fs.readFileSync(file, 'utf8')).toBe('old\n');
    expect(tree(dir)).toEqual(['a.json']);
  });

  it('leaves nothing when the target is a directory', () => {
    const dir = fresh();
    fs.mkdirSync(path.join(dir, 'sub'));
    expect(() => writeFileAtomic(path.join(dir, 'sub'), 'x')).toThrow();
    expect(tree(dir)).toEqual(['sub']);
  });
});

describe('writeDirAtomic', () => {
  const files = [
    { name: 'a.csv', content: 'a\n' },
    { name: 'b.json', content: ['{', '}\n'] },
  ];

  it('creates the directory complete, with missing parents', () => {
    const dir = fresh();
    writeDirAtomic(path.join(dir, 'x', 'y', 'out'), files);
    expect(tree(dir)).toEqual(['x', 'x/y', 'x/y/out', 'x/y/out/a.csv', 'x/y/out/b.json']);
    expect(fs.readFileSync(path.join(dir, 'x/y/out/b.json'), 'utf8')).toBe('{}\n');
  });

  it('leaves nothing behind when a file fails: no directory, no temporary, no created parents', () => {
    const dir = fresh();
    expect(() => writeDirAtomic(path.join(dir, 'x', 'y', 'out'), [files[0]!, { name: 'c.csv', content: failing() }])).toThrow('disk on fire');
    expect(tree(dir)).toEqual([]);
    fs.mkdirSync(path.join(dir, 'kept'));
    expect(() => writeDirAtomic(path.join(dir, 'kept', 'out'), [{ name: 'c.csv', content: failing() }])).toThrow('disk on fire');
    expect(tree(dir)).toEqual(['kept']);
  });

  it('replaces files of an existing directory one by one, keeping other files', () => {
    const dir = fresh();
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'a.csv'), 'old\n');
    fs.writeFileSync(path.join(out, 'mine.txt'), 'mine\n');
    writeDirAtomic(out, files);
    expect(tree(dir)).toEqual(['out', 'out/a.csv', 'out/b.json', 'out/mine.txt']);
    expect(fs.readFileSync(path.join(out, 'a.csv'), 'utf8')).toBe('a\n');
  });

  it('leaves an existing directory as it was when a file fails', () => {
    const dir = fresh();
    const out = path.join(dir, 'out');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'a.csv'), 'old\n');
    expect(() => writeDirAtomic(out, [files[0]!, { name: 'c.csv', content: failing() }])).toThrow('disk on fire');
    expect(tree(dir)).toEqual(['out', 'out/a.csv']);
    expect(fs.readFileSync(path.join(out, 'a.csv'), 'utf8')).toBe('old\n');
  });

  it('removes a stale temporary directory of the same process id', () => {
    const dir = fresh();
    const out = path.join(dir, 'out');
    fs.mkdirSync(tempDirName(out));
    fs.writeFileSync(path.join(tempDirName(out), 'junk'), 'x');
    writeDirAtomic(out, files);
    expect(tree(dir)).toEqual(['out', 'out/a.csv', 'out/b.json']);
  });

  it('rejects names that are not plain file names, before writing anything', () => {
    const dir = fresh();
    expect(() => writeDirAtomic(path.join(dir, 'out'), [{ name: '../escape', content: 'x' }])).toThrow('not a plain file name');
    expect(tree(dir)).toEqual([]);
  });
});

describe('writeRunOutputs', () => {
  const scenario = scenarioFromObject({ ticks: 6, customers: { count: 500 }, partners: { count: 30 }, network: { type: 'meanfield' } });
  const result = simulate(scenario);
  const manifest = runManifest({ version: '9.9.9', command: 'run', scenarioFile: 'x.yaml', settings: ['ticks=6'], replication: 0, scenario });

  it('writes metrics.csv, summary.json and manifest.json', () => {
    const dir = path.join(fresh(), 'run');
    const report = writeRunOutputs(dir, result, manifest);
    expect(report.files).toEqual(['metrics.csv', 'summary.json', 'manifest.json']);
    expect(report.nonFiniteMetrics).toEqual([]);
    expect(report.nonFiniteSummary).toEqual([]);
    expect(tree(dir)).toEqual(['manifest.json', 'metrics.csv', 'summary.json']);
    expect(fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8')).toBe(metricsCsv(result.metrics));
    expect(fs.readFileSync(path.join(dir, 'summary.json'), 'utf8')).toBe(jsonText(result.summary));
    const m = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(m).toMatchObject({ tool: 'ecosim', version: '9.9.9', seed: 42, ticks: 6, replication: 0, settings: ['ticks=6'] });
    expect(m['scenario']).toEqual(JSON.parse(JSON.stringify(scenario)));
  });

  it('reports values that are not numbers', () => {
    const rows = result.metrics.map((r, i) => (i === 2 ? { ...r, gmv: Number.NaN } : r));
    const summary = { ...result.summary, all: { ...result.summary.all, peakCustomers: Infinity } };
    const dir = path.join(fresh(), 'run');
    const report = writeRunOutputs(dir, { ...result, metrics: rows, summary }, manifest);
    expect(report.nonFiniteMetrics).toEqual([{ tick: rows[2]!.tick, platform: rows[2]!.platform, metric: 'gmv', value: Number.NaN }]);
    expect(report.nonFiniteSummary).toEqual(['all.peakCustomers']);
    expect(fs.readFileSync(path.join(dir, 'metrics.csv'), 'utf8')).not.toContain('NaN');
  });

  it('finds non-finite numbers at their paths', () => {
    expect(nonFinitePaths({ a: [1, Number.NaN], b: { c: -Infinity, d: null, e: 'x' } })).toEqual(['a.1', 'b.c']);
  });
});
