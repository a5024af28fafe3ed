import { describe, expect, it } from 'vitest';
import { AliasTable } from '../src/sim/alias.js';
import seedrandom from 'seedrandom';
import { beta, normal, shuffle, stream } from '../src/sim/random.js';
import { ziggurat } from '../src/sim/ziggurat.js';

const rng = (name: string, shard = 0) => stream({ seed: 9, replication: 0, name, shard });

describe('random streams', () => {
  it('are keyed by seed, replication, name and shard, not by call order', () => {
    const a = rng('x');
    const b = rng('x');
    const seq = [a.next(), a.next(), a.next()];
    expect([b.next(), b.next(), b.next()]).toEqual(seq);
    expect(rng('x', 1).next()).not.toBe(seq[0]);
    expect(rng('y').next()).not.toBe(seq[0]);
    expect(stream({ seed: 9, replication: 1, name: 'x' }).next()).not.toBe(seq[0]);
  });

  it("draw seedrandom's xor128 numbers, number for number", () => {
    const ours = rng('x', 3);
    const theirs = seedrandom.xor128('9/0/x/3');
    for (let i = 0; i < 10_000; i++) expect(ours.next()).toBe(theirs());
  });

  it('carry on from a saved position, as another thread takes up a shard', () => {
    const a = rng('x', 2);
    for (let i = 0; i < 5; i++) a.next();
    const saved = new Int32Array(8);
    a.save(saved, 3);
    const expected = [a.next(), a.next(), a.next()];
    const b = rng('y');
    b.load(saved, 3);
    expect([b.next(), b.next(), b.next()]).toEqual(expected);
  });

  it('Box-Muller normals have mean 0 and variance 1', () => {
    const r = rng('normal');
    let s = 0;
    let ss = 0;
    for (let i = 0; i < 200_000; i++) {
      const z = normal(r);
      s += z;
      ss += z * z;
    }
    expect(Math.abs(s / 200_000)).toBeLessThan(0.01);
    expect(Math.abs(ss / 200_000 - 1)).toBeLessThan(0.01);
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

describe('ziggurat normals', () => {
  it('the ziggurat gives standard normals, tails included', () => {
    const r = rng('zig');
    const n = 2_000_000;
    let s = 0;
    let ss = 0;
    let beyond1 = 0;
    let beyond3 = 0;
    let max = 0;
    for (let i = 0; i < n; i++) {
      const z = ziggurat(r);
      s += z;
      ss += z * z;
      if (Math.abs(z) > 1) beyond1++;
      if (Math.abs(z) > 3) beyond3++;
      max = Math.max(max, Math.abs(z));
    }
    expect(Math.abs(s / n)).toBeLessThan(0.003);
    expect(Math.abs(ss / n - 1)).toBeLessThan(0.005);
    expect(Math.abs(beyond1 / n - 0.3173105)).toBeLessThan(0.001);
    expect(Math.abs(beyond3 / n - 0.0026998)).toBeLessThan(0.0002);
    // The tail beyond the base layer (3.44) is drawn too.
    expect(max).toBeGreaterThan(3.6);
  });
});
