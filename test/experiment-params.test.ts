// Parsing --param: grids, ranges and lists, and the errors a person can make typing them.

import { describe, expect, it } from 'vitest';
import { MAX_GRID_VALUES, formatParam, gridValues, listedValues, parseParam, round12 } from '../src/experiment/params.js';
import { ScenarioError } from '../src/sim/scenario/errors.js';

/** The problem a bad --param raises: a ScenarioError from "--param". */
function problemOf(text: string) {
  try {
    parseParam(text);
  } catch (e) {
    expect(e).toBeInstanceOf(ScenarioError);
    const err = e as ScenarioError;
    expect(err.file).toBe('--param');
    expect(err.problems).toHaveLength(1);
    return { ...err.problems[0]!, message: err.message };
  }
  throw new Error(`expected "${text}" to be refused`);
}

describe('parseParam', () => {
  it('reads a grid from:to:step', () => {
    expect(parseParam('platforms.0.takeRate=0:0.4:0.05')).toEqual({ kind: 'grid', path: 'platforms.0.takeRate', from: 0, to: 0.4, step: 0.05 });
  });

  it('reads a range from:to', () => {
    expect(parseParam('platforms.0.takeRate=0.05:0.35')).toEqual({ kind: 'range', path: 'platforms.0.takeRate', from: 0.05, to: 0.35 });
  });

  it('reads list items as YAML scalars: numbers, booleans, words, quoted text', () => {
    expect(parseParam("platforms.0.ranking=random, rating ,0.2,true,'1',1e3,-4")).toEqual({
      kind: 'list',
      path: 'platforms.0.ranking',
      values: ['random', 'rating', 0.2, true, '1', 1000, -4],
    });
  });

  it('reads a single value as a list of one', () => {
    expect(parseParam('customers.count=5000')).toEqual({ kind: 'list', path: 'customers.count', values: [5000] });
  });

  it('trims spaces around the path and the values, accepts exponents and negative bounds', () => {
    expect(parseParam(' a.b = -1e-2:2.5e-1 ')).toEqual({ kind: 'range', path: 'a.b', from: -0.01, to: 0.25 });
    expect(parseParam('x=-3:-1:1')).toEqual({ kind: 'grid', path: 'x', from: -3, to: -1, step: 1 });
  });

  it('refuses a missing "=" and an empty path, naming the text', () => {
    const p = problemOf('platforms.0.takeRate');
    expect(p.found).toContain('no "="');
    expect(p.message).toMatch(/^--param: \(top level\): expected path=values/);
    expect(problemOf('=0:1').found).toContain('no key path');
    expect(problemOf('a..b=0:1').path).toBe('a..b');
    expect(problemOf('a.__proto__=0:1').found).toBe('"__proto__"');
  });

  it('refuses nothing after "="', () => {
    expect(problemOf('x=').expected).toMatch(/path=values/);
  });

  it('refuses a step <= 0, from > to, an empty range and non-numeric bounds', () => {
    expect(problemOf('x=0:1:0').expected).toBe('a grid step > 0');
    expect(problemOf('x=0:1:-0.1').expected).toBe('a grid step > 0');
    expect(problemOf('x=1:0:0.1').expected).toBe('a grid from:to:step with from <= to');
    expect(problemOf('x=1:0').expected).toMatch(/from < to/);
    expect(problemOf('x=0.2:0.2').expected).toMatch(/use --set/);
    const bad = problemOf('x=a:1');
    expect(bad.path).toBe('x');
    expect(bad.expected).toBe('a number for the start (from:to)');
    expect(bad.found).toBe('"a"');
    expect(problemOf('x=0::0.1').found).toBe('nothing');
    expect(problemOf('x=0:1:abc').expected).toBe('a number for the step (from:to:step)');
    expect(problemOf('x=0:Infinity').found).toBe('"Infinity"');
    expect(problemOf('x=0:1:2:3').expected).toMatch(/from:to/);
  });

  it('refuses a grid of more than 100 000 values', () => {
    expect(MAX_GRID_VALUES).toBe(100_000);
    expect(parseParam('x=0:99999:1').kind).toBe('grid'); // exactly 100 000 values
    const p = problemOf('x=0:100000:1');
    expect(p.expected).toMatch(/at most 100,000 values/);
    expect(p.found).toMatch(/^100,001 values/);
  });

  it('refuses a list with an empty item, and items that are not scalars', () => {
    expect(problemOf('x=a,,b').expected).toBe('a list a,b,c without empty items');
    expect(problemOf('x=a,b,').expected).toBe('a list a,b,c without empty items');
    expect(problemOf('x=a,null').found).toBe('"null"');
    expect(problemOf('x=1,.nan').found).toBe('".nan"');
  });
});

describe('gridValues', () => {
  it('includes the end despite binary fractions, rounded to 12 significant digits', () => {
    expect(gridValues({ kind: 'grid', path: 'x', from: 0, to: 0.4, step: 0.05 })).toEqual([0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4]);
    // 0.1 * 3 = 0.30000000000000004 and 0.3 / 0.1 = 2.9999999999999996
    expect(gridValues({ kind: 'grid', path: 'x', from: 0, to: 0.3, step: 0.1 })).toEqual([0, 0.1, 0.2, 0.3]);
    expect(gridValues({ kind: 'grid', path: 'x', from: 0.1, to: 0.7, step: 0.2 })).toEqual([0.1, 0.3, 0.5, 0.7]);
  });

  it('stops before the end when the step does not divide the width', () => {
    expect(gridValues({ kind: 'grid', path: 'x', from: 0, to: 1, step: 0.3 })).toEqual([0, 0.3, 0.6, 0.9]);
  });

  it('gives one value when from = to', () => {
    expect(gridValues(parseParam('x=2:2:1') as never)).toEqual([2]);
  });

  it('lists a list, refuses a range', () => {
    expect(listedValues({ kind: 'list', path: 'x', values: ['a', 1] })).toEqual(['a', 1]);
    expect(() => listedValues({ kind: 'range', path: 'x', from: 0, to: 1 })).toThrow(/expected a grid from:to:step or a list a,b,c/);
  });
});

describe('helpers', () => {
  it('round12 removes floating noise only', () => {
    expect(round12(0.1 + 0.2)).toBe(0.3);
    expect(round12(1 / 3)).toBe(0.333333333333);
    expect(round12(0)).toBe(0);
  });

  it('formatParam writes a parameter back as typed', () => {
    for (const text of ['a.b=0:0.4:0.05', 'a.b=0.05:0.35', 'a.b=random,rating,0.2,true']) expect(formatParam(parseParam(text), true)).toBe(text);
  });
});
