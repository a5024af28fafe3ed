import { z } from 'zod';
import { defaultPlatformName } from '../../sim/scenario/keypath.js';
import { customersSchema, MAX_PLATFORMS, networkSchema, partnersSchema, scenarioSchema } from '../../sim/scenario/schema.js';

// The lab's "setup" group: what shapes the population and the market before the first tick
// (population sizes, the social network, the number of platforms, the length of the run). As in
// NetLogo's setup, these apply on reset, not while the run goes: the model builds its arrays once.

export interface SetupField {
  /** Key path in the scenario, e.g. "customers.count"; "platforms" is the number of platforms. */
  readonly path: string;
  readonly label: string;
  readonly description: string;
  readonly min?: number;
  readonly max?: number;
  readonly integer: boolean;
  /** The choices of a field that takes one of a few words (the network type). */
  readonly options?: readonly string[];
}

type Schema = z.core.$ZodType;

function unwrapped(s: Schema): Schema {
  let t = s;
  while (t instanceof z.ZodDefault || t instanceof z.ZodPrefault || t instanceof z.ZodOptional || t instanceof z.ZodNullable) t = t.unwrap() as Schema;
  return t;
}

function field(path: string, label: string, schema: Schema): SetupField {
  const description = (schema as { description?: string }).description ?? label;
  const s = unwrapped(schema);
  if (s instanceof z.ZodEnum) return { path, label, description, integer: false, options: s.options.map(String) };
  if (!(s instanceof z.ZodNumber)) throw new Error(`setup field ${path} is neither a number nor a choice`);
  let min: number | undefined;
  let max: number | undefined;
  let integer = false;
  for (const c of s._zod.def.checks ?? []) {
    const d = c._zod.def as unknown as { check: string; value?: number; format?: string };
    if (d.check === 'number_format' && d.format !== 'float32' && d.format !== 'float64') integer = true;
    if (d.check === 'greater_than') min = d.value;
    if (d.check === 'less_than') max = d.value;
  }
  return { path, label, description, integer, ...(min === undefined ? {} : { min }), ...(max === undefined ? {} : { max }) };
}

export const SETUP_FIELDS: readonly SetupField[] = [
  field('ticks', 'ticks', scenarioSchema.shape.ticks),
  field('customers.count', 'customers', customersSchema.shape.count),
  field('partners.count', 'partners', partnersSchema.shape.count),
  field('network.type', 'network', networkSchema.shape.type),
  field('network.degree', 'neighbours (small world)', networkSchema.shape.degree),
  { path: 'platforms', label: 'platforms', description: 'number of competing platforms', min: 1, max: MAX_PLATFORMS, integer: true },
];

const isMapping = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The value a setup field has in raw scenario data, or its schema default. */
export function setupValue(raw: Readonly<Record<string, unknown>>, path: string): number | string {
  if (path === 'platforms') return Array.isArray(raw.platforms) ? raw.platforms.length : 1;
  const keys = path.split('.');
  let node: unknown = raw;
  for (const k of keys) node = isMapping(node) ? node[k] : undefined;
  if (typeof node === 'number' || typeof node === 'string') return node;
  const defaults = scenarioSchema.parse({}) as unknown as Record<string, unknown>;
  let d: unknown = defaults;
  for (const k of keys) d = isMapping(d) ? d[k] : undefined;
  return d as number | string;
}

/**
 * Raw scenario data with the setup applied (a copy). More platforms than the file names are new
 * platforms with the default policy; fewer drop the last ones, with the schedule entries, rules and
 * shocks that name them.
 */
export function applySetup(raw: Readonly<Record<string, unknown>>, setup: Readonly<Record<string, number | string>>): Record<string, unknown> {
  const out = structuredClone(raw) as Record<string, unknown>;
  for (const [path, value] of Object.entries(setup)) {
    if (path === 'platforms') continue;
    const keys = path.split('.');
    let node = out;
    for (const k of keys.slice(0, -1)) {
      if (!isMapping(node[k])) node[k] = {};
      node = node[k] as Record<string, unknown>;
    }
    node[keys[keys.length - 1]!] = value;
  }
  const want = setup.platforms;
  if (typeof want === 'number') setPlatformCount(out, want);
  return out;
}

function setPlatformCount(out: Record<string, unknown>, n: number): void {
  const list = Array.isArray(out.platforms) ? [...(out.platforms as unknown[])] : [{}];
  if (n === list.length) return;
  const names = list.map((p, i) => (isMapping(p) && typeof p.name === 'string' ? p.name : defaultPlatformName(i)));
  const dropped = new Set(names.slice(n));
  while (list.length < n) list.push({});
  list.length = n;
  out.platforms = list;
  // A reference is a name or an index; none means platform 0, which always stays.
  const kept = (ref: unknown) => (typeof ref === 'number' ? ref < n : typeof ref !== 'string' ? true : /^\d+$/.test(ref) ? Number(ref) < n : !dropped.has(ref));
  for (const key of ['schedule', 'rules', 'shocks'] as const) {
    if (Array.isArray(out[key])) out[key] = (out[key] as unknown[]).filter((e) => !isMapping(e) || kept(e.platform));
  }
}
