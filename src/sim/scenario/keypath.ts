// Key paths into a raw scenario ("customers.needRate", "platforms.0.takeRate",
// "platforms.orchestrator.takeRate", "shocks.0.factor"), used by `--set` on the command line.

import YAML from 'yaml';
import { ScenarioError, describeValue, shorten, suggest } from './errors.js';
import { MAX_PLATFORMS } from './schema.js';

type Container = Record<string, unknown> | unknown[];

const SETTING_FILE = '--set';
const INDEX = /^\d+$/;
// Keys that would reach an object's prototype instead of setting data.
const FORBIDDEN = new Set(['__proto__', 'prototype', 'constructor']);

/** The name an unnamed platform goes by: the first is the orchestrator. */
export function defaultPlatformName(index: number): string {
  return index === 0 ? 'orchestrator' : `platform${index}`;
}

function fail(path: string, expected: string, found: string, hint?: string): never {
  throw new ScenarioError(SETTING_FILE, [hint === undefined ? { path, expected, found } : { path, expected, found, hint }]);
}

export function splitPath(path: string): string[] {
  const keys = path.split('.').map((k) => k.trim());
  if (keys.some((k) => k === '')) fail(path, 'a key path such as customers.count or platforms.0.takeRate', `"${shorten(path)}"`);
  const bad = keys.find((k) => FORBIDDEN.has(k));
  if (bad !== undefined) fail(path, 'a scenario key', `"${bad}"`);
  return keys;
}

/** The raw value at a path of keys and indices (as in a zod issue); undefined when absent. */
export function valueAt(raw: unknown, path: readonly PropertyKey[]): unknown {
  let node = raw;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function isContainer(x: unknown): x is Container {
  return x !== null && typeof x === 'object';
}

function platformName(item: unknown, index: number): string {
  const name = isContainer(item) && !Array.isArray(item) ? item['name'] : undefined;
  return typeof name === 'string' ? name : defaultPlatformName(index);
}

/** Index of a list item addressed by index or by name; platforms also answer to their default names. */
function itemIndex(list: unknown[], key: string, isPlatforms: boolean, path: string): number {
  if (INDEX.test(key)) return Number(key);
  const named = list.findIndex((item, i) => (isPlatforms ? platformName(item, i) : (item as { name?: unknown } | null)?.name) === key);
  if (named >= 0) return named;
  const byDefault = isPlatforms ? defaultIndex(key) : undefined;
  // A default name addresses a slot that is missing or unnamed, never one that has a name of its own.
  if (byDefault !== undefined && (byDefault >= list.length || platformName(list[byDefault], byDefault) === key)) return byDefault;
  if (!isPlatforms) {
    // Lists of named items (segments, experiments) answer to their names, with a suggestion for a misspelt one.
    const names = list.flatMap((item) => {
      const name = isContainer(item) && !Array.isArray(item) ? item['name'] : undefined;
      return typeof name === 'string' ? [name] : [];
    });
    if (names.length === 0) return fail(path, `an index (the list has ${list.length} items)`, `"${key}"`);
    return fail(path, `an index or the name of an item (${shorten(names.join(', '))})`, `"${key}"`, suggest(key, names));
  }
  const names = list.map((item, i) => platformName(item, i));
  return fail(path, `an index or the name of a platform (${shorten(names.join(', '))})`, `"${key}"`, suggest(key, names));
}

function defaultIndex(name: string): number | undefined {
  if (name === 'orchestrator') return 0;
  const m = /^platform([1-9]\d*)$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** Makes sure list[index] exists: platforms are padded with defaults, other lists may grow by one. */
function ensureSlot(list: unknown[], index: number, isPlatforms: boolean, path: string): void {
  if (index < list.length) return;
  if (!isPlatforms && index > list.length) fail(path, `an index up to ${list.length} (the list has ${list.length} items)`, String(index));
  // Checked before padding: a huge index would otherwise build a huge list first.
  if (isPlatforms && index >= MAX_PLATFORMS) fail(path, `a platform index below ${MAX_PLATFORMS} (a scenario has at most ${MAX_PLATFORMS} platforms)`, String(index));
  while (list.length <= index) list.push({});
}

/** Steps from a container to the child addressed by keys[i], creating it when missing. */
function step(node: Container, keys: string[], i: number, path: string): Container {
  const key = keys[i]!;
  const next = keys[i + 1]!;
  if (Array.isArray(node)) {
    const isPlatforms = i === 1 && keys[0] === 'platforms';
    const index = itemIndex(node, key, isPlatforms, path);
    ensureSlot(node, index, isPlatforms, path);
    return childContainer(node, index, next, keys, i);
  }
  return childContainer(node, key, next, keys, i);
}

function childContainer(node: Container, key: string | number, next: string, keys: string[], i: number): Container {
  const holder = node as Record<string | number, unknown>;
  const child = holder[key];
  if (isContainer(child)) return child;
  if (child !== undefined && child !== null) {
    fail(keys.slice(0, i + 1).join('.'), `a mapping or a list to set "${next}" in`, describeValue(child));
  }
  // A missing "platforms" means the one default platform, so names like "orchestrator" resolve.
  const created: Container = i === 0 && key === 'platforms' ? [{}] : INDEX.test(next) ? [] : {};
  holder[key] = created;
  return created;
}

/** Sets a value in a raw (parsed YAML) scenario, creating intermediate mappings and list items. */
export function setPath(raw: unknown, path: string, value: unknown): void {
  const keys = splitPath(path);
  if (!isContainer(raw) || Array.isArray(raw)) fail('', 'a mapping of scenario keys', describeValue(raw));
  let node: Container = raw;
  for (let i = 0; i < keys.length - 1; i++) node = step(node, keys, i, path);
  const last = keys[keys.length - 1]!;
  if (Array.isArray(node)) {
    const isPlatforms = keys.length === 2 && keys[0] === 'platforms';
    const index = itemIndex(node, last, isPlatforms, path);
    ensureSlot(node, index, isPlatforms, path);
    node[index] = value;
  } else {
    node[last] = value;
  }
}

/** Reads a value the way YAML would ("0.2", "true", "null", "[1,2]"); text YAML rejects stays text. */
function parseValue(text: string): unknown {
  try {
    return YAML.parse(text);
  } catch {
    return text;
  }
}

/** Parses a command-line `--set a.b=value`. */
export function parseSetting(text: string): { path: string; value: unknown } {
  const eq = text.indexOf('=');
  const example = 'a setting key.path=value, such as platforms.0.takeRate=0.2';
  if (eq < 0) fail('', example, `"${shorten(text)}", which has no "="`);
  const path = text.slice(0, eq).trim();
  if (path === '') fail('', example, `"${shorten(text)}", which has no key path before "="`);
  splitPath(path);
  return { path, value: parseValue(text.slice(eq + 1)) };
}
