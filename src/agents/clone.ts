import { Memory } from '../sim/memory.js';
import { Rng, stream } from '../sim/random.js';
import { createCustomers } from './customer.js';
import { reserveShard } from './matching.js';
import { CustomerLedger } from './ledger.js';
import { createPlatform } from './orchestrator.js';
import { createPartners } from './partner.js';
import type { Customers, EcosystemState, Partners, PlatformState, Shard } from './state.js';
import { ShardTally, Tally } from './tally.js';

// A deep copy of a run's state between ticks (docs/model.md section 10.2: the forked copies of an
// experiment). Typed arrays are copied into private memory; streams go on from where they stood.
// Every object the phases read is built by the same factory as the run's (createCustomers,
// createPartners, createPlatform, an object literal in the same key order) and then filled, so it
// has the run's hidden class: a copy built otherwise (a spread, keys added one by one) would make
// every property access in the hot loops polymorphic, slowing the copies and, once they have run,
// the run itself. What no phase writes (the scenario, the graph, the segment and pricing tables)
// is shared. Scratch and per-tick buffers start empty: every tick rebuilds them.

function copyRng(from: Rng): Rng {
  const saved = new Int32Array(4);
  from.save(saved, 0);
  const rng = stream({ seed: 0, replication: 0, name: 'copy' });
  rng.load(saved, 0);
  return rng;
}

/** Every typed-array field of a population copied into the same field of `into`, built alike. */
function copyArrays<T extends object>(from: T, into: T): T {
  const to = into as unknown as Record<string, Uint8Array>;
  for (const [key, value] of Object.entries(from)) if (ArrayBuffer.isView(value)) to[key]!.set(value as unknown as Uint8Array);
  return into;
}

function copyPlatform(st: EcosystemState, pl: PlatformState): PlatformState {
  const cfg = st.scenario.platforms[pl.index]!;
  const copy = createPlatform(cfg, pl.index, pl.houseStart, pl.houseSlots);
  for (const key of Object.keys(copy.policy) as (keyof typeof copy.policy)[]) (copy.policy as Record<string, unknown>)[key] = pl.policy[key];
  copy.segmentPolicies = structuredClone(pl.segmentPolicies);
  copy.tally.add(pl.tally);
  const fields = ['houseActive', 'budget', 'cash', 'open', 'failedAt', 'cumulativeMatches', 'customers', 'partners', 'lastDemand', 'share', 'availability', 'u0', 'coupon', 'subsidy', 'priceFactor', 'listedRating', 'listedPrice', 'listed'] as const;
  const into = copy as unknown as Record<string, unknown>;
  for (const f of fields) into[f] = pl[f];
  return copy;
}

export function cloneState(st: EcosystemState): EcosystemState {
  const memory = new Memory(false);
  const cells = st.segments.count * st.platforms.length;
  const shards: Shard[] = st.shards.map((sh) => {
    const copy: Shard = {
      index: sh.index,
      start: sh.start,
      end: sh.end,
      rng: copyRng(sh.rng),
      customer: new Int32Array(0),
      flags: new Int32Array(0),
      noise: new Float32Array(0),
      partnerSide: new Float64Array(0),
      count: 0,
      offset: 0,
      tally: new ShardTally(cells),
      unaware: sh.unaware,
    };
    reserveShard(copy, sh.customer.length, memory);
    return copy;
  });
  const ledger = st.ledger ? new CustomerLedger({
    matches: st.ledger.matches?.slice() ?? null,
    gmv: st.ledger.gmv?.slice() ?? null,
    revenue: st.ledger.revenue?.slice() ?? null,
    customerValue: st.ledger.customerValue?.slice() ?? null,
  }) : null;
  const depth = st.scenario.customers.searchDepth;
  return {
    scenario: st.scenario,
    memory,
    replication: st.replication,
    customers: copyArrays<Customers>(st.customers, createCustomers(st.customers.n, st.platforms.length, memory)),
    partners: copyArrays<Partners>(st.partners, createPartners(st.partners.independent, st.partners.n - st.partners.independent, st.platforms.length)),
    platforms: st.platforms.map((pl) => copyPlatform(st, pl)),
    graph: st.graph,
    shards,
    partnerRng: copyRng(st.partnerRng),
    platformRng: copyRng(st.platformRng),
    orderRng: copyRng(st.orderRng),
    rules: st.rules.map((r) => ({ ...r })),
    lastRows: [...st.lastRows],
    demandFactor: st.demandFactor,
    members: st.members,
    aware: st.aware,
    tick: { members: st.tick.members, satisfactionSum: st.tick.satisfactionSum, multiHomers: st.tick.multiHomers },
    recordStride: st.recordStride,
    needs: { serve: new Int32Array(0), serveF: new Float32Array(0), outcome: new Int32Array(0), coupon: new Float32Array(0), place: new Int32Array(0), total: 0 },
    scratch: { scores: new Float64Array(depth), draws: new Int32Array(depth) },
    segments: st.segments,
    groups: st.groups,
    segmentTallies: st.segmentTallies.map((t) => {
      const copy = new Tally();
      copy.add(t);
      return copy;
    }),
    segmentCustomers: st.segmentCustomers.slice(),
    experiments: st.experiments.map((r) => r.clone()),
    ledger,
    forks: false,
    onePlatform: st.onePlatform,
    // Empty, but an array of the run's elements kind, which a fresh [] is not.
    segmentRows: st.segmentRows.slice(0, 0),
    outages: new Map(st.outages),
  };
}
