import seedrandom from 'seedrandom';

// Seeded random streams (docs/model.md section 1). Every stream is keyed by (seed, replication,
// stream name, shard), never by the order in which work reaches a thread, so a run is the same
// whatever the number of threads. xor128 is the fastest of seedrandom's generators (period
// 2^128 - 1); the matching loop makes some fifteen draws per need, and ARC4, the default, would be
// about twenty times slower.

/** A uniform draw in [0, 1). */
export type Rng = () => number;

export interface StreamKey {
  readonly seed: number;
  readonly replication: number;
  readonly name: string;
  readonly shard?: number;
}

export function stream(key: StreamKey): Rng {
  return seedrandom.xor128(`${key.seed}/${key.replication}/${key.name}/${key.shard ?? 0}`);
}

/** Uniform in (0, 1): safe under a logarithm. */
export function openUniform(rng: Rng): number {
  let u = rng();
  while (u === 0) u = rng();
  return u;
}

/** A standard normal draw (Box-Muller, one of the pair: no hidden state besides the stream). */
export function normal(rng: Rng): number {
  const u = openUniform(rng);
  const v = rng();
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

export function beta(rng: Rng, a: number, b: number): number {
  const x = gamma(rng, a);
  const y = gamma(rng, b);
  return x / (x + y);
}

/** Fisher-Yates shuffle of the first `n` entries, in place. */
export function shuffle(rng: Rng, a: Int32Array, n: number): void {
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const t = a[i]!;
    a[i] = a[j]!;
    a[j] = t;
  }
}
