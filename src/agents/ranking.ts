import { AliasTable } from '../sim/alias.js';
import { PRIVATE_MEMORY, type Memory } from '../sim/memory.js';
import type { Partners, PlatformState } from './state.js';

// Search results of one platform for one tick (docs/model.md section 3.5): the listed partners,
// weighted by the ranking policy. Built from ratings as they stood at the start of the tick, so
// that every customer's search reads the same public signal.

/** What another thread needs to search an index: its slots, shared (see SearchIndex.slots). */
export interface SearchArrays {
  readonly slots: Float64Array;
}

/** Numbers per slot (32 bytes): probability, rating, price, then alias and partner as two ints. */
export const SLOT = 4;
// The fields of a slot: as floats, then as ints of the same buffer (two per float).
const PROB = 0;
const RATING = 1;
const PRICE = 2;
const ALIAS = 6;
const PARTNER = 7;

/** The displayed rating of entry e at the build. */
export const slotRating = (slots: Float64Array, e: number): number => slots[SLOT * e + RATING]!;
/** The price of entry e on the platform. */
export const slotPrice = (slots: Float64Array, e: number): number => slots[SLOT * e + PRICE]!;
/** The partner of entry e. */
export const slotPartner = (slotInts: Int32Array, e: number): number => slotInts[2 * SLOT * e + PARTNER]!;

export class SearchIndex {
  /**
   * What a search reads of entry e (a listed partner: an active member of the platform, not
   * suspended), side by side in 32 bytes (the fields above): its alias probability, its displayed
   * rating at the start of the tick, its price on the platform; as ints, its alias and the partner.
   * A search draws entries at random from tens of thousands: one cache line per draw instead of
   * one per array (measured: a 1 000 000-customer run 3-7% faster).
   */
  readonly slots: Float64Array;
  readonly slotInts: Int32Array;
  /** What building takes beside the slots, made on the first build (a thread's copy never builds). */
  private builder: { weights: Float64Array; table: AliasTable } | null = null;
  size = 0;

  /** The slots live in `memory`, shared when threads search too. */
  constructor(capacity: number, memory: Memory = PRIVATE_MEMORY) {
    this.slots = new Float64Array(memory.lines(8 * SLOT * capacity), 0, SLOT * capacity);
    this.slotInts = new Int32Array(this.slots.buffer, this.slots.byteOffset, 2 * SLOT * capacity);
  }

  /**
   * Takes the first `size` slots of an index built in shared memory into this private one: the
   * search reads them a few times per need, and a thread's own copy stays in its own caches.
   */
  copyFrom(a: SearchArrays, size: number): void {
    this.size = size;
    this.slots.set(a.slots.subarray(0, SLOT * size));
  }

  /** What another thread needs to search this index: the shared slots, then the size each tick. */
  arrays(): SearchArrays {
    return { slots: this.slots };
  }

  /**
   * The entry drawn by the uniform u: Walker's alias draw, one uniform giving the slot and the coin.
   * Whether the coin sends the draw to the alias is close to a coin toss, so it is worked out
   * without a branch (a mispredicted one costs more than the read of the alias, on the slot's line
   * anyway). A uniform index has probability 1 and itself as alias in every slot: x - e < 1 keeps e.
   */
  draw(u: number): number {
    const x = u * this.size;
    const e = x | 0;
    const toAlias = Number(x - e >= this.slots[SLOT * e + PROB]!);
    const alias = this.slotInts[2 * SLOT * e + ALIAS]!;
    return e + ((alias - e) & -toAlias);
  }

  /**
   * Lists the platform's active, unsuspended partners at their price on the platform, and leaves
   * on the platform the mean rating and price of those listed: next tick's public signal (section 3.3).
   */
  build(p: Partners, platform: PlatformState, platforms: number, tick: number, factors?: Float64Array, boosts?: Float64Array): void {
    const { slots, slotInts } = this;
    const k = platform.index;
    const bit = 1 << k;
    const pol = platform.policy;
    const factor = platform.priceFactor;
    // With partner experiments, each partner's price follows its own take rate (section 10.2).
    const grouped = factors !== undefined && factors.length > platforms;
    let n = 0;
    let top = -Infinity;
    let ratings = 0;
    let prices = 0;
    for (let j = 0; j < p.n; j++) {
      if ((p.member[j]! & bit) === 0 || p.suspendedUntil[j * platforms + k]! > tick) continue;
      const r = displayedRating(p, j, pol.ratingPrior, pol.ratingPriorWeight);
      const price = p.price[j]! * (grouped ? factors[p.group[j * platforms + k]! * platforms + k]! : factor);
      slots[SLOT * n + RATING] = r;
      slots[SLOT * n + PRICE] = price;
      slotInts[2 * SLOT * n + PARTNER] = j;
      ratings += r;
      prices += price;
      if (r > top) top = r;
      n++;
    }
    this.size = n;
    platform.listed = n;
    if (n > 0) {
      platform.listedRating = ratings / n;
      platform.listedPrice = prices / n;
    }
    if (pol.ranking === 'random' || n === 0) {
      for (let e = 0; e < n; e++) {
        slots[SLOT * e + PROB] = 1;
        slotInts[2 * SLOT * e + ALIAS] = e;
      }
      return;
    }
    const capacity = slots.length / SLOT;
    this.builder ??= { weights: new Float64Array(capacity), table: new AliasTable(capacity) };
    const { weights, table } = this.builder;
    // Weights are exp(rating / temperature), shifted by the top rating so they never overflow.
    const inv = 1 / pol.rankingTemperature;
    const boost = 1 + pol.promotionBoost;
    const promoted = pol.ranking === 'promoted';
    for (let e = 0; e < n; e++) {
      let w = Math.exp((slots[SLOT * e + RATING]! - top) * inv);
      const slot = slotPartner(slotInts, e) * platforms + k;
      if (promoted && p.promoted[slot]) w *= boosts !== undefined && p.group[slot] !== 0 ? 1 + boosts[p.group[slot]! * platforms + k]! : boost;
      weights[e] = w;
    }
    table.build(weights, n);
    for (let e = 0; e < n; e++) {
      slots[SLOT * e + PROB] = table.prob[e]!;
      slotInts[2 * SLOT * e + ALIAS] = table.alias[e]!;
    }
  }
}

/** The Bayesian mean rating shown to customers (docs/model.md section 3.6). */
export function displayedRating(p: Partners, j: number, prior: number, priorWeight: number): number {
  const weight = priorWeight + p.ratingCount[j]!;
  return weight > 0 ? (priorWeight * prior + p.ratingSum[j]!) / weight : prior;
}
