import { AliasTable } from '../sim/alias.js';
import { PRIVATE_MEMORY, type Memory } from '../sim/memory.js';
import type { Partners, PlatformState } from './state.js';

// Search results of one platform for one tick (docs/model.md section 3.5): the listed partners,
// weighted by the ranking policy. Built from ratings as they stood at the start of the tick, so
// that every customer's search reads the same public signal.

export interface SearchArrays {
  readonly entries: Int32Array;
  readonly rating: Float64Array;
  readonly price: Float64Array;
  readonly prob: Float64Array;
  readonly alias: Int32Array;
}

export class SearchIndex {
  /** Listed partners: active members of the platform, not suspended. */
  readonly entries: Int32Array;
  /** Displayed rating and price of each entry at the start of the tick, beside each other for the search. */
  readonly rating: Float64Array;
  readonly price: Float64Array;
  private readonly weights: Float64Array;
  readonly table: AliasTable;
  size = 0;
  uniform = true;

  /** What a search reads lives in `memory`, shared when threads search too. */
  constructor(capacity: number, memory: Memory = PRIVATE_MEMORY) {
    this.entries = memory.i32(capacity);
    this.rating = memory.f64(capacity);
    this.price = memory.f64(capacity);
    this.weights = new Float64Array(capacity);
    this.table = new AliasTable(capacity, memory);
  }

  /**
   * Takes the first `size` entries of an index built in shared memory into this private one: the
   * search reads them a few times per need, and ordinary memory is faster to read than shared.
   */
  copyFrom(a: SearchArrays, size: number, uniform: boolean): void {
    this.size = size;
    this.uniform = uniform;
    this.table.size = size;
    this.entries.set(a.entries.subarray(0, size));
    this.rating.set(a.rating.subarray(0, size));
    this.price.set(a.price.subarray(0, size));
    if (uniform) return;
    this.table.prob.set(a.prob.subarray(0, size));
    this.table.alias.set(a.alias.subarray(0, size));
  }

  /** What another thread needs to search this index: the shared arrays, then size and mode each tick. */
  arrays(): SearchArrays {
    return { entries: this.entries, rating: this.rating, price: this.price, prob: this.table.prob, alias: this.table.alias };
  }

  build(p: Partners, platform: PlatformState, platforms: number, tick: number): void {
    const k = platform.index;
    const bit = 1 << k;
    const pol = platform.policy;
    let n = 0;
    let top = -Infinity;
    for (let j = 0; j < p.n; j++) {
      if ((p.member[j]! & bit) === 0 || p.suspendedUntil[j * platforms + k]! > tick) continue;
      const r = displayedRating(p, j, pol.ratingPrior, pol.ratingPriorWeight);
      this.entries[n] = j;
      this.rating[n] = r;
      this.price[n] = p.price[j]!;
      if (r > top) top = r;
      n++;
    }
    this.size = n;
    this.uniform = pol.ranking === 'random' || n === 0;
    if (this.uniform) return;
    // Weights are exp(rating / temperature), shifted by the top rating so they never overflow.
    const inv = 1 / pol.rankingTemperature;
    const boost = 1 + pol.promotionBoost;
    const promoted = pol.ranking === 'promoted';
    for (let e = 0; e < n; e++) {
      let w = Math.exp((this.rating[e]! - top) * inv);
      if (promoted && p.promoted[this.entries[e]! * platforms + k]) w *= boost;
      this.weights[e] = w;
    }
    this.table.build(this.weights, n);
  }
}

/** The Bayesian mean rating shown to customers (docs/model.md section 3.6). */
export function displayedRating(p: Partners, j: number, prior: number, priorWeight: number): number {
  const weight = priorWeight + p.ratingCount[j]!;
  return weight > 0 ? (priorWeight * prior + p.ratingSum[j]!) / weight : prior;
}
