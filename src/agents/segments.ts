import type { CustomersConfig, Scenario, SegmentConfig } from '../sim/scenario/schema.js';
import { segmentNames } from '../sim/scenario/segments.js';
import { hazardProbability } from './choice.js';

// Customer segments (docs/model.md section 10.1): each customer belongs to one, and every
// per-customer key is read from its segment's row of these tables, by the customer's segment
// index. Without segments there is one row, "all", holding the `customers` keys, so the hot loops
// read the same numbers as before segments existed, by index 0.

export class SegmentTable {
  readonly count: number;
  readonly names: readonly string[];
  /** Cumulative shares, for drawing a customer's segment. */
  readonly cumulative: Float64Array;
  readonly lognormal: Uint8Array;
  /** Log-normal location and scale of the valuation, or the uniform's bounds. */
  readonly mu: Float64Array;
  readonly sigma: Float64Array;
  readonly valueMin: Float64Array;
  readonly valueMax: Float64Array;
  readonly needRate: Float64Array;
  readonly riskAversion: Float64Array;
  readonly churnBase: Float64Array;
  readonly churnDissatisfaction: Float64Array;
  readonly p: Float64Array;
  readonly q: Float64Array;
  readonly joinCost: Float64Array;
  readonly differentiation: Float64Array;
  /** The per-tick probability of reviewing one's platform, from the hazard switchRate. */
  readonly switchProbability: Float64Array;
  readonly switchRate: Float64Array;
  readonly switchingCost: Float64Array;
  readonly reentryDelay: Int32Array;
  /** βcs λ: how much the surplus per need weighs in membership utility. */
  readonly crossWeight: Float64Array;

  constructor(s: Scenario) {
    const cfg = s.customers;
    const rows: Required<Omit<SegmentConfig, 'name' | 'share'>>[] = (cfg.segments.length === 0 ? [{}] : cfg.segments).map((g) => merged(cfg, g));
    const n = rows.length;
    this.count = n;
    this.names = segmentNames(s);
    const col = (f: (r: (typeof rows)[number]) => number) => Float64Array.from(rows, f);
    this.cumulative = new Float64Array(n);
    let sum = 0;
    (cfg.segments.length === 0 ? [{ share: 1 }] : cfg.segments).forEach((g, i) => (this.cumulative[i] = sum += g.share));
    this.lognormal = Uint8Array.from(rows, (r) => (r.valueDistribution === 'lognormal' ? 1 : 0));
    this.mu = col((r) => Math.log(r.valueMean) - (r.valueSigma * r.valueSigma) / 2);
    this.sigma = col((r) => r.valueSigma);
    this.valueMin = col((r) => r.valueMin);
    this.valueMax = col((r) => r.valueMax);
    this.needRate = col((r) => r.needRate);
    this.riskAversion = col((r) => r.riskAversion);
    this.churnBase = col((r) => r.churnBase);
    this.churnDissatisfaction = col((r) => r.churnDissatisfaction);
    this.p = col((r) => r.p);
    this.q = col((r) => r.q);
    this.joinCost = col((r) => r.joinCost);
    this.differentiation = col((r) => r.differentiation);
    this.switchRate = col((r) => r.switchRate);
    this.switchProbability = col((r) => hazardProbability(r.switchRate, s.dt));
    this.switchingCost = col((r) => r.switchingCost);
    this.reentryDelay = Int32Array.from(rows, (r) => r.reentryDelay);
    this.crossWeight = col((r) => s.effects.crossSide * r.needRate);
  }

  /** The segment of a uniform draw u, by the shares. */
  draw(u: number): number {
    const cum = this.cumulative;
    let g = 0;
    while (g < this.count - 1 && u >= cum[g]!) g++;
    return g;
  }
}

/** A segment's keys: its own, and those of `customers` for the rest. */
function merged(cfg: CustomersConfig, g: Partial<SegmentConfig>): Required<Omit<SegmentConfig, 'name' | 'share'>> {
  return {
    valueDistribution: g.valueDistribution ?? cfg.valueDistribution,
    valueMean: g.valueMean ?? cfg.valueMean,
    valueSigma: g.valueSigma ?? cfg.valueSigma,
    valueMin: g.valueMin ?? cfg.valueMin,
    valueMax: g.valueMax ?? cfg.valueMax,
    needRate: g.needRate ?? cfg.needRate,
    riskAversion: g.riskAversion ?? cfg.riskAversion,
    churnBase: g.churnBase ?? cfg.churnBase,
    churnDissatisfaction: g.churnDissatisfaction ?? cfg.churnDissatisfaction,
    p: g.p ?? cfg.p,
    q: g.q ?? cfg.q,
    joinCost: g.joinCost ?? cfg.joinCost,
    differentiation: g.differentiation ?? cfg.differentiation,
    switchRate: g.switchRate ?? cfg.switchRate,
    switchingCost: g.switchingCost ?? cfg.switchingCost,
    reentryDelay: g.reentryDelay ?? cfg.reentryDelay,
  };
}
