import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioError, isScenarioError, type ScenarioProblem } from '../src/sim/scenario/errors.js';
import { scenarioJsonSchema } from '../src/sim/scenario/jsonSchema.js';
import { parseSetting, setPath } from '../src/sim/scenario/keypath.js';
import {
  BYTES_PER_CUSTOMER,
  estimateMemoryBytes,
  loadScenario,
  loadScenarioSync,
  parseScenarioText,
  resolveScenario,
  scenarioFromObject,
} from '../src/sim/scenario/load.js';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecosim-scenario-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function writeFile(name: string, text: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
}

/** The ScenarioError a call throws (fails the test when it does not throw one). */
function errorOf(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (e) {
    if (isScenarioError(e)) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError, but nothing was thrown');
}

async function errorOfAsync(fn: () => Promise<unknown>): Promise<ScenarioError> {
  try {
    await fn();
  } catch (e) {
    if (isScenarioError(e)) return e;
    throw e;
  }
  throw new Error('expected a ScenarioError, but nothing was thrown');
}

/** The one problem at a path when resolving raw data. */
function problemAt(raw: unknown, at: string, settings: string[] = []): ScenarioProblem {
  const error = errorOf(() => scenarioFromObject(raw, settings));
  const found = error.problems.filter((p) => p.path === at);
  expect(found, `problems: ${error.message}`).toHaveLength(1);
  return found[0]!;
}

describe('defaults', () => {
  it('resolve from an empty scenario', () => {
    const s = scenarioFromObject({});
    expect(s.customers.count).toBe(10000);
    expect(s.partners.count).toBe(500);
    expect(s.ticks).toBe(260);
    expect(s.network.type).toBe('smallworld');
    expect(s.platforms).toHaveLength(1);
    expect(s.platforms[0]!.name).toBe('orchestrator');
    expect(s.platforms[0]!.takeRate).toBe(0.15);
    expect(s.platforms[0]!.ranking).toBe('rating');
    expect(s.schedule).toEqual([]);
    expect('$schema' in s).toBe(false);
  });

  it('resolve from an empty file, and from a file of comments', async () => {
    expect((await loadScenario(writeFile('empty.yaml', ''))).customers.count).toBe(10000);
    expect(loadScenarioSync(writeFile('comments.yaml', '# nothing yet\n')).platforms[0]!.name).toBe('orchestrator');
    expect(parseScenarioText('', 'x.json')).toEqual({});
  });

  it('fill in names for unnamed platforms and resolve references to indices', () => {
    const s = scenarioFromObject({
      $schema: './schema/scenario.schema.json',
      platforms: [{}, {}, { name: 'rival', launchTick: 5 }],
      schedule: [{ at: 52, platform: 'orchestrator', set: { takeRate: 0.2 } }, { at: 60, platform: 'platform1', set: { u0: 1 } }],
      rules: [{ when: 'customers >= 5000 and matchRate > 0.9 or tick > 100', platform: 2, set: { partnerSubsidy: 0 }, once: true }],
      shocks: [{ type: 'entrant', at: 30, platform: 'rival' }, { type: 'demand', at: 1, duration: 2, factor: 1.5 }],
    });
    expect(s.platforms.map((p) => p.name)).toEqual(['orchestrator', 'platform1', 'rival']);
    expect(s.schedule.map((e) => e.platform)).toEqual([0, 1]);
    expect(s.schedule[0]!.set).toEqual({ takeRate: 0.2 });
    expect(s.rules[0]!.platform).toBe(2);
    expect(s.shocks[0]).toEqual({ type: 'entrant', at: 30, platform: 2 });
    // The entrant shock wins over a disagreeing launchTick.
    expect(s.platforms[2]!.launchTick).toBe(30);
  });

  it('read a scenario file in YAML and in JSON', async () => {
    const yaml = writeFile('base.yaml', 'name: base\ncustomers:\n  count: 2000\nplatforms:\n  - takeRate: 0.1\n');
    const s = await loadScenario(yaml);
    expect(s.name).toBe('base');
    expect(s.customers.count).toBe(2000);
    expect(s.platforms[0]!.takeRate).toBe(0.1);
    const json = writeFile('base.json', JSON.stringify({ partners: { count: 42 } }));
    expect((await loadScenario(json)).partners.count).toBe(42);
  });
});

describe('--set', () => {
  it('parses values as YAML scalars and flow collections', () => {
    expect(parseSetting('platforms.0.takeRate=0.2')).toEqual({ path: 'platforms.0.takeRate', value: 0.2 });
    expect(parseSetting('customers.multiHoming=true').value).toBe(true);
    expect(parseSetting('platforms.0.ranking=rating').value).toBe('rating');
    expect(parseSetting('platforms.0.subsidyBudget=null').value).toBeNull();
    expect(parseSetting('x=[1,2]').value).toEqual([1, 2]);
    expect(parseSetting('description=a=b').value).toBe('a=b');
  });

  it('overrides by index and by name, in order', async () => {
    const file = writeFile('two.yaml', 'platforms:\n  - {}\n  - name: rival\n');
    const s = await loadScenario(file, [
      'platforms.0.takeRate=0.2',
      'platforms.rival.takeRate=0.05',
      'platforms.orchestrator.subsidyBudget=null',
      'customers.count=3000',
      'customers.count=4000',
      'customers.multiHoming=true',
    ]);
    expect(s.platforms[0]!.takeRate).toBe(0.2);
    expect(s.platforms[0]!.subsidyBudget).toBeNull();
    expect(s.platforms[1]!.takeRate).toBe(0.05);
    expect(s.customers.count).toBe(4000);
    expect(s.customers.multiHoming).toBe(true);
  });

  it('creates missing mappings and platforms', () => {
    const raw: Record<string, unknown> = {};
    setPath(raw, 'platforms.orchestrator.takeRate', 0.3);
    setPath(raw, 'platforms.2.u0', 1);
    setPath(raw, 'effects.crossSide', 2);
    expect(raw).toEqual({ platforms: [{ takeRate: 0.3 }, {}, { u0: 1 }], effects: { crossSide: 2 } });
    const s = scenarioFromObject({}, ['platforms.platform1.ranking=promoted', 'shocks.0.type=demand', 'shocks.0.at=3', 'shocks.0.duration=2', 'shocks.0.factor=0.5']);
    expect(s.platforms[1]!.ranking).toBe('promoted');
    expect(s.shocks).toEqual([{ type: 'demand', at: 3, duration: 2, factor: 0.5 }]);
  });

  it('leaves the caller object untouched', () => {
    const raw = { customers: { count: 100 } };
    expect(scenarioFromObject(raw, ['customers.count=200']).customers.count).toBe(200);
    expect(raw.customers.count).toBe(100);
  });

  it('rejects a name that is no platform, with a suggestion', () => {
    const e = errorOf(() => scenarioFromObject({ platforms: [{}, { name: 'rival' }] }, ['platforms.rivel.takeRate=0.1']));
    expect(e.file).toBe('--set');
    expect(e.problems[0]).toMatchObject({ path: 'platforms.rivel.takeRate', found: '"rivel"', hint: 'rival' });
  });
});

describe('broken scenarios', () => {
  it('wrong type', () => {
    expect(problemAt({ customers: { count: 'many' } }, 'customers.count')).toEqual({
      path: 'customers.count',
      expected: 'a whole number >= 0',
      found: 'a string "many"',
    });
    expect(problemAt({ customers: { multiHoming: 'yes' } }, 'customers.multiHoming')).toMatchObject({ expected: 'true or false' });
    expect(problemAt({ platforms: { takeRate: 0.1 } }, 'platforms')).toMatchObject({ expected: 'a list', found: 'a mapping {"takeRate":0.1}' });
  });

  it('out of range', () => {
    expect(problemAt({ platforms: [{ detection: 1.5 }] }, 'platforms.0.detection')).toEqual({
      path: 'platforms.0.detection',
      expected: 'a number between 0 and 1',
      found: '1.5',
    });
    // A take rate of 1 would leave partners nothing to pass through (docs/model.md section 2).
    expect(problemAt({ platforms: [{ takeRate: 1 }] }, 'platforms.0.takeRate')).toEqual({
      path: 'platforms.0.takeRate',
      expected: 'a number >= 0 and < 1',
      found: '1',
    });
  });

  it('negative count', () => {
    expect(problemAt({ partners: { count: -5 } }, 'partners.count')).toMatchObject({ expected: 'a whole number >= 0', found: '-5' });
  });

  it('non-integer ticks', () => {
    expect(problemAt({ ticks: 52.5 }, 'ticks')).toMatchObject({ expected: 'a whole number between 1 and 1000000', found: '52.5' });
  });

  it('unknown key, with a suggestion for a misspelling', () => {
    const e = errorOf(() => scenarioFromObject({ custmers: { count: 5 }, platforms: [{ takRate: 0.2 }], cout: 1 }));
    const byPath = new Map(e.problems.map((p) => [p.path, p]));
    expect(byPath.get('custmers')).toMatchObject({ found: 'unknown key "custmers"', hint: 'customers' });
    expect(byPath.get('custmers')!.expected).toMatch(/^one of the keys name, description, ticks/);
    expect(byPath.get('platforms.0.takRate')).toMatchObject({ found: 'unknown key "takRate"', hint: 'takeRate' });
    expect(byPath.get('cout')!.hint).toBeUndefined();
    expect(e.message).toContain('<object>: platforms.0.takRate: expected one of the keys');
    expect(e.message).toContain('(did you mean "takeRate"?)');
  });

  it('a misspelt key in a schedule is one problem, not also an empty set', () => {
    const e = errorOf(() => scenarioFromObject({ schedule: [{ at: 5, set: { takRate: 0.2 } }] }));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ path: 'schedule.0.set.takRate', hint: 'takeRate' });
    expect(problemAt({ schedule: [{ at: 5, set: {} }] }, 'schedule.0.set').expected).toContain('at least one policy key');
  });

  it('missing file', async () => {
    const file = path.join(dir, 'nope.yaml');
    const e = await errorOfAsync(() => loadScenario(file));
    expect(e.file).toBe(file);
    expect(e.problems).toEqual([{ path: '', expected: 'a readable scenario file', found: 'no such file' }]);
    expect(errorOf(() => loadScenarioSync(file)).problems[0]!.found).toBe('no such file');
  });

  it('a directory instead of a file', async () => {
    const e = await errorOfAsync(() => loadScenario(dir));
    expect(e.problems[0]).toMatchObject({ path: '', expected: 'a readable scenario file', found: 'a directory' });
  });

  it('bad YAML, with the line', async () => {
    const file = writeFile('bad.yaml', 'name: x\ncustomers:\n  count: [1, 2\n  p: 0.1\n');
    const e = await errorOfAsync(() => loadScenario(file));
    expect(e.problems).toHaveLength(1);
    expect(e.problems[0]).toMatchObject({ path: '', expected: 'valid YAML' });
    expect(e.problems[0]!.found).toMatch(/line \d+, column \d+/);
    expect(e.message.split('\n')).toHaveLength(1);
  });

  it('duplicate keys in YAML', () => {
    const e = errorOf(() => parseScenarioText('ticks: 5\nseed: 1\nticks: 6\n', 'dup.yaml'));
    expect(e.problems[0]!.found).toContain('line 3');
  });

  it('bad JSON, with the line and column', async () => {
    const file = writeFile('bad.json', '{\n  "ticks": 10,\n  "seed": 1,\n}\n');
    const e = await errorOfAsync(() => loadScenario(file));
    expect(e.problems[0]).toMatchObject({ path: '', expected: 'valid JSON' });
    expect(e.problems[0]!.found).toMatch(/line 4, column 1/);
  });

  it('top level that is not a mapping', async () => {
    const e = await errorOfAsync(() => loadScenario(writeFile('list.yaml', '- 1\n- 2\n')));
    expect(e.problems[0]).toMatchObject({ path: '', expected: 'a mapping of scenario keys (name: value)', found: 'a list [1,2]' });
    expect(errorOf(() => scenarioFromObject(42)).problems[0]).toMatchObject({ path: '', found: '42' });
    expect(errorOf(() => resolveScenario('abc', 'f.yaml')).problems[0]).toMatchObject({ path: '', found: 'a string "abc"' });
  });

  it('unknown metric in a rule, with a suggestion', () => {
    const p = problemAt({ rules: [{ when: 'custmers >= 5000', set: { takeRate: 0.2 } }] }, 'rules.0.when');
    expect(p.expected).toBe('a condition such as "customers >= 5000 and matchRate > 0.9"');
    expect(p.found).toContain('unknown metric "custmers" at character 1');
    expect(p.hint).toBe('customers');
  });

  it('a rule not in the grammar', () => {
    const p = problemAt({ rules: [{ when: 'customers >= 5000 && process.exit()', set: { takeRate: 0.2 } }] }, 'rules.0.when');
    expect(p.found).toContain('unexpected character "&"');
    expect(p.hint).toBeUndefined();
    expect(problemAt({ rules: [{ when: 'customers >=', set: { u0: 1 } }] }, 'rules.0.when').found).toContain('expected a number');
  });

  it('population too large for memory', () => {
    const p = problemAt({ customers: { count: 5e10 } }, 'customers.count');
    expect(p.expected).toMatch(/^a population that fits in memory \(at most about [\d,]+ customers here\)$/);
    expect(p.found).toMatch(/^50000000000 customers, about [\d.]+ GB$/);
  });

  it('unknown platform reference in a schedule, with a suggestion', () => {
    const raw = { platforms: [{}, { name: 'rival' }], schedule: [{ at: 5, platform: 'rivl', set: { takeRate: 0.1 } }, { at: 5, platform: 4, set: { takeRate: 0.1 } }] };
    expect(problemAt(raw, 'schedule.0.platform')).toMatchObject({
      expected: 'the name or index of a platform (0: orchestrator, 1: rival)',
      found: 'a string "rivl"',
      hint: 'rival',
    });
    expect(problemAt(raw, 'schedule.1.platform').found).toBe('4, but there are 2 platforms');
  });

  it('unknown platform in an entrant shock', () => {
    expect(problemAt({ shocks: [{ type: 'entrant', at: 5, platform: 'ghost' }] }, 'shocks.0.platform').found).toBe('a string "ghost"');
  });

  it('duplicate platform names, including a default name', () => {
    expect(problemAt({ platforms: [{ name: 'a' }, { name: 'a' }] }, 'platforms.1.name')).toEqual({
      path: 'platforms.1.name',
      expected: 'a name no other platform uses',
      found: '"a", already the name of platforms.0',
    });
    expect(problemAt({ platforms: [{}, { name: 'orchestrator' }] }, 'platforms.1.name').found).toContain('platforms.0');
  });

  it('unknown ranking', () => {
    expect(problemAt({ platforms: [{ ranking: 'best' }] }, 'platforms.0.ranking')).toEqual({
      path: 'platforms.0.ranking',
      expected: 'one of random, rating, promoted',
      found: 'a string "best"',
    });
  });

  it('unknown shock type', () => {
    expect(problemAt({ shocks: [{ type: 'meteor', at: 5 }] }, 'shocks.0.type')).toEqual({
      path: 'shocks.0.type',
      expected: 'one of partnerOutage, demand, entrant',
      found: 'a string "meteor"',
    });
    const missing = errorOf(() => scenarioFromObject({ shocks: [{ type: 'demand', at: 5 }] }));
    expect(missing.problems.map((p) => p.path).sort()).toEqual(['shocks.0.duration', 'shocks.0.factor']);
    expect(missing.problems[0]!.found).toBe('nothing');
  });

  it('valueMin above valueMax with a uniform distribution', () => {
    const raw = { customers: { valueDistribution: 'uniform', valueMin: 3, valueMax: 2 } };
    expect(problemAt(raw, 'customers.valueMin')).toMatchObject({ expected: expect.stringContaining('at most customers.valueMax (2)'), found: '3' });
    // Equal bounds give every customer the same valuation.
    expect(() => scenarioFromObject({ customers: { valueDistribution: 'uniform', valueMin: 1, valueMax: 1 } })).not.toThrow();
    // With the lognormal distribution these two keys are unused.
    expect(() => scenarioFromObject({ customers: { valueMin: 2, valueMax: 2 } })).not.toThrow();
  });

  it('other ranges that must be ordered', () => {
    expect(problemAt({ partners: { costMin: 1, costMax: 0.5 } }, 'partners.costMin').found).toBe('1');
    expect(problemAt({ customers: { qualityWeightMin: 2 } }, 'customers.qualityWeightMin').found).toBe('2');
    expect(problemAt({ customers: { count: 8 } }, 'network.degree').expected).toContain('customers.count is 8');
    expect(problemAt({ customers: { count: 3 }, network: { type: 'scalefree', m: 3 } }, 'network.m').found).toBe('3');
    expect(() => scenarioFromObject({ customers: { count: 0 } })).not.toThrow();
  });

  it('too many platforms', () => {
    const raw = { platforms: Array.from({ length: 9 }, () => ({})) };
    expect(problemAt(raw, 'platforms')).toEqual({ path: 'platforms', expected: 'a list of at most 8 items', found: 'a list of 9 items' });
  });

  it('bad --set syntax', () => {
    const noEquals = errorOf(() => parseSetting('customers.count'));
    expect(noEquals.file).toBe('--set');
    expect(noEquals.problems[0]).toMatchObject({ path: '', found: '"customers.count", which has no "="' });
    expect(errorOf(() => parseSetting('=5')).problems[0]!.found).toContain('no key path');
    expect(errorOf(() => parseSetting('customers..count=5')).problems[0]!.path).toBe('customers..count');
    expect(errorOf(() => scenarioFromObject({}, ['__proto__.polluted=1'])).file).toBe('--set');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });

  it('a --set value of the wrong type is reported at its path', () => {
    expect(problemAt({}, 'platforms.0.takeRate', ['platforms.orchestrator.takeRate=high']).found).toBe('a string "high"');
  });

  it('every problem at once, one line each', async () => {
    const file = writeFile('many.yaml', 'ticks: 0\ncustomers:\n  count: -1\nplatforms:\n  - ranking: best\n');
    const e = await errorOfAsync(() => loadScenario(file));
    expect(e.problems.map((p) => p.path)).toEqual(['ticks', 'customers.count', 'platforms.0.ranking']);
    expect(e.message.split('\n')).toEqual([
      `${file}: ticks: expected a whole number between 1 and 1000000, found 0`,
      `${file}: customers.count: expected a whole number >= 0, found -1`,
      `${file}: platforms.0.ranking: expected one of random, rating, promoted, found a string "best"`,
    ]);
  });
});

describe('memory estimate', () => {
  it('counts customers, partners, edges and metric rows', () => {
    const s = scenarioFromObject({ customers: { count: 1000 }, partners: { count: 10 }, network: { type: 'scalefree', m: 2 }, ticks: 10 });
    expect(estimateMemoryBytes(s)).toBe(1000 * BYTES_PER_CUSTOMER + 10 * 400 + 1000 * 4 * 8 + 10 * 2 * 40 * 8);
  });
});

describe('JSON Schema', () => {
  it('describes scenario files for editors', () => {
    const schema = scenarioJsonSchema() as {
      $id: string;
      title: string;
      properties: Record<string, { properties?: Record<string, { description?: string }> }>;
    };
    expect(schema.title).toBe('ecosim scenario');
    expect(schema.$id).toMatch(/scenario/);
    expect(schema.properties['customers']!.properties!['count']).toBeDefined();
    expect(schema.properties['customers']!.properties!['p']!.description).toContain('Bass');
    expect(schema.properties['$schema']).toBeDefined();
    expect(JSON.parse(JSON.stringify(schema))).toEqual(schema);
  });
});
