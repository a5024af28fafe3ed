import { z } from 'zod';
import { policyShape, type PolicyKey } from '../../sim/scenario/schema.js';

// The lab's policy controls, generated from the scenario schema: one control for every policy key,
// with the schema's bounds, in the groups a class talks about. A policy added to the schema gets a
// control without touching the page; a policy left out of GROUPS is a mistake the tests catch.

export const POLICY_GROUPS = ['pricing', 'subsidies', 'curation and ranking', 'trust and leakage', 'supply', 'costs and learning'] as const;
export type PolicyGroup = (typeof POLICY_GROUPS)[number];

const GROUP_OF: Readonly<Record<PolicyKey, PolicyGroup>> = {
  takeRate: 'pricing',
  customerFee: 'pricing',
  subscription: 'pricing',
  listingFee: 'pricing',
  partnerSubsidy: 'subsidies',
  couponValue: 'subsidies',
  subsidyBudget: 'subsidies',
  qualityThreshold: 'curation and ranking',
  screeningNoise: 'curation and ranking',
  screeningCost: 'curation and ranking',
  ranking: 'curation and ranking',
  rankingTemperature: 'curation and ranking',
  promotionFee: 'curation and ranking',
  promotionBoost: 'curation and ranking',
  minRating: 'curation and ranking',
  minRatings: 'curation and ranking',
  ratingPrior: 'curation and ranking',
  ratingPriorWeight: 'curation and ranking',
  trust: 'trust and leakage',
  trustPortability: 'trust and leakage',
  trustCost: 'trust and leakage',
  valueAdd: 'trust and leakage',
  valueAddCostShare: 'trust and leakage',
  detection: 'trust and leakage',
  penalty: 'trust and leakage',
  suspensionTicks: 'trust and leakage',
  enforcementCost: 'trust and leakage',
  houseSupply: 'supply',
  entryCost: 'supply',
  u0: 'costs and learning',
  learningGain: 'costs and learning',
  learningScale: 'costs and learning',
  fixedCost: 'costs and learning',
  costPerCustomer: 'costs and learning',
  costPerPartner: 'costs and learning',
};

export interface NumberControl {
  readonly kind: 'number';
  readonly key: PolicyKey;
  readonly group: PolicyGroup;
  readonly description: string;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly integer: boolean;
  /** null is a value of its own (an unlimited subsidy budget), shown as a check box beside the slider. */
  readonly nullable: boolean;
}

export interface ChoiceControl {
  readonly kind: 'choice';
  readonly key: PolicyKey;
  readonly group: PolicyGroup;
  readonly description: string;
  readonly options: readonly string[];
}

export type PolicyControl = NumberControl | ChoiceControl;

interface Bounds { min?: number; minInclusive: boolean; max?: number; maxInclusive: boolean; integer: boolean }

function boundsOf(s: z.ZodNumber): Bounds {
  const b: Bounds = { minInclusive: true, maxInclusive: true, integer: false };
  for (const c of s._zod.def.checks ?? []) {
    const d = c._zod.def as unknown as { check: string; value?: number; inclusive?: boolean; format?: string };
    if (d.check === 'number_format' && d.format !== 'float32' && d.format !== 'float64') b.integer = true;
    if (d.check === 'greater_than') [b.min, b.minInclusive] = [d.value, d.inclusive ?? false];
    if (d.check === 'less_than') [b.max, b.maxInclusive] = [d.value, d.inclusive ?? false];
  }
  return b;
}

/** 1, 2 or 5 times a power of ten, at least x: slider ends a person reads at a glance. */
function niceCeil(x: number): number {
  if (x <= 0) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  return [1, 2, 5, 10].map((m) => m * p).find((v) => v >= x - 1e-12)!;
}

/**
 * The slider's range: the schema's bounds where it has them; where it has none (most money amounts
 * are only "at least 0"), up to a round number well above the default and the scenario's value,
 * so the value in force is never at the end of the track. An exclusive bound stops one step short.
 */
function range(b: Bounds, fallback: number, current: number): { min: number; max: number; step: number } {
  const span = b.max !== undefined && b.min !== undefined ? b.max - b.min : niceCeil(Math.max(4 * Math.abs(fallback), 2 * Math.abs(current), 1));
  const step = b.integer ? Math.max(1, 10 ** Math.floor(Math.log10(Math.max(span, 1)) - 2)) : niceCeil(span / 200);
  let min = b.min ?? Math.min(0, current);
  if (b.min !== undefined && !b.minInclusive) min = b.min + step;
  let max = b.max ?? min + span;
  if (b.max !== undefined && !b.maxInclusive) max = b.max - step;
  // An empty range (no room for house partners) stays empty: the page shows the control disabled.
  return { min, max: Math.max(max, min), step };
}

function inner(s: z.core.$ZodType): { schema: z.core.$ZodType; nullable: boolean; fallback: unknown } {
  let nullable = false;
  let fallback: unknown;
  let t = s;
  for (;;) {
    if (t instanceof z.ZodDefault) {
      fallback = t._zod.def.defaultValue;
      t = t.unwrap() as z.core.$ZodType;
    } else if (t instanceof z.ZodNullable) {
      nullable = true;
      t = t.unwrap() as z.core.$ZodType;
    } else if (t instanceof z.ZodOptional) t = t.unwrap() as z.core.$ZodType;
    else return { schema: t, nullable, fallback };
  }
}

/**
 * One control for every policy key, for a platform whose policy is `current`. `room` is the
 * platform's room for house partners: the model sets it before the first tick, so a live change
 * can move house supply within it only (a replay of the session then allocates the same room).
 */
export function policyControls(current: Readonly<Record<string, unknown>>, room: number): PolicyControl[] {
  return (Object.keys(policyShape) as PolicyKey[]).map((key) => {
    const group = GROUP_OF[key];
    if (group === undefined) throw new Error(`policy "${key}" has no group in the lab`);
    const field = policyShape[key] as z.core.$ZodType;
    const { schema, nullable, fallback } = inner(field);
    const description = (policyShape[key] as { description?: string }).description ?? key;
    if (schema instanceof z.ZodEnum) return { kind: 'choice', key, group, description, options: schema.options.map(String) };
    if (!(schema instanceof z.ZodNumber)) throw new Error(`policy "${key}" is neither a number nor a choice`);
    const b = boundsOf(schema);
    if (key === 'houseSupply') {
      b.max = room;
      b.maxInclusive = true;
    }
    const value = typeof current[key] === 'number' ? (current[key] as number) : typeof fallback === 'number' ? fallback : 0;
    const r = range(b, typeof fallback === 'number' ? fallback : 0, value);
    return { kind: 'number', key, group, description, ...r, integer: b.integer, nullable };
  });
}

/** A slider position as the value the schema accepts: whole numbers stay whole, others lose the float noise of the step. */
export function controlValue(c: NumberControl, position: number): number {
  const v = Math.min(c.max, Math.max(c.min, position));
  return c.integer ? Math.round(v) : Number(v.toPrecision(12));
}
