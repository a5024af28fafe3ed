import { PRIVATE_MEMORY, type Memory } from './memory.js';
import type { Rng } from './random.js';

// Walker's alias method (Vose's construction): a weighted draw in constant time, two reads and
// two uniforms, where a cumulative table would need a binary search of random reads per draw.

export class AliasTable {
  size = 0;
  readonly prob: Float64Array;
  readonly alias: Int32Array;
  private readonly small: Int32Array;
  private readonly large: Int32Array;
  private readonly scaled: Float64Array;

  /** The table itself may live in shared memory, so that other threads can draw from it. */
  constructor(capacity: number, memory: Memory = PRIVATE_MEMORY) {
    this.prob = memory.f64(capacity);
    this.alias = memory.i32(capacity);
    this.small = new Int32Array(capacity);
    this.large = new Int32Array(capacity);
    this.scaled = new Float64Array(capacity);
  }

  /** Builds the table from the first `n` weights (non-negative, not all zero unless n is 0). */
  build(weights: Float64Array, n: number): void {
    this.size = n;
    if (n === 0) return;
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    const { prob, alias, small, large, scaled } = this;
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      const s = total > 0 ? (weights[i]! * n) / total : 1;
      scaled[i] = s;
      if (s < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const l = small[--ns]!;
      const g = large[--nl]!;
      prob[l] = scaled[l]!;
      alias[l] = g;
      const rest = scaled[g]! + scaled[l]! - 1;
      scaled[g] = rest;
      if (rest < 1) small[ns++] = g;
      else large[nl++] = g;
    }
    // What is left is 1 up to rounding.
    while (nl > 0) {
      const g = large[--nl]!;
      prob[g] = 1;
      alias[g] = g;
    }
    while (ns > 0) {
      const l = small[--ns]!;
      prob[l] = 1;
      alias[l] = l;
    }
  }

  /** An entry index drawn with probability proportional to its weight. */
  sample(rng: Rng): number {
    const u = rng.next() * this.size;
    const i = u | 0;
    return u - i < this.prob[i]! ? i : this.alias[i]!;
  }
}
