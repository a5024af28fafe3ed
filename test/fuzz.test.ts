// A seeded property-based fuzz test: mutated scenario files (YAML and JSON, mutated as data and as
// text) and mutated --set values go through validation and, when they pass, a short run written to
// disk. For every case: the outcome is success or an input error (exit 0 or 2; never an internal
// error), no message carries a stack trace, no written file holds NaN or Infinity, and a failed run
// leaves nothing behind. Most cases run in-process through the library, to stay fast; a sample goes
// through the command line. The generator is seeded: a failure names its case and reproduces.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parse as parseYaml, stringify as yamlStringify } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { InputError, isScenarioError, loadScenarioSync, runManifest, simulate, writeRunOutputs, VERSION, type Scenario } from '../src/index.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SEED = 20_251_111;
/** Cases in-process; the README records this number. */
export const FUZZ_CASES = 2_000;
const CLI_CASES = 16;

/** mulberry32: a small, fast, seeded generator, enough to drive mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type R = () => number;
const pick = <T>(r: R, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;

const ODD_NUMBERS = [0, -0, -1, 1, 0.5, -0.5, 2, 7, 1e-320, 1e-9, 1e9, 1e308, -1e308, 2 ** 31, 2 ** 53, -(2 ** 31), 0.999999, 1.000001, 100, 3.7];
const ODD_TEXT = ['', 'x', 'all', 'random', 'rating', 'meanfield', '1e400', '-Infinity', 'NaN', '../x', 'a'.repeat(300), '\u0000', '😀', 'null', 'true'];

function oddValue(r: R, depth = 0): unknown {
  const k = r();
  if (k < 0.45) return pick(r, ODD_NUMBERS);
  if (k < 0.65) return pick(r, ODD_TEXT);
  if (k < 0.72) return r() < 0.5;
  if (k < 0.78) return null;
  if (depth > 1) return 0;
  if (k < 0.89) return Array.from({ length: Math.floor(r() * 3) }, () => oddValue(r, depth + 1));
  return { [pick(r, ['count', 'takeRate', 'bogus', 'name', 'factor', 'at'])]: oddValue(r, depth + 1) };
}

/** Every path of a value's tree (objects and arrays), the root excluded. */
function paths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  if (Array.isArray(v)) v.forEach((x, i) => (out.push([...prefix, i]), paths(x, [...prefix, i], out)));
  else if (v !== null && typeof v === 'object') for (const [k, x] of Object.entries(v)) (out.push([...prefix, k]), paths(x, [...prefix, k], out));
  return out;
}

function mutate(r: R, doc: Record<string, unknown>): void {
  const all = paths(doc);
  const at = pick(r, all);
  let parent: unknown = doc;
  for (const k of at.slice(0, -1)) parent = (parent as Record<string | number, unknown>)[k];
  const key = at[at.length - 1]!;
  const p = parent as Record<string | number, unknown>;
  const kind = r();
  // A third of the mutations are plausible edits (a number scaled a little), so that many cases
  // stay valid and reach a run; the rest are odd values, deletions, unknown keys and copies.
  if (kind < 0.35 && typeof p[key] === 'number') p[key] = (p[key] as number) * pick(r, [0.5, 0.9, 1.1, 2, 0]);
  else if (kind < 0.6) p[key] = oddValue(r);
  else if (kind < 0.75) {
    if (Array.isArray(p)) p.splice(Number(key), 1);
    else delete p[key];
  } else if (kind < 0.85) p[`${String(key)}X`] = oddValue(r);
  else if (kind < 0.93 && typeof p[key] === 'number') p[key] = (p[key] as number) * pick(r, [-1, 10, 1000, 1e-6, 1.5]);
  else if (Array.isArray(p)) p.push(structuredClone(p[0] ?? null));
  else p[key] = structuredClone(doc[pick(r, Object.keys(doc))]);
}

const SET_PATHS = ['ticks', 'seed', 'customers.count', 'partners.count', 'platforms.0.takeRate', 'platforms.1.takeRate', 'platforms.0.name', 'customers.q', 'customers.needRate', 'partners.fixedCost', 'network.type', 'platforms.0.ranking', 'platforms.9.takeRate', 'shocks.0.factor', 'customers', 'bogus.key', 'platforms.-1.takeRate'];
const SET_VALUES = ['0.1', '0.3', '5', '0', '-1', '0.2', '1e308', 'NaN', 'Infinity', '', 'abc', '[1,2]', '{a: 1}', 'null', 'true', '2147483648', '12', '0x10', '1_000'];

/** The bundled scenarios, shrunk: a few weeks, a few hundred agents, so that a run takes milliseconds. */
function bases(): Record<string, unknown>[] {
  const names = ['baseline', 'cold-start-subsidy', 'competition', 'disintermediation', 'crisis-response', 'curation', 'pricing'];
  return names.map((n) => {
    const doc = parseYaml(fs.readFileSync(path.join(ROOT, 'scenarios', `${n}.yaml`), 'utf8')) as Record<string, unknown>;
    doc['ticks'] = 8;
    doc['customers'] = { ...(doc['customers'] as object), count: 120 };
    doc['partners'] = { ...(doc['partners'] as object), count: 15 };
    doc['network'] = { type: 'meanfield' };
    return doc;
  });
}

interface Case {
  readonly id: number;
  readonly text: string;
  readonly ext: '.yaml' | '.json';
  readonly settings: string[];
}

function makeCase(r: R, id: number, docs: readonly Record<string, unknown>[]): Case {
  const doc = structuredClone(pick(r, docs));
  const n = r() < 0.7 ? 1 : 2;
  for (let i = 0; i < n; i++) mutate(r, doc);
  const ext = r() < 0.7 ? '.yaml' : '.json';
  let text = ext === '.yaml' ? yamlStringify(doc) : JSON.stringify(doc, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 1);
  if (r() < 0.1) {
    // Damage the text itself: cut it, or drop a character into it.
    const at = Math.floor(r() * text.length);
    text = r() < 0.5 ? text.slice(0, at) : text.slice(0, at) + pick(r, [':', '{', '"', '-', '\t', '&a', '*a', '!!set', '\n  ']) + text.slice(at);
  }
  const settings = r() < 0.5 ? Array.from({ length: 1 + Math.floor(r() * 2) }, () => `${pick(r, SET_PATHS)}=${pick(r, SET_VALUES)}`) : [];
  return { id, text, ext, settings };
}

/** A mistake of the input (exit 2), not an internal error (exit 1). */
const inputError = (e: unknown) => isScenarioError(e) || e instanceof InputError;

/** Small enough to run in a test: the population and the weeks the case asks for. */
const small = (s: Scenario) => s.customers.count * s.ticks <= 40_000 && s.partners.count <= 2_000;

function filesUnder(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

const TEXT_COLUMNS = new Set(['platform', 'name', 'scenario', 'metric', 'status', 'error']);

/**
 * The numbers of a written file that are not finite: CSV cells of numeric columns reading NaN or
 * ±Infinity (a platform may well be named "NaN"), and in JSON the same as numbers written as text
 * by a lenient writer. Names the user gave are text and are left alone.
 */
function nonFinite(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  const bad = (v: string) => /^[+-]?(NaN|Infinity)$/.test(v.trim());
  if (file.endsWith('.csv')) {
    const [head = '', ...rows] = text.split('\n');
    const cols = head.split(',');
    return rows.flatMap((r, i) => r.split(',').flatMap((v, j) => (!TEXT_COLUMNS.has(cols[j] ?? '') && bad(v) ? [`row ${i + 1} ${cols[j]}=${v}`] : [])));
  }
  if (file.endsWith('.json')) return /:\s*-?(NaN|Infinity)\b/.test(text) ? ['a bare NaN or Infinity'] : [];
  return [];
}

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-fuzz-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

describe('fuzz: mutated scenarios and --set values', () => {
  it(`${FUZZ_CASES} cases in-process: success or an input error, no stack, no NaN or Infinity, nothing left after a failure`, () => {
    const r = rng(SEED);
    const docs = bases();
    const outcomes = { valid: 0, invalid: 0, ran: 0, runRefused: 0 };
    for (let id = 0; id < FUZZ_CASES; id++) {
      const c = makeCase(r, id, docs);
      const file = path.join(base, `case-${id}${c.ext}`);
      fs.writeFileSync(file, c.text);
      const what = `case ${id} (seed ${SEED}) ${c.ext} --set ${c.settings.join(' ')}\n${c.text.slice(0, 600)}`;
      let scenario: Scenario | undefined;
      try {
        scenario = loadScenarioSync(file, c.settings);
        outcomes.valid++;
      } catch (e) {
        expect(inputError(e), `${what}\n${String(e)}`).toBe(true);
        expect((e as Error).message, what).not.toMatch(/\n\s+at /);
        outcomes.invalid++;
      }
      if (scenario !== undefined && small(scenario)) {
        const out = path.join(base, `out-${id}`);
        let failure: unknown;
        try {
          writeRunOutputs(out, simulate(scenario), runManifest({ version: VERSION, command: 'run', scenarioFile: file, settings: c.settings, replication: 0, scenario }));
        } catch (e) {
          failure = e ?? new Error('thrown: nothing');
        }
        if (failure === undefined) {
          outcomes.ran++;
          for (const f of filesUnder(out)) expect(nonFinite(f), `${f} of ${what}`).toEqual([]);
        } else {
          expect(inputError(failure), `${what}\n${String(failure)}`).toBe(true);
          expect(filesUnder(out), `left behind by ${what}`).toEqual([]);
          outcomes.runRefused++;
        }
        fs.rmSync(out, { recursive: true, force: true });
      }
      fs.rmSync(file, { force: true });
    }
    console.log(`fuzz: ${FUZZ_CASES} cases: ${outcomes.valid} valid (${outcomes.ran} run, ${outcomes.runRefused} refused at run time), ${outcomes.invalid} rejected`);
    // The generator must reach both sides, or it tests nothing.
    expect(outcomes.valid).toBeGreaterThan(FUZZ_CASES / 10);
    expect(outcomes.invalid).toBeGreaterThan(FUZZ_CASES / 10);
    expect(outcomes.ran).toBeGreaterThan(FUZZ_CASES / 20);
  });

  it(`${CLI_CASES} cases through the command line: exit 0 or 2, no stack trace, no output directory after a failure`, () => {
    const MAIN = path.join(ROOT, 'src/cli/main.ts');
    const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
    const r = rng(SEED + 1);
    const docs = bases();
    for (let id = 0; id < CLI_CASES; id++) {
      const c = makeCase(r, id, docs);
      const file = path.join(base, `cli-${id}${c.ext}`);
      fs.writeFileSync(file, c.text);
      const out = path.join(base, `cli-out-${id}`);
      const command = id % 2 === 0 ? ['validate', file] : ['run', file, '--out', out, '--quiet', '--ticks', '6'];
      const args = [...command, ...c.settings.flatMap((s) => ['--set', s])];
      const p = spawnSync(process.execPath, ['--import', TSX, MAIN, ...args], { cwd: base, encoding: 'utf8', timeout: 60_000 });
      const what = `ecosim ${args.join(' ')}\n${c.text.slice(0, 400)}\n${p.stderr}`;
      expect([0, 2], what).toContain(p.status);
      expect(p.stderr, what).not.toMatch(/\n\s+at |internal error/i);
      if (p.status !== 0) expect(fs.existsSync(out), what).toBe(false);
      for (const f of filesUnder(out)) expect(nonFinite(f), `${f} of ${what}`).toEqual([]);
    }
  });
});
