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

/**
 * Numbers per slot (64 bytes, one cache line): an entry in two sides of four numbers, the entry
 * itself and its alias, each with its rating, its price, then its partner as an int; the first
 * side's last number is the alias probability.
 */
export const SLOT = 8;
/** Numbers per side. */
const SIDE = 4;
// The fields of a side, as floats; then, as an int of the same buffer (two per float), its partner.
const RATING = 0;
const PRICE = 1;
const PARTNER = 4;
/** The alias probability, in the first side. */
const PROB = 3;

// A draw d = 2 e + s names side s of entry e: the entry (s = 0) or its alias (s = 1).

/** The displayed rating of draw d at the build. */
export const slotRating = (slots: Float64Array, d: number): number => slots[SIDE * d + RATING]!;
/** The price of draw d on the platform. */
export const slotPrice = (slots: Float64Array, d: number): number => slots[SIDE * d + PRICE]!;
/** The partner of draw d. */
export const slotPartner = (slotInts: Int32Array, d: number): number => slotInts[2 * SIDE * d + PARTNER]!;

export class SearchIndex {
  /**
   * What a search reads of entry e (a listed partner: an active member of the platform, not
   * suspended), in one cache line (the fields above): its alias probability; the displayed rating
   * at the start of the tick, the price on the platform and the partner, of the entry and of its
   * alias. A search draws entries at random from tens of thousands: one line read per draw (the
   * alias's fields beside the entry's, not in the alias's own slot), where one array per field
   * would read a line per field.
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
   * The draw of the uniform u (2 e + s, see slotRating): Walker's alias draw, one uniform giving
   * the entry and the coin. Whether the coin sends the draw to the alias is close to a coin toss,
   * so it is worked out without a branch. A uniform index has probability 1 in every slot:
   * x - e < 1 keeps e.
   */
  draw(u: number): number {
    const x = u * this.size;
    const e = x | 0;
    return 2 * e + Number(x - e >= this.slots[SLOT * e + PROB]!);
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
        this.copySide(e, e);
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
      const slot = slotInts[2 * SLOT * e + PARTNER]! * platforms + k;
      if (promoted && p.promoted[slot]) w *= boosts !== undefined && p.group[slot] !== 0 ? 1 + boosts[p.group[slot]! * platforms + k]! : boost;
      weights[e] = w;
    }
    table.build(weights, n);
    for (let e = 0; e < n; e++) {
      slots[SLOT * e + PROB] = table.prob[e]!;
      this.copySide(e, table.alias[e]!);
    }
  }

  /** The second side of entry e: the first side of entry `alias`. */
  private copySide(e: number, alias: number): void {
    const { slots, slotInts } = this;
    slots[SLOT * e + SIDE + RATING] = slots[SLOT * alias + RATING]!;
    slots[SLOT * e + SIDE + PRICE] = slots[SLOT * alias + PRICE]!;
    slotInts[2 * (SLOT * e + SIDE) + PARTNER] = slotInts[2 * SLOT * alias + PARTNER]!;
  }
}

/** The Bayesian mean rating shown to customers (docs/model.md section 3.6). */
export function displayedRating(p: Partners, j: number, prior: number, priorWeight: number): number {
  const weight = priorWeight + p.ratingCount[j]!;
  return weight > 0 ? (priorWeight * prior + p.ratingSum[j]!) / weight : prior;
}
