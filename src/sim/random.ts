import seedrandom from 'seedrandom';

// Seeded random streams (docs/model.md section 1). Every stream is keyed by (seed, replication,
// stream name, shard), never by the order in which work reaches a thread, so a run is the same
// whatever the number of threads. xor128 is the fastest of seedrandom's generators (period
// 2^128 - 1); the matching loop makes some fifteen draws per need, and ARC4, the default, would be
// about twenty times slower.

export interface StreamKey {
  readonly seed: number;
  readonly replication: number;
  readonly name: string;
  readonly shard?: number;
}

/**
 * One stream: seedrandom's xor128, seeded by seedrandom, stepped here. seedrandom hands out a new
 * closure per stream, so a loop over many shards (or many runs in one thread) calls a different
 * function each time; the optimizer can then neither inline the draw nor keep its result unboxed
 * (measured: a third of a small run's allocations). One class, one method: every call site stays
 * monomorphic. The draws are seedrandom's, number for number.
 */
export class Rng {
  private x: number;
  private y: number;
  private z: number;
  private w: number;

  constructor(seed: string) {
    const s = seedrandom.xor128(seed, { state: true }).state() as unknown as { x: number; y: number; z: number; w: number };
    this.x = s.x | 0;
    this.y = s.y | 0;
    this.z = s.z | 0;
    this.w = s.w | 0;
  }

  /** Writes where the stream stands into a[at … at + 3], for another thread to draw on from there. */
  save(a: Int32Array, at: number): void {
    a[at] = this.x;
    a[at + 1] = this.y;
    a[at + 2] = this.z;
    a[at + 3] = this.w;
  }

  /** Takes up the stream where `save` left it. */
  load(a: Int32Array, at: number): void {
    this.x = a[at]!;
    this.y = a[at + 1]!;
    this.z = a[at + 2]!;
    this.w = a[at + 3]!;
  }

  /** A uniform draw in [0, 1). */
  next(): number {
    // Each field read once: the draw is inlined at every call site of the hot loops, within the
    // optimizer's budget for inlining, which counts bytecode.
    const x = this.x;
    const w = this.w;
    const t = x ^ (x << 11);
    this.x = this.y;
    this.y = this.z;
    this.z = w;
    const next = w ^ (w >>> 19) ^ t ^ (t >>> 8);
    this.w = next;
    return (next >>> 0) / 0x100000000;
  }
}

export function stream(key: StreamKey): Rng {
  return new Rng(`${key.seed}/${key.replication}/${key.name}/${key.shard ?? 0}`);
}

/** Uniform in (0, 1): safe under a logarithm. */
export function openUniform(rng: Rng): number {
  let u = rng.next();
  while (u === 0) u = rng.next();
  return u;
}

/** A standard normal draw (Box-Muller, one of the pair: no hidden state besides the stream). */
export function normal(rng: Rng): number {
  const u = openUniform(rng);
  const v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

/** Gamma(shape, 1) by Marsaglia and Tsang. */
export function gamma(rng: Rng, shape: number): number {
  if (shape < 1) return gamma(rng, shape + 1) * Math.pow(openUniform(rng), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(rng);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = openUniform(rng);
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
  }
}

/**
 * The logarithm of a Gamma(shape, 1) draw. Below shape 1 the draw is Gamma(shape + 1) · U^(1/shape),
 * which underflows to 0 for small shapes (shape 0.001: U^1000); its logarithm does not.
 */
function logGammaDraw(rng: Rng, shape: number): number {
  if (shape < 1) return Math.log(gamma(rng, shape + 1)) + Math.log(openUniform(rng)) / shape;
  return Math.log(gamma(rng, shape));
}

/** A Beta(a, b) draw, as X / (X + Y) of two Gamma draws; in logarithms when a shape is below 1, where both may underflow to 0 (0/0). */
export function beta(rng: Rng, a: number, b: number): number {
  if (a >= 1 && b >= 1) {
    const x = gamma(rng, a);
    const y = gamma(rng, b);
    return x / (x + y);
  }
  const lx = logGammaDraw(rng, a);
  const ly = logGammaDraw(rng, b);
  return 1 / (1 + Math.exp(ly - lx));
}

/** Fisher-Yates shuffle of the first `n` entries, in place. */
export function shuffle(rng: Rng, a: Int32Array, n: number): void {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
