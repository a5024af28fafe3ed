// e^x to the precision of a 32-bit float, exactly as Math.fround(Math.exp(x)), at a fraction of
// the cost: a value stored in a Float32Array keeps 24 bits, so an approximation good to some 36 bits
// settles its float nearly always, and where it cannot (the approximation's error band straddles
// the midpoint between two floats, about once in five thousand weights) Math.exp itself decides.
// The answer is therefore the same number, bit for bit, whatever the input.
//
// The approximation: x = (128 m + j) ln2 / 128 + r with |r| <= ln2 / 256, so that
// e^x = 2^m · 2^(j/128) · e^r, the first two from tables and e^r by its Taylor series to r^3
// (truncation below 2.3e-12 of the value). A longer series would settle more floats, but each
// term costs more than the rare fallback saves.

/** Table steps per power of two: 2^STEP_BITS. */
const STEP_BITS = 7;
const STEPS = 1 << STEP_BITS;
const STEPS_PER_LN2 = STEPS / Math.LN2;
/**
 * ln2 / 128 in two parts: the first with its low bits cleared, so that k times it is exact for the
 * |k| below 2^15 that reach here (Cody and Waite's reduction); the second what the first leaves.
 */
const LN2_STEP_HI = Math.round((Math.LN2 / STEPS) * 2 ** 38) / 2 ** 38;
const LN2_STEP_LO = Math.LN2 / STEPS - LN2_STEP_HI;
/** 2^(j/128), j = 0 … 127. */
const FRACTION = Float64Array.from({ length: STEPS }, (_, j) => Math.pow(2, j / STEPS));
/** 2^m for m from -MIN_POWER on, exact. */
const MIN_POWER = 160;
const POWER = Float64Array.from({ length: MIN_POWER + 140 }, (_, m) => Math.pow(2, m - MIN_POWER));
/**
 * Inputs handled by the approximation: below, e^x is 0 or a subnormal float; above, it overflows
 * a float (e^88.72). Both, and NaN, go to Math.exp.
 */
const LOWEST = -103;
const HIGHEST = 88;
/**
 * A bound on the relative distance between the approximation and Math.exp: the series' truncation
 * (below 2.3e-12), then some 1e-15 for the tables, the reduction, the rounding and Math.exp's own
 * last bit, with a margin.
 */
const ERROR = 1e-11;

/** Math.fround(Math.exp(x)), bit for bit. */
export function expFloat32(x: number): number {
  // Short in bytecode (one fallback, the tables' bounds in their constants) so that the optimizer
  // inlines it into the search loop beside the other calls there.
  if (x >= LOWEST && x <= HIGHEST) {
    // The nearest step, by floor (Math.round is slower; any nearby k serves).
    const kf = Math.floor(x * STEPS_PER_LN2 + 0.5);
    const k = kf | 0;
    const r = x - kf * LN2_STEP_HI - kf * LN2_STEP_LO;
    // Two short chains, not one of three: the terms are independent of each other.
    const series = 1 + r + r * r * (1 / 2 + r * (1 / 6));
    const y = POWER[(k >> STEP_BITS) + MIN_POWER]! * FRACTION[k & (STEPS - 1)]! * series;
    // Every number within the error band rounds to the same float: Math.exp's value is among them.
    const band = y * ERROR;
    const f = Math.fround(y - band);
    if (f === Math.fround(y + band)) return f;
  }
  return Math.fround(Math.exp(x));
}
