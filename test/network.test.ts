import { describe, it, expect } from 'vitest';
import { buildNetwork, placesApart, scaleFree, smallWorld, type Graph } from '../src/agents/network.js';
import { stream, type Rng } from '../src/sim/random.js';
import type { NetworkConfig } from '../src/sim/scenario/schema.js';

// The customer social graph (docs/model.md section 6).

function rng(seed = 1): Rng {
  return stream({ seed, replication: 0, name: 'network' });
}

function degree(g: Graph, i: number): number {
  return g.offsets[i + 1]! - g.offsets[i]!;
}

function row(g: Graph, i: number): number[] {
  return Array.from(g.neighbors.subarray(g.offsets[i]!, g.offsets[i + 1]!));
}

function edgeCount(g: Graph): number {
  return g.neighbors.length / 2;
}

function contains(g: Graph, i: number, j: number): boolean {
  let lo = g.offsets[i]!;
  let hi = g.offsets[i + 1]! - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const x = g.neighbors[mid]!;
    if (x === j) return true;
    if (x < j) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

// Returns the first violation rather than asserting per entry, so a failure names the node and a pass stays fast.
function simpleGraphViolation(g: Graph): string | null {
  if (g.offsets.length !== g.n + 1) return `offsets length ${g.offsets.length} for n=${g.n}`;
  if (g.offsets[0] !== 0 || g.offsets[g.n] !== g.neighbors.length) return 'offsets do not span neighbors';
  for (let i = 0; i < g.n; i++) {
    if (g.offsets[i + 1]! < g.offsets[i]!) return `offsets decrease at ${i}`;
    for (let t = g.offsets[i]!; t < g.offsets[i + 1]!; t++) {
      const j = g.neighbors[t]!;
      if (j < 0 || j >= g.n) return `node ${i} has out-of-range neighbour ${j}`;
      if (j === i) return `self-loop at ${i}`;
      // Strictly ascending rules out duplicates too.
      if (t > g.offsets[i]! && g.neighbors[t - 1]! >= j) return `row ${i} not strictly ascending`;
      if (!contains(g, j, i)) return `edge ${i}-${j} not mirrored`;
    }
  }
  return null;
}

function isComplete(g: Graph): boolean {
  for (let i = 0; i < g.n; i++) {
    const r = row(g, i);
    const expected = Array.from({ length: g.n }, (_, j) => j).filter((j) => j !== i);
    if (r.length !== expected.length || r.some((x, t) => x !== expected[t])) return false;
  }
  return true;
}

function averageClustering(g: Graph): number {
  let sum = 0;
  for (let i = 0; i < g.n; i++) {
    const d = degree(g, i);
    if (d < 2) continue;
    let links = 0;
    for (let a = g.offsets[i]!; a < g.offsets[i + 1]!; a++) {
      for (let b = a + 1; b < g.offsets[i + 1]!; b++) if (contains(g, g.neighbors[a]!, g.neighbors[b]!)) links++;
    }
    sum += (2 * links) / (d * (d - 1));
  }
  return sum / g.n;
}

function ringDistance(n: number, i: number, j: number): number {
  const d = Math.abs(i - j);
  return Math.min(d, n - d);
}

function sameArrays(a: Graph, b: Graph): boolean {
  return (
    a.n === b.n &&
    a.offsets.length === b.offsets.length &&
    a.neighbors.length === b.neighbors.length &&
    a.offsets.every((x, i) => x === b.offsets[i]) &&
    a.neighbors.every((x, i) => x === b.neighbors[i])
  );
}

describe('buildNetwork', () => {
  const config = (type: NetworkConfig['type']): NetworkConfig => ({ type, degree: 6, rewire: 0.2, m: 2 });

  it('returns null under mean field', () => {
    expect(buildNetwork(config('meanfield'), 1000, rng())).toBeNull();
  });

  it('builds the configured small-world and scale-free graphs', () => {
    const ws = buildNetwork(config('smallworld'), 500, rng());
    const ba = buildNetwork(config('scalefree'), 500, rng());
    expect(ws).not.toBeNull();
    expect(ba).not.toBeNull();
    expect(sameArrays(ws!, smallWorld(500, 6, 0.2, rng()))).toBe(true);
    expect(sameArrays(ba!, scaleFree(500, 2, rng()))).toBe(true);
  });
});

describe('smallWorld (Watts–Strogatz)', () => {
  const n = 2000;
  const k = 10;

  it('is a symmetric simple graph with sorted rows and exactly n*degree/2 edges', () => {
    for (const rewire of [0, 0.1, 0.5, 1]) {
      const g = smallWorld(n, k, rewire, rng());
      expect(simpleGraphViolation(g)).toBeNull();
      expect(edgeCount(g)).toBe((n * k) / 2);
      // Rewiring moves only the far end of each node's own k/2 links.
      for (let i = 0; i < n; i++) expect(degree(g, i)).toBeGreaterThanOrEqual(k / 2);
    }
  });

  it('is the exact ring lattice when rewire is 0', () => {
    const g = smallWorld(n, k, 0, rng());
    for (let i = 0; i < n; i++) {
      const expected: number[] = [];
      for (let j = 1; j <= k / 2; j++) expected.push((i + j) % n, (i - j + n) % n);
      expected.sort((a, b) => a - b);
      expect(row(g, i)).toEqual(expected);
    }
  });

  it('rewires about the requested share of links', () => {
    const g = smallWorld(n, k, 0.1, rng());
    let longLinks = 0;
    for (let i = 0; i < n; i++) for (const j of row(g, i)) if (j > i && ringDistance(n, i, j) > k / 2) longLinks++;
    // Rewired links rarely land back within the lattice span (about k/n of the time).
    expect(longLinks / edgeCount(g)).toBeGreaterThan(0.085);
    expect(longLinks / edgeCount(g)).toBeLessThan(0.115);
  });

  it('keeps the lattice clustering at low rewiring and loses it when fully random', () => {
    const lattice = averageClustering(smallWorld(n, k, 0, rng()));
    const small = averageClustering(smallWorld(n, k, 0.1, rng()));
    const random = averageClustering(smallWorld(n, k, 1, rng()));
    // Ring lattice: 3(k/2 - 1) / (2(k - 1)).
    expect(lattice).toBeCloseTo((3 * (k / 2 - 1)) / (2 * (k - 1)), 10);
    expect(small).toBeGreaterThan(0.35);
    expect(small).toBeLessThan(lattice);
    expect(random).toBeLessThan(0.05);
    expect(small).toBeGreaterThan(10 * random);
  });

  it('lowers an odd degree by one', () => {
    expect(sameArrays(smallWorld(300, 7, 0.3, rng()), smallWorld(300, 6, 0.3, rng()))).toBe(true);
    expect(edgeCount(smallWorld(300, 7, 0.3, rng()))).toBe(900);
  });

  it('is deterministic in the seed', () => {
    expect(sameArrays(smallWorld(n, k, 0.1, rng(1)), smallWorld(n, k, 0.1, rng(1)))).toBe(true);
    expect(sameArrays(smallWorld(n, k, 0.1, rng(1)), smallWorld(n, k, 0.1, rng(2)))).toBe(false);
  });

  it('handles tiny populations', () => {
    const empty = smallWorld(0, 10, 0.1, rng());
    expect(empty.n).toBe(0);
    expect(Array.from(empty.offsets)).toEqual([0]);
    expect(empty.neighbors.length).toBe(0);
    const one = smallWorld(1, 10, 0.1, rng());
    expect(Array.from(one.offsets)).toEqual([0, 0]);
    expect(one.neighbors.length).toBe(0);
    const two = smallWorld(2, 10, 0.1, rng());
    expect(Array.from(two.offsets)).toEqual([0, 1, 2]);
    expect(Array.from(two.neighbors)).toEqual([1, 0]);
    for (const size of [3, 9, 10]) {
      const g = smallWorld(size, 10, 0.5, rng());
      expect(simpleGraphViolation(g)).toBeNull();
      expect(isComplete(g)).toBe(true);
    }
    // n = degree + 1: the lattice already links everyone, so no rewiring can change it.
    const full = smallWorld(11, 10, 1, rng());
    expect(simpleGraphViolation(full)).toBeNull();
    expect(isComplete(full)).toBe(true);
    const sparse = smallWorld(12, 10, 1, rng());
    expect(simpleGraphViolation(sparse)).toBeNull();
    expect(edgeCount(sparse)).toBe(60);
  });

  it('rejects a population that is not a non-negative integer', () => {
    expect(() => smallWorld(-1, 4, 0.1, rng())).toThrow(RangeError);
    expect(() => smallWorld(10.5, 4, 0.1, rng())).toThrow(RangeError);
  });
});

describe('scaleFree (Barabási–Albert)', () => {
  const n = 20000;
  const m = 3;

  it('is a symmetric simple graph with sorted rows and m(n-m-1) + m(m+1)/2 edges', () => {
    for (const links of [1, 2, 3, 5]) {
      const g = scaleFree(2000, links, rng());
      expect(simpleGraphViolation(g)).toBeNull();
      expect(edgeCount(g)).toBe(links * (2000 - links - 1) + (links * (links + 1)) / 2);
    }
  });

  it('grows from a complete core, each newcomer linking to exactly m earlier nodes', () => {
    const g = scaleFree(5000, m, rng());
    for (let i = 0; i <= m; i++) expect(row(g, i).filter((j) => j <= m)).toEqual([0, 1, 2, 3].filter((j) => j !== i));
    for (let v = m + 1; v < g.n; v++) expect(row(g, v).filter((j) => j < v).length).toBe(m);
  });

  it('has mean degree near 2m and a heavy tail', () => {
    const g = scaleFree(n, m, rng());
    expect(simpleGraphViolation(g)).toBeNull();
    let max = 0;
    for (let i = 0; i < n; i++) max = Math.max(max, degree(g, i));
    const mean = g.neighbors.length / n;
    expect(mean).toBeCloseTo(2 * m, 2);
    // Uniform (not preferential) attachment would top out near m*ln(n), about 30.
    expect(max).toBeGreaterThan(10 * mean);
    // The oldest nodes are the hubs: preferential attachment rewards being early.
    let early = 0;
    let late = 0;
    for (let i = 0; i < 100; i++) early += degree(g, i);
    for (let i = n - 100; i < n; i++) late += degree(g, i);
    expect(early).toBeGreaterThan(5 * late);
  });

  it('is deterministic in the seed', () => {
    expect(sameArrays(scaleFree(n, m, rng(1)), scaleFree(n, m, rng(1)))).toBe(true);
    expect(sameArrays(scaleFree(n, m, rng(1)), scaleFree(n, m, rng(2)))).toBe(false);
  });

  it('handles tiny populations', () => {
    const empty = scaleFree(0, m, rng());
    expect(Array.from(empty.offsets)).toEqual([0]);
    expect(empty.neighbors.length).toBe(0);
    const one = scaleFree(1, m, rng());
    expect(Array.from(one.offsets)).toEqual([0, 0]);
    const two = scaleFree(2, m, rng());
    expect(Array.from(two.neighbors)).toEqual([1, 0]);
    for (const size of [3, 4]) expect(isComplete(scaleFree(size, m, rng()))).toBe(true);
    // One node past the core links to only m of the m+1 core nodes.
    const past = scaleFree(5, m, rng());
    expect(simpleGraphViolation(past)).toBeNull();
    expect(degree(past, 4)).toBe(m);
    expect(edgeCount(past)).toBe(9);
  });

  it('rejects a population that is not a non-negative integer', () => {
    expect(() => scaleFree(-5, m, rng())).toThrow(RangeError);
    expect(() => scaleFree(Number.NaN, m, rng())).toThrow(RangeError);
  });
});

describe('placesApart (the places of a graph dealt at random)', () => {
  it('gives a symmetric simple graph of the same links, only the places dealt anew', () => {
    const g = scaleFree(3000, 3, rng(5));
    const h = placesApart(g, rng(6));
    expect(simpleGraphViolation(h)).toBeNull();
    expect(edgeCount(h)).toBe(edgeCount(g));
    // The same degrees, now at other places: the hubs of a scale-free graph are its first nodes.
    const degrees = (x: Graph) => Array.from({ length: x.n }, (_, i) => degree(x, i));
    expect(degrees(h).sort((a, b) => a - b)).toEqual(degrees(g).sort((a, b) => a - b));
    const firstHundred = (x: Graph) => degrees(x).slice(0, 100).reduce((a, b) => a + b, 0);
    expect(firstHundred(h)).toBeLessThan(firstHundred(g) / 3);
    // The same clustering: it is the graph, relabelled.
    expect(averageClustering(h)).toBeCloseTo(averageClustering(g), 12);
  });

  it('is deterministic in its stream', () => {
    const g = smallWorld(2000, 10, 0.1, rng(1));
    expect(sameArrays(placesApart(g, rng(2)), placesApart(g, rng(2)))).toBe(true);
    expect(sameArrays(placesApart(g, rng(2)), placesApart(g, rng(3)))).toBe(false);
  });
});
