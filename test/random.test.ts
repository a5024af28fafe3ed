import { describe, expect, it } from 'vitest';
import { AliasTable } from '../src/sim/alias.js';
import { beta, normalPair, shuffle, stream } from '../src/sim/random.js';

const rng = (name: string, shard = 0) => stream({ seed: 9, replication: 0, name, shard });

describe('random streams', () => {
  it('are keyed by seed, replication, name and shard, not by call order', () => {
    const a = rng('x');
    const b = rng('x');
    const seq = [a(), a(), a()];
    expect([b(), b(), b()]).toEqual(seq);
    expect(rng('x', 1)()).not.toBe(seq[0]);
    expect(rng('y')()).not.toBe(seq[0]);
    expect(stream({ seed: 9, replication: 1, name: 'x' })()).not.toBe(seq[0]);
  });

  it('normal pairs have mean 0, variance 1 and no correlation', () => {
    const r = rng('normal');
    const out = new Float64Array(2);
    let s = 0;
    let ss = 0;
    let cross = 0;
    const n = 200_000;
    for (let i = 0; i < n; i++) {
      normalPair(r, out, 0);
      s += out[0]! + out[1]!;
      ss += out[0]! ** 2 + out[1]! ** 2;
      cross += out[0]! * out[1]!;
    }
    expect(Math.abs(s / (2 * n))).toBeLessThan(0.01);
    expect(Math.abs(ss / (2 * n) - 1)).toBeLessThan(0.01);
    expect(Math.abs(cross / n)).toBeLessThan(0.01);
  });

  it('beta draws have the mean a / (a + b)', () => {
    const r = rng('beta');
    let s = 0;
    for (let i = 0; i < 50_000; i++) s += beta(r, 4, 2);
    expect(Math.abs(s / 50_000 - 4 / 6)).toBeLessThan(0.005);
  });

  it('shuffle is a permutation', () => {
    const a = Int32Array.from({ length: 1000 }, (_, i) => i);
    shuffle(rng('s'), a, 1000);
    expect([...a].sort((x, y) => x - y)).toEqual([...Array(1000).keys()]);
    expect([...a.slice(0, 10)]).not.toEqual([...Array(10).keys()]);
  });
});

describe('alias table', () => {
  it('draws each entry in proportion to its weight', () => {
    const w = Float64Array.from([1, 2, 3, 4, 0, 10]);
    const t = new AliasTable(6);
    t.build(w, 6);
    const r = rng('alias');
    const counts = new Array(6).fill(0);
    const n = 400_000;
    for (let i = 0; i < n; i++) counts[t.sample(r)]++;
    const total = 20;
    counts.forEach((c, i) => expect(Math.abs(c / n - w[i]! / total), `entry ${i}`).toBeLessThan(0.004));
    expect(counts[4]).toBe(0);
  });

  it('uses only the first n weights', () => {
    const t = new AliasTable(4);
    t.build(Float64Array.from([1, 1, 100, 100]), 2);
    const r = rng('alias2');
    for (let i = 0; i < 1000; i++) expect(t.sample(r)).toBeLessThan(2);
  });
});
