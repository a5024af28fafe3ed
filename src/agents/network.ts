import type { NetworkConfig } from '../sim/scenario/schema.js';
import { shuffle, type Rng } from '../sim/random.js';

// The social graph of customers (docs/model.md section 6): who hears about a platform from whom.
// Built once per run from the seed and stored as compressed sparse rows, because a million
// customers with ten links each must fit in a few tens of megabytes and build in seconds:
// every step works on Int32Array edge lists, never on per-node objects or sets.

/** An undirected simple graph: node i's neighbours, sorted ascending, are neighbors[offsets[i] .. offsets[i+1]). */
export interface Graph {
  readonly n: number;
  readonly offsets: Int32Array;
  readonly neighbors: Int32Array;
}

// Typed arrays are indexed by int32, so both directions of every edge must fit in one.
const MAX_ENTRIES = 2 ** 31 - 1;

/** The graph for a run, or null under mean field, where everyone sees the population share instead of neighbours. */
export function buildNetwork(config: NetworkConfig, n: number, rng: Rng): Graph | null {
  switch (config.type) {
    case 'meanfield':
      return null;
    case 'smallworld':
      return smallWorld(n, config.degree, config.rewire, rng);
    case 'scalefree':
      return scaleFree(n, config.m, rng);
    default: {
      // Fails to compile if a network type is added to the schema but not here.
      const unknown: never = config.type;
      throw new Error(`unknown network type: ${String(unknown)}`);
    }
  }
}

/**
 * The same graph with its places dealt to the customers in a uniformly random order: customer i
 * sits at node place[i]. The builders lay nodes out by index (a ring of neighbours, the earliest
 * nodes the hubs), and a shard stores its customers by segment (customer.ts), so without this a
 * segment would be a neighbourhood, or hold the hubs (docs/model.md section 6).
 */
export function placesApart(g: Graph, rng: Rng): Graph {
  const n = g.n;
  const place = new Int32Array(n);
  for (let i = 0; i < n; i++) place[i] = i;
  shuffle(rng, place, n);
  const customerAt = new Int32Array(n);
  for (let i = 0; i < n; i++) customerAt[place[i]!] = i;
  const offsets = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + g.offsets[place[i]! + 1]! - g.offsets[place[i]!]!;
  const neighbors = new Int32Array(g.neighbors.length);
  for (let i = 0; i < n; i++) {
    let o = offsets[i]!;
    for (let e = g.offsets[place[i]!]!; e < g.offsets[place[i]! + 1]!; e++) neighbors[o++] = customerAt[g.neighbors[e]!]!;
    neighbors.subarray(offsets[i]!, o).sort();
  }
  return { n, offsets, neighbors };
}

/**
 * Watts–Strogatz: a ring lattice of `degree` links per node, each link rewired with probability
 * `rewire` to a uniform node, avoiding self-loops and duplicates. An odd degree is lowered by one,
 * since a ring lattice links the same number of neighbours on each side. If n <= degree the
 * lattice cannot be formed and the complete graph is returned.
 */
export function smallWorld(n: number, degree: number, rewire: number, rng: Rng): Graph {
  checkCount('n', n);
  checkCount('degree', degree);
  const k = Math.floor(degree / 2);
  if (k === 0) return emptyGraph(n);
  if (n <= 2 * k) return completeGraph(n);
  const edges = n * k;
  checkSize(edges);
  // Slot u*k + (j-1) holds the edge from u to its j-th clockwise neighbour; rewiring moves only its
  // far end, so u's k slots stay u's and the edge (u, w) exists iff a slot of u points to w or a slot of w points to u.
  const src = new Int32Array(edges);
  const dst = new Int32Array(edges);
  const deg = new Int32Array(n).fill(2 * k);
  for (let u = 0; u < n; u++) {
    for (let j = 1; j <= k; j++) {
      const e = u * k + j - 1;
      src[e] = u;
      dst[e] = (u + j) % n;
    }
  }
  // Round j before j+1, as in the standard algorithm, so short links are rewired first.
  for (let j = 1; j <= k; j++) {
    for (let u = 0; u < n; u++) {
      if (rng.next() >= rewire) continue;
      // A node linked to everyone has nowhere to go; checking first keeps the draw loop finite.
      if (deg[u]! >= n - 1) continue;
      let w: number;
      do {
        w = Math.floor(rng.next() * n);
      } while (w === u || hasEdge(dst, k, u, w));
      const e = u * k + j - 1;
      deg[dst[e]!]!--;
      deg[w]!++;
      dst[e] = w;
    }
  }
  return toCsr(n, src, dst, edges);
}

function hasEdge(dst: Int32Array, k: number, u: number, w: number): boolean {
  for (let e = u * k, end = e + k; e < end; e++) if (dst[e] === w) return true;
  for (let e = w * k, end = e + k; e < end; e++) if (dst[e] === u) return true;
  return false;
}

/**
 * Barabási–Albert: a complete graph of m+1 nodes, then each new node links to m distinct earlier
 * nodes drawn with probability proportional to degree. If n <= m+1, the complete graph.
 */
export function scaleFree(n: number, m: number, rng: Rng): Graph {
  checkCount('n', n);
  checkCount('m', m);
  if (m === 0) return emptyGraph(n);
  if (n <= m + 1) return completeGraph(n);
  const edges = (m * (m + 1)) / 2 + m * (n - m - 1);
  checkSize(edges);
  const src = new Int32Array(edges);
  const dst = new Int32Array(edges);
  // Each node appears once per link end, so a uniform pick from this list is a degree-proportional pick.
  const ends = new Int32Array(2 * edges);
  let e = 0;
  let r = 0;
  for (let i = 0; i <= m; i++) {
    for (let j = i + 1; j <= m; j++) {
      src[e] = i;
      dst[e] = j;
      e++;
      ends[r++] = i;
      ends[r++] = j;
    }
  }
  // pickedBy[w] === v marks w as already a target of v: O(1) distinctness without clearing a set per node.
  const pickedBy = new Int32Array(n).fill(-1);
  for (let v = m + 1; v < n; v++) {
    // Degrees as they were before v arrived: v's own links must not bias its later picks.
    const pool = r;
    for (let t = 0; t < m; t++) {
      let w: number;
      do {
        w = ends[Math.floor(rng.next() * pool)]!;
      } while (pickedBy[w] === v);
      pickedBy[w] = v;
      src[e] = v;
      dst[e] = w;
      e++;
      ends[r++] = w;
      ends[r++] = v;
    }
  }
  return toCsr(n, src, dst, edges);
}

function completeGraph(n: number): Graph {
  const edges = (n * (n - 1)) / 2;
  checkSize(edges);
  const src = new Int32Array(edges);
  const dst = new Int32Array(edges);
  let e = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      src[e] = i;
      dst[e] = j;
      e++;
    }
  }
  return toCsr(n, src, dst, edges);
}

function emptyGraph(n: number): Graph {
  return { n, offsets: new Int32Array(n + 1), neighbors: new Int32Array(0) };
}

/** Both directions of each edge, count-sorted by node, then each row sorted and cleared of self-loops and repeats. */
function toCsr(n: number, src: Int32Array, dst: Int32Array, edges: number): Graph {
  const offsets = new Int32Array(n + 1);
  for (let e = 0; e < edges; e++) {
    const a = src[e]!;
    const b = dst[e]!;
    if (a === b) continue;
    offsets[a + 1]!++;
    offsets[b + 1]!++;
  }
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const cursor = offsets.slice(0, n);
  const neighbors = new Int32Array(offsets[n]!);
  for (let e = 0; e < edges; e++) {
    const a = src[e]!;
    const b = dst[e]!;
    if (a === b) continue;
    neighbors[cursor[a]!++] = b;
    neighbors[cursor[b]!++] = a;
  }
  // Compacting in place is safe: the write position never passes the start of the row being read.
  let write = 0;
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = offsets[i + 1]!;
    sortRange(neighbors, start, end);
    offsets[i] = write;
    let previous = -1;
    for (let t = start; t < end; t++) {
      const x = neighbors[t]!;
      if (x !== previous) neighbors[write++] = x;
      previous = x;
    }
    start = end;
  }
  offsets[n] = write;
  return { n, offsets, neighbors: write === neighbors.length ? neighbors : neighbors.slice(0, write) };
}

// Most rows hold a handful of entries, where insertion sort beats allocating a subarray per row.
const INSERTION_SORT_MAX = 32;

function sortRange(a: Int32Array, start: number, end: number): void {
  if (end - start > INSERTION_SORT_MAX) {
    a.subarray(start, end).sort();
    return;
  }
  for (let i = start + 1; i < end; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= start && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
}

function checkCount(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer, got ${value}`);
}

function checkSize(edges: number): void {
  if (2 * edges > MAX_ENTRIES) throw new RangeError(`network too large: ${edges} edges exceed int32 indexing`);
}
