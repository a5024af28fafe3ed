import YAML from 'yaml';
import { ScenarioError, shorten } from '../sim/scenario/errors.js';
import type { ParamSpec, ParamValue } from './types.js';

// Parameters to vary, as typed on the command line (`--param path=values`):
//   platforms.0.takeRate=0:0.4:0.05   a grid, from 0 to 0.4 inclusive in steps of 0.05
//   platforms.0.takeRate=0.05:0.35    a range, for sampled designs (lhs, random, sobol, morris)
//   platforms.0.ranking=random,rating a list of values, each read as YAML reads a scalar
// A single value without ":" or "," is a list of one.

export type GridSpec = Extract<ParamSpec, { kind: 'grid' }>;
export type RangeSpec = Extract<ParamSpec, { kind: 'range' }>;
export type ListSpec = Extract<ParamSpec, { kind: 'list' }>;

/** The most values one grid may hold: more is almost surely a typo in the step. */
export const MAX_GRID_VALUES = 100_000;

const PARAM_FILE = '--param';
const EXAMPLE = 'path=values, such as platforms.0.takeRate=0:0.4:0.05 (a grid), =0.05:0.35 (a range) or =random,rating (a list)';
// Keys that would reach an object's prototype instead of setting data (as for --set).
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);
/** Slack, in steps, so that 0:0.3:0.1 ends at 0.3 although 0.3 / 0.1 = 2.9999999999999996. */
const STEP_TOLERANCE = 1e-9;

function fail(path: string, expected: string, found: string): never {
  throw new ScenarioError(PARAM_FILE, [{ path, expected, found }]);
}

/** Rounds to 12 significant digits, so 0.1 + 0.2 reads 0.3 (binary fractions make noise in the 17th). */
export function round12(x: number): number {
  return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(12));
}

export function checkPath(path: string, text: string): void {
  if (path === '') fail('', EXAMPLE, `"${shorten(text)}", which has no key path before "="`);
  const keys = path.split('.');
  if (keys.some((k) => k.trim() === '' || k !== k.trim())) fail(path, 'a key path such as customers.count or platforms.0.takeRate', `"${shorten(path)}"`);
  const bad = keys.find((k) => FORBIDDEN.has(k));
  if (bad !== undefined) fail(path, 'a scenario key', `"${bad}"`);
}

/** A bound or step: plain decimal or exponent notation; Number('') would be 0, so empty text is refused. */
function parseNumber(path: string, what: string, text: string): number {
  const t = text.trim();
  const x = t === '' ? NaN : Number(t);
  if (!Number.isFinite(x)) fail(path, `a number for ${what}`, t === '' ? 'nothing' : `"${shorten(t)}"`);
  return x;
}

/** How many values a grid holds: floor((to - from) / step) + 1, with slack for rounding. */
function gridCount(from: number, to: number, step: number): number {
  return Math.floor((to - from) / step + STEP_TOLERANCE) + 1;
}

function parseBounds(path: string, parts: readonly string[], values: string): ParamSpec {
  const from = parseNumber(path, 'the start (from:to)', parts[0]!);
  const to = parseNumber(path, 'the end (from:to)', parts[1]!);
  if (parts.length === 2) {
    // A range of width zero leaves nothing to sample; a fixed value belongs in --set.
    if (!(from < to)) fail(path, 'a range from:to with from < to (to fix a value, use --set)', `"${shorten(values)}"`);
    return { kind: 'range', path, from, to };
  }
  const step = parseNumber(path, 'the step (from:to:step)', parts[2]!);
  if (from > to) fail(path, 'a grid from:to:step with from <= to', `"${shorten(values)}"`);
  if (!(step > 0)) fail(path, 'a grid step > 0', `"${shorten(values)}"`);
  const count = gridCount(from, to, step);
  if (count > MAX_GRID_VALUES) fail(path, `a grid of at most ${MAX_GRID_VALUES.toLocaleString('en-US')} values (a larger step?)`, `${count.toLocaleString('en-US')} values in "${shorten(values)}"`);
  return { kind: 'grid', path, from, to, step };
}

/** One list item, read as YAML reads a scalar: 0.2 → number, true → boolean, rating → string, '0.2' → string. */
function parseItem(path: string, item: string, values: string): ParamValue {
  const t = item.trim();
  if (t === '') fail(path, 'a list a,b,c without empty items', `"${shorten(values)}"`);
  let value: unknown;
  try {
    value = YAML.parse(t);
  } catch {
    value = t; // text YAML rejects ("{a") stays text, as for --set
  }
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  return fail(path, 'list items that are numbers, true/false or words', `"${shorten(t)}"`);
}

/** Parses `--param path=values` into a grid, a range or a list (see the top of this file). */
export function parseParam(text: string): ParamSpec {
  const eq = text.indexOf('=');
  if (eq < 0) fail('', EXAMPLE, `"${shorten(text)}", which has no "="`);
  const path = text.slice(0, eq).trim();
  checkPath(path, text);
  const values = text.slice(eq + 1).trim();
  if (values === '') fail(path, EXAMPLE, 'nothing after "="');
  if (values.includes(',')) return { kind: 'list', path, values: values.split(',').map((item) => parseItem(path, item, values)) };
  const parts = values.split(':');
  if (parts.length === 1) return { kind: 'list', path, values: [parseItem(path, values, values)] };
  if (parts.length > 3) fail(path, 'from:to (a range) or from:to:step (a grid)', `"${shorten(values)}"`);
  return parseBounds(path, parts, values);
}

/** The values of a grid, from `from` up to `to` inclusive, each rounded to 12 significant digits. */
export function gridValues(spec: GridSpec): number[] {
  const count = gridCount(spec.from, spec.to, spec.step);
  return Array.from({ length: count }, (_, i) => round12(spec.from + i * spec.step));
}

/** The values a full-factorial design runs: a grid's or a list's; a range has none to list. */
export function listedValues(spec: ParamSpec): readonly ParamValue[] {
  if (spec.kind === 'grid') return gridValues(spec);
  if (spec.kind === 'list') return spec.values;
  return fail(spec.path, 'a grid from:to:step or a list a,b,c (a grid design runs listed values)', `the range "${formatParam(spec)}"`);
}

/** A parameter as it was typed: `path=from:to:step`, `path=from:to` or `path=a,b,c`. */
export function formatParam(spec: ParamSpec, withPath = false): string {
  const values =
    spec.kind === 'grid' ? `${spec.from}:${spec.to}:${spec.step}` : spec.kind === 'range' ? `${spec.from}:${spec.to}` : spec.values.map(String).join(',');
  return withPath ? `${spec.path}=${values}` : values;
}
