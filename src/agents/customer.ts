import type { Memory } from '../sim/memory.js';
import { normal, stream } from '../sim/random.js';
import type { Scenario } from '../sim/scenario/schema.js';
import { hazardProbability } from './choice.js';
import type { Graph } from './network.js';
import type { Customers, EcosystemState, Shard } from './state.js';

// Customers: their state and Bass awareness (docs/model.md sections 2 and 3.2); their membership
// decisions are in membership.ts.

/**
 * The customers' arrays, in `memory`: shared on threads, where any worker may take up any shard
 * (measured on one worker thread: the customer phases as fast on shared as on private arrays).
 */
export function createCustomers(n: number, platforms: number, memory: Memory): Customers {
  return {
    n,
    value: memory.f64(n),
    theta: memory.f32(n),
    satisfaction: memory.f64(n),
    member: memory.u8(n),
    aware: memory.u8(n),
    best: memory.u8(n),
    tie: memory.i32(n).fill(-1),
    tieCount: memory.u16(n),
    revenue: memory.f32(n),
    experience: memory.f64(n * platforms),
    lapsedUntil: memory.i32(n),
    taste: memory.f32(n),
    segment: memory.u8(n),
    group: memory.u8(n),
  };
}

/**
 * Cumulative shares of the customers seeded as members of each platform at the start (section 2):
 * `customers.initialShare` and the first platform's own `initialShare` seed the first one.
 */
function seededShares(s: Scenario): Float64Array {
  const cum = new Float64Array(s.platforms.length);
  let sum = s.customers.initialShare;
  s.platforms.forEach((pl, k) => {
    sum += pl.initialShare;
    cum[k] = sum;
  });
  return cum;
}

/**
 * Draws segments, valuations, tastes and taste locations, and seeds the initially aware and member
 * customers (sections 2 and 10.1). Segments come from a stream of their own, so that a scenario
 * without segments draws everything else as it did before they existed.
 */
export function initCustomers(st: EcosystemState, shard: Shard): void {
  const c = st.customers;
  const s = st.scenario;
  const cfg = s.customers;
  const rng = shard.rng;
  const seg = st.segments;
  if (seg.count > 1) placeSegments(st, shard);
  const seeded = seededShares(s);
  const P = s.platforms.length;
  const anySeeded = seeded[P - 1]! > 0;
  for (let i = shard.start; i < shard.end; i++) {
    const g = c.segment[i]!;
    c.group[i] = g;
    c.value[i] =
      seg.lognormal[g] === 0
        ? seg.valueMin[g]! + (seg.valueMax[g]! - seg.valueMin[g]!) * rng.next()
        : Math.exp(seg.mu[g]! + seg.sigma[g]! * normal(rng));
    c.theta[i] = cfg.qualityWeightMin + (cfg.qualityWeightMax - cfg.qualityWeightMin) * rng.next();
    c.taste[i] = rng.next();
    c.satisfaction[i] = cfg.initialSatisfaction;
    if (rng.next() < cfg.initialAware) c.aware[i] = 1;
    if (anySeeded) {
      const u = rng.next();
      let k = 0;
      while (k < P && u >= seeded[k]!) k++;
      // Only a platform open from the start has members at the start.
      if (k < P && s.platforms[k]!.launchTick === 0) {
        c.aware[i] = 1;
        c.member[i] = 1 << k;
        c.best[i] = k;
      }
    }
    if (c.aware[i] !== 0) shard.unaware--;
  }
  shard.tally.aware += shard.end - shard.start - shard.unaware;
}

/**
 * Each customer of the shard draws its segment (section 10.1); the shard then stores them by
 * segment, the first segment's customers first, so that the loops over a shard meet each segment
 * as one run (membership.ts). Who is where in the network is shuffled apart from this order
 * (network.ts, placesApart), so a segment is no neighbourhood.
 */
function placeSegments(st: EcosystemState, shard: Shard): void {
  const seg = st.segments;
  const rng = stream({ seed: st.scenario.seed, replication: st.replication, name: 'segments', shard: shard.index });
  const count = new Int32Array(seg.count);
  for (let i = shard.start; i < shard.end; i++) count[seg.draw(rng.next())]!++;
  const segment = st.customers.segment;
  let i = shard.start;
  for (let g = 0; g < seg.count; g++) for (let n = 0; n < count[g]!; n++) segment[i++] = g;
}

const scratch = { meanField: new Float64Array(256) };

/** Share of a customer's neighbours who are members of any platform (section 3.2). */
function memberNeighbours(graph: Graph, member: Uint8Array, i: number): number {
  const from = graph.offsets[i]!;
  const to = graph.offsets[i + 1]!;
  if (to === from) return 0;
  let m = 0;
  for (let e = from; e < to; e++) if (member[graph.neighbors[e]!] !== 0) m++;
  return m / (to - from);
}

/** Bass awareness: hazard p + q * (member share of the neighbours, or of everyone in a mean field) (section 3.2). */
export function awarenessPhase(st: EcosystemState, shard: Shard): void {
  const c = st.customers;
  const { p, q } = st.segments;
  const dt = st.scenario.dt;
  const graph = st.graph;
  const rng = shard.rng;
  const globalShare = c.n > 0 ? st.members / c.n : 0;
  // Once everyone in the shard has heard of the platforms, there is nothing to draw.
  if (shard.unaware === 0) return;
  // Per segment under mean field: its own p and q (section 10.1).
  const meanField = scratch.meanField;
  for (let g = 0; g < st.segments.count; g++) meanField[g] = hazardProbability(p[g]! + q[g]! * globalShare, dt);
  let became = 0;
  for (let i = shard.start; i < shard.end; i++) {
    if (c.aware[i] !== 0) continue;
    const g = c.segment[i]!;
    const prob = graph ? hazardProbability(p[g]! + q[g]! * memberNeighbours(graph, c.member, i), dt) : meanField[g]!;
    if (rng.next() < prob) {
      c.aware[i] = 1;
      became++;
    }
  }
  shard.tally.aware += became;
  shard.unaware -= became;
}

