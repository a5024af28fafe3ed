// Inputs found by fuzzing that once gave an internal error, a hang, NaN or a silent misreading:
// each is now bad input (a ScenarioError naming the file and key) or runs cleanly.

import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { scenarioStem } from '../src/cli/bundled.js';
import { beta, stream } from '../src/sim/random.js';
import { ScenarioError } from '../src/sim/scenario/errors.js';
import { loadScenario, parseScenarioText, scenarioFromObject } from '../src/sim/scenario/load.js';
import { simulate } from '../src/simulate.js';

const base = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-defects-'));
afterAll(() => fs.rmSync(base, { recursive: true, force: true }));

function problemsOf(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

async function problemsOfAsync(fn: () => Promise<unknown>): Promise<ScenarioError> {
  try {
    await fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    return e as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('YAML that is not plain data', () => {
  it('!!omap, !!set and !!timestamp are refused, not read as empty mappings', () => {
    expect(problemsOf(() => parseScenarioText('customers: !!omap [ {count: -5}, {bogus: 1} ]\n', 'o.yaml')).problems[0]).toMatchObject({ path: 'customers', found: 'a YAML !!omap or !!pairs' });
    expect(problemsOf(() => parseScenarioText('name: !!set { a, b }\n', 's.yaml')).problems[0]).toMatchObject({ path: 'name', found: 'a YAML !!set' });
    expect(problemsOf(() => parseScenarioText('description: !!timestamp 2001-12-14\n', 't.yaml')).problems[0]).toMatchObject({ path: 'description', found: 'a date (a YAML timestamp)' });
  });

  it('an unknown tag is a problem of the file, not a process warning', () => {
    const warnings: string[] = [];
    const listener = (w: Error) => warnings.push(w.message);
    process.on('warning', listener);
    const e = problemsOf(() => parseScenarioText('ticks: !!frobnicate 5\n', 'w.yaml'));
    process.off('warning', listener);
    expect(e.message).toMatch(/^w\.yaml: \(top level\): expected YAML without unknown tags, found .*frobnicate/);
    expect(warnings).toEqual([]);
  });
});

describe('JSON', () => {
  it('a key given twice is refused, as in YAML', () => {
    expect(problemsOf(() => parseScenarioText('{\n  "ticks": 5,\n  "ticks": 6\n}', 'd.json')).message).toBe('d.json: ticks: expected each key once in a mapping, found "ticks" a second time (line 3)');
  });

  it('nested 6,000 deep is refused without overflowing the stack', () => {
    const text = `${'{"a":'.repeat(6000)}1${'}'.repeat(6000)}`;
    expect(problemsOf(() => parseScenarioText(text, 'deep.json')).problems[0]!.expected).toBe('data nested at most 64 levels deep');
    const yaml = `${'{a: '.repeat(6000)}1${'}'.repeat(6000)}`;
    expect(() => parseScenarioText(yaml, 'deep.yaml')).toThrow(ScenarioError);
  });
});

describe('size of the input', () => {
  it('50,000 top-level keys are reported in seconds, the message listing the first 50', () => {
    const text = Array.from({ length: 50_000 }, (_, i) => `k${i}: ${i}`).join('\n');
    const started = performance.now();
    const e = problemsOf(() => scenarioFromObject(parseScenarioText(text, 'many.yaml'), [], 'many.yaml'));
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(e.problems).toHaveLength(50_000);
    expect(e.message.split('\n')).toHaveLength(51);
    expect(e.message).toMatch(/many\.yaml: … and 49950 more problems$/);
  });

  it('--set platforms.10000000.takeRate is refused before any list is padded', () => {
    const started = performance.now();
    const e = problemsOf(() => scenarioFromObject({}, ['platforms.10000000.takeRate=0.1']));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(e.message).toContain('platforms.10000000.takeRate: expected a platform index below 8 (a scenario has at most 8 platforms), found 10000000');
    expect(() => scenarioFromObject({}, ['platforms.100000000.takeRate=0.1'])).toThrow(/a platform index below 8/);
  });

  it('a house supply that cannot fit in memory is bad input at its key, before a run', () => {
    expect(problemsOf(() => scenarioFromObject({ platforms: [{ houseSupply: 1e10 }] })).problems[0]).toMatchObject({ path: 'platforms.0.houseSupply' });
  });

  it.skipIf(process.platform === 'win32')('a FIFO given as a scenario is refused at once, not read for ever', async () => {
    const fifo = path.join(base, 'fifo.yaml');
    execFileSync('mkfifo', [fifo]);
    const e = await problemsOfAsync(() => loadScenario(fifo));
    expect(e.problems[0]!.found).toBe('a FIFO, socket or device, not a regular file');
  });
});

describe('names and values the outputs cannot hold', () => {
  it('a platform named "all" is refused: it is the name of the whole ecosystem\'s rows', () => {
    expect(problemsOf(() => scenarioFromObject({ platforms: [{}, { name: 'all' }] })).problems[0]).toMatchObject({ path: 'platforms.1.name', found: '"all"' });
  });

  it('Beta draws with tiny shapes stay in [0, 1] instead of 0/0', () => {
    const rng = stream({ seed: 1, replication: 0, name: 'beta' });
    for (let i = 0; i < 2000; i++) {
      const x = beta(rng, 0.001, 0.001);
      expect(x >= 0 && x <= 1).toBe(true);
    }
  });

  it('qualityAlpha = qualityBeta = 0.001 gives a run without NaN', () => {
    const s = scenarioFromObject({ ticks: 8, customers: { count: 300 }, partners: { count: 30, qualityAlpha: 0.001, qualityBeta: 0.001 }, network: { type: 'meanfield' } });
    const { metrics } = simulate(s);
    for (const row of metrics) for (const v of Object.values(row)) if (typeof v === 'number') expect(Number.isFinite(v)).toBe(true);
  });

  it('a scenario file named "..yaml" or "...yaml" gets an output directory of its own', () => {
    expect(scenarioStem('..yaml')).toBe('scenario');
    expect(scenarioStem('...yaml')).toBe('scenario');
    expect(scenarioStem('dir/.hidden.yaml')).toBe('hidden');
    expect(scenarioStem('baseline.yaml')).toBe('baseline');
  });
});

describe('validate reports every problem at once', () => {
  it('rule grammar errors beside schema errors', () => {
    const e = problemsOf(() => scenarioFromObject({ ticks: -1, rules: [{ when: 'customers >>> 5', platform: 0, set: { takeRate: 0.1 } }] }));
    expect(e.problems.map((p) => p.path)).toEqual(['ticks', 'rules.0.when']);
  });
});

// Tick counts live in 32-bit arrays: one of 2^31 or more would wrap and act as 0.
describe('tick counts that would wrap', () => {
  it('are refused at their key path', async () => {
    const { scenarioFromObject } = await import('../src/index.js');
    for (const [raw, path] of [
      [{ partners: { reentryDelay: 2 ** 31 } }, 'partners.reentryDelay'],
      [{ customers: { reentryDelay: 2 ** 31 } }, 'customers.reentryDelay'],
      [{ platforms: [{ suspensionTicks: 2 ** 31 }] }, 'platforms.0.suspensionTicks'],
      [{ partners: { patience: 2 ** 32 } }, 'partners.patience'],
    ] as const) {
      expect(() => scenarioFromObject(raw as never), path).toThrow(path);
    }
  });
});
